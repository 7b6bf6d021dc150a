"""The register of a year's resolutions as a .docx table, read back with python-docx (and as PDF where LibreOffice
is present): one row per resolution of the year, the heading row repeated on every page, values as they are."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from comparison_support import HOSTILE, text, write_amendment
from datatree import REPO, digest
from render_helpers import plain, plain_document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from registry_support import finished, write_resolution

from regdoc.cli import main
from regdoc.data.model import ResolutionId
from regdoc.documents import packet, pdf
from regdoc.documents.output import render_job
from regdoc.documents.register import COLUMNS, register_context
from regdoc.errors import RegdocError
from regdoc.phrasing import kk, ru
from regdoc.registry.register import register_rows
from regdoc.tree.load import load_tree

HEADINGS = {"kk": ["Күні", "Нөмірі", "Атауы", "Ережеге өзгерістер", "Бағалау"],
            "ru": ["Дата", "Номер", "Наименование", "Изменения в Положение", "Оценка"]}
ISSUED = {"kk": ["20.02.2026", "20.02.2026 ж. № 9, 7-т.", None, "3.2, 4.2, 4.3 және 5.2-тармақтар; 1-қосымша",
                 "2025 жылғы бағалау қорытындылары"],
          "ru": ["20.02.2026", "20.02.2026 г. № 9, п. 7", None, "пункты 3.2, 4.2, 4.3 и 5.2; приложение 1",
                 "итоги оценки за 2025 год"]}


def render(root: Path, year: int, lang: str):
    """Return the register of `year` in `lang` rendered from the data tree `root`, opened with python-docx."""
    (job,) = packet.register_jobs(load_tree(root), year, (lang,))
    return plain_document(io.BytesIO(render_job(root, job)))


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def sample_resolution(root: Path, rid: str, title: dict | None = None) -> None:
    data = finished(rid)
    if title is not None:
        data["title"] = title
    write_resolution(root, rid, data=data)


# ----- the shipped data -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_register_of_2026_holds_the_issued_resolution(lang):
    doc = render(REPO, 2026, lang)
    title = {"kk": "Атқару комитетінің 2026 жылғы қаулыларының тізілімі",
             "ru": "Реестр постановлений Исполнительного комитета за 2026 год"}[lang]
    assert doc.paragraphs[0].text == title and doc.paragraphs[0].style.name == "Register Title"
    assert doc.core_properties.title == title
    (table,) = doc.tables
    head, *body = cells(table)
    assert head == HEADINGS[lang]
    expected = list(ISSUED[lang])
    expected[2] = load_tree(REPO).resolutions[0].title[lang]
    assert body == [expected]
    assert not expected[2].startswith("(")  # an issued, finished resolution: no draft mark
    assert all(p.text == "" for p in doc.paragraphs[1:])  # no sample note: the resolution is as issued


def test_landscape_named_styles_and_a_heading_row_on_every_page():
    doc = render(REPO, 2026, "kk")
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    (table,) = doc.tables
    assert table.style.name == "Grid Table Regdoc"
    head, row = table.rows
    assert head._tr.trPr.find(qn("w:tblHeader")) is not None  # Word and LibreOffice repeat it on each page
    assert row._tr.trPr.find(qn("w:tblHeader")) is None
    assert sum(c.width.mm for c in row.cells) == pytest.approx(257, abs=1)  # as wide as the text
    assert [c.paragraphs[0].style.name for c in head.cells] == ["Table Heading"] * 5
    assert [c.paragraphs[0].style.name for c in row.cells] == ["Table Number"] + ["Table Text"] * 4
    assert all(not r.font.bold and r.font.size is None for c in row.cells for p in c.paragraphs for r in p.runs)


def test_two_renders_are_byte_identical():
    tree = load_tree(REPO)
    first = [render_job(REPO, job) for job in packet.register_jobs(tree, 2026, ("kk", "ru"))]
    second = [render_job(REPO, job) for job in packet.register_jobs(tree, 2026, ("kk", "ru"))]
    assert first == second and first[0] != first[1]


def test_the_jobs_name_their_files_and_sources():
    jobs = packet.register_jobs(load_tree(REPO), 2026, ("kk", "ru"))
    assert [(j.document, j.lang, j.filename, j.template) for j in jobs] == [
        ("register", "kk", "register-2026.kk.docx", "templates/kk/register.docx"),
        ("register", "ru", "register-2026.ru.docx", "templates/ru/register.docx")]
    assert jobs[0].sources == ("resolutions/2026/2026-02-20-9-7.yaml", "regulation/versions/2026-02-20.yaml",
                               "templates/kk/register.docx")
    assert jobs[0].props.when.isoformat() == "2026-02-20"  # the year's last resolution, not the clock


# ----- a year of several resolutions ----------------------------------------------------------------------------

@pytest.fixture
def year_2027(tree: Path) -> Path:
    """The shipped tree with five resolutions of 2027 (one a draft adopting two amendments, one with a hostile
    title) and one of 2028."""
    sample_resolution(tree, "2027-01-15/1/1", title=HOSTILE)
    sample_resolution(tree, "2027-01-15/1/2")
    write_amendment(tree, "2027-03-01", [{"op": "replace", "target": "4.2", "text": text("Жаңа.", "Новый.")}],
                    adopted_by="2027-03-01/3/2")  # also writes the adopting resolution: a draft skeleton
    write_amendment(tree, "2027-04-01", [{"op": "delete", "target": "5.1"}], adopted_by="2027-03-01/3/2")
    sample_resolution(tree, "2027-03-01/3/1")
    sample_resolution(tree, "2027-12-30/7/4")
    sample_resolution(tree, "2028-01-10/1/1")
    return tree


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_one_row_per_resolution_of_the_year_in_number_order(year_2027: Path, lang):
    doc = render(year_2027, 2027, lang)
    head, *body = cells(doc.tables[0])
    assert head == HEADINGS[lang]
    ph = kk if lang == "kk" else ru
    ids = ["2027-01-15/1/1", "2027-01-15/1/2", "2027-03-01/3/1", "2027-03-01/3/2", "2027-12-30/7/4"]
    numbers = [ph.resolution_number(ResolutionId.parse(i)) for i in ids]
    draft = ids.index("2027-03-01/3/2")
    assert [row[1] for row in body] == [n if k == draft else f"{n} *" for k, n in enumerate(numbers)]
    assert [row[0] for row in body] == ["15.01.2027", "15.01.2027", "01.03.2027", "01.03.2027", "30.12.2027"]
    assert body[0][2] == HOSTILE[lang]
    assert body[draft][2] == {"kk": "(жоба) TODO: қаулының атауы",
                              "ru": "(проект) TODO: наименование постановления"}[lang]
    # two amendments: one line each; the other resolutions carry none, and no evaluation
    assert body[draft][3] == {"kk": "4.2-тармақ\n5.1-тармақ", "ru": "пункт 4.2\nпункт 5.1"}[lang]
    assert [row[3] for k, row in enumerate(body) if k != draft] == [""] * 4
    assert [row[4] for row in body] == [""] * 5
    # the rows marked «*» hold sample data, and the note under the table says so
    assert doc.paragraphs[-1].text == ph.REGISTER_SAMPLE_NOTE and doc.paragraphs[-1].style.name == "Sample Note"


def test_hostile_values_come_out_as_text_and_the_section_survives(year_2027: Path):
    for lang in ("kk", "ru"):
        doc = render(year_2027, 2027, lang)
        assert doc.tables[0].rows[1].cells[2].text == HOSTILE[lang]  # & < > " ' « » № and Kazakh letters intact
        assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE  # a stray «<» would have swallowed sectPr
        assert "№" in doc.tables[0].rows[1].cells[1].text


def test_the_context_uses_the_cells_of_the_register_list(year_2027: Path):
    tree = load_tree(year_2027)
    rows = register_rows(tree, 2027)
    context = register_context(tree, rows, 2027, "ru")
    assert list(context) == ["lang", "title", "columns", "rows", "sample"]
    assert list(context["columns"]) == list(COLUMNS) == list(ru.REGISTER_HEADINGS)
    assert len(context["rows"]) == len(rows) == 5
    assert all(list(r) == list(COLUMNS) for r in context["rows"])
    issued_only = plain(register_context(tree, register_rows(tree, 2026), 2026, "ru"))
    assert issued_only["sample"] == "" and issued_only["rows"][0]["number"] == "20.02.2026 г. № 9, п. 7"


# ----- the command ----------------------------------------------------------------------------------------------

def test_render_register_command_writes_both_languages_and_changes_no_data(year_2027: Path, tmp_path: Path, capsys):
    before = digest(year_2027)
    out = tmp_path / "docs"
    out.mkdir()
    assert main(["render", "register", "2027", "--out", str(out), "--root", str(year_2027)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["register-2027.kk.docx", "register-2027.ru.docx"]
    printed = capsys.readouterr().err  # "wrote" lines are messages: on stderr
    assert printed.count("wrote ") == 2 and "register-2027.kk.docx" in printed
    assert len(plain_document(str(out / "register-2027.kk.docx")).tables[0].rows) == 1 + 5
    assert digest(year_2027) == before


def test_render_register_in_one_language(tree: Path):
    assert main(["render", "register", "2026", "--lang", "ru", "--root", str(tree)]) == 0
    assert sorted(p.name for p in (tree / "out").iterdir()) == ["register-2026.ru.docx"]


@pytest.mark.parametrize("args, message", [
    (["2025"], "no resolution of 2025 in resolutions/: nothing to put in its register; years with resolutions: "
               "2026; did you mean '2026'?"),
    (["1999"], "no resolution of 1999 in resolutions/: nothing to put in its register; years with resolutions: "
               "2026"),
])
def test_a_year_without_resolutions_is_refused(tree: Path, capsys, args, message):
    before = digest(tree)
    assert main(["render", "register", *args, "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert err == f"regdoc: error: {message}\n"
    assert not (tree / "out").exists() or not any((tree / "out").iterdir())
    assert digest(tree) == before


def test_the_refusal_is_a_regdoc_error():
    with pytest.raises(RegdocError, match="no resolution of 2030"):
        packet.register_jobs(load_tree(REPO), 2030, ("kk",))


@pytest.mark.parametrize("args", [["26"], ["2026", "--parallel"], ["2026", "--lang", "en"]])
def test_bad_arguments_are_usage_errors(tree: Path, capsys, args):
    with pytest.raises(SystemExit) as info:
        main(["render", "register", *args, "--root", str(tree)])
    assert info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("regdoc")


# ----- regdoc templates check -----------------------------------------------------------------------------------

def test_templates_check_covers_the_register_templates(repo: Path, capsys):
    assert main(["templates", "check", "--root", str(repo)]) == 0
    out = capsys.readouterr().err
    assert "regdoc templates check: 13 templates fine" in out
    assert "register.docx" not in out  # checked with a real context: no «no context» warning about them
    assert "templates/kk/register.docx" in packet.expected_templates()
    assert "templates/ru/register.docx" in packet.expected_templates()


def test_templates_check_finds_a_misspelt_name_in_the_register(tree: Path, capsys):
    path = tree / "templates" / "kk" / "register.docx"
    doc = plain_document(str(path))
    cell = doc.tables[0].rows[2].cells[2]
    assert cell.text == "{{ row.title }}"
    cell.paragraphs[0].runs[0].text = "{{ row.titel }}"
    doc.save(str(path))
    assert main(["templates", "check", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "templates/kk/register.docx: " in err and "titel" in err
    assert "templates/ru/register.docx" not in err


# ----- PDF ------------------------------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdftotext") is None
                                   or shutil.which("pdfinfo") is None,
                                   reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not "
                                          "installed")


def _pdf_text(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, check=True, text=True).stdout


@needs_soffice
def test_a_register_of_several_pages_repeats_its_heading_row(tree: Path):
    long_title = {"kk": "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ережеге өзгерістер мен "
                        "толықтырулар енгізу және әлеуметтік әріптестік туралы, " * 2,
                  "ru": "О внесении изменений и дополнений в Положение о системе ежегодной оценки деятельности "
                        "членских организаций, " * 2}
    for meeting in range(1, 11):
        for item in range(1, 4):
            sample_resolution(tree, f"2027-{meeting:02d}-10/{meeting}/{item}", title=long_title)
    assert main(["render", "register", "2027", "--pdf", "--root", str(tree)]) == 0
    out = tree / "out"
    for lang in ("kk", "ru"):
        path = out / f"register-2027.{lang}.pdf"
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert pages >= 2
        size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
        assert float(size[2]) > float(size[4])  # landscape: wider than high
        for page in range(1, pages + 1):
            words = _pdf_text(path, page).split()  # the headings' first words (a heading may wrap)
            assert all(h.split()[0] in words for h in HEADINGS[lang]), (lang, page)
        kk_text = " ".join(_pdf_text(path, 1).split())
        if lang == "kk":
            assert "10.01.2027 ж. № 1, 1-т." in kk_text
            assert set("әғқңөұүі") <= set(kk_text.lower())
        else:
            assert "10.01.2027 г. № 1, п. 1" in kk_text
