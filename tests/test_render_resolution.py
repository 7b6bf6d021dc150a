"""The resolution: the Kazakh text of No 9 item 7 reads exactly as issued; the Russian one is complete."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from render_helpers import block_texts, body_text, plain, plain_document, words

from regdoc.data.model import ResolutionId
from regdoc.documents import packet
from regdoc.documents.output import render_job
from regdoc.documents.resolution import parallel_rows, resolution_context
from regdoc.tree.load import load_tree

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "resolution-2026-02-20-no9-item7.kk.txt"
RID = ResolutionId.parse("2026-02-20/9/7")


def seed_text() -> str:
    """Return the issued text: the committed golden copy, or the project's shared seed beside the repository."""
    for folder in (REPO / "tests" / "data" / "seed", REPO.parent / "shared" / "seed"):
        if (folder / SEED_NAME).is_file():
            return (folder / SEED_NAME).read_text(encoding="utf-8")
    pytest.skip(f"the issued text {SEED_NAME} is neither in tests/data/seed/ nor in ../shared/seed/")


@pytest.fixture(scope="module")
def data():
    return load_tree(REPO)


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("resolution")
    paths = {}
    for job in packet.resolution_jobs(data, data.resolution(RID), ("kk", "ru")):
        paths[job.lang] = out / job.filename
        paths[job.lang].write_bytes(render_job(REPO, job))
    return paths


def test_the_kazakh_resolution_reads_exactly_as_issued(rendered):
    issued = words(seed_text())
    produced = words(body_text(rendered["kk"]))
    assert produced == issued


def test_the_committed_golden_copy_is_the_shared_seed():
    shared = REPO.parent / "shared" / "seed" / SEED_NAME
    if not shared.is_file():
        pytest.skip("../shared/seed is not beside this checkout")
    assert (REPO / "tests" / "data" / "seed" / SEED_NAME).read_bytes() == shared.read_bytes()


def test_the_layout_uses_named_styles(rendered):
    doc = plain_document(str(rendered["kk"]))
    styles = [(p.style.name, p.text[:12]) for p in doc.paragraphs]
    assert styles[0] == ("Letterhead Space", "")  # issue 15: the top of a pre-printed letterhead blank stays free
    styles = styles[1:]
    assert styles[0] == ("Date Line", "20.02.2026 ж")
    assert doc.paragraphs[1].text == "20.02.2026 ж.\t№ 9, 7-т."
    assert styles[1][0] == "Resolution Title"
    assert [s for s, _ in styles[2:4]] == ["Preamble", "Preamble"]
    assert doc.paragraphs[4].text.endswith("Атқару комитеті ҚАУЛЫ ЕТЕДІ:")
    assert doc.paragraphs[4].runs[-1].style.name == "Resolves"
    assert doc.paragraphs[-1].style.name == "Signature"
    assert doc.paragraphs[-1].text == "Төраға\tА. Мұқашева"
    used = {s for s, _ in styles}
    assert {"Item", "Place", "Dash Item", "Sub-item", "Amending Quote"} <= used
    for p in doc.paragraphs:  # styles, not direct formatting
        assert p.paragraph_format.alignment is None and p.paragraph_format.first_line_indent is None
        for run in p.runs:
            assert run.bold is None and run.font.size is None and run.font.name is None


def test_the_page_is_a4_with_the_official_margins_and_numbers_from_the_second_page(rendered):
    section = plain_document(str(rendered["ru"])).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (section.left_margin, section.right_margin, section.top_margin,
                                  section.bottom_margin)] == [30, 10, 20, 20]
    assert section.different_first_page_header_footer
    assert 'instr=" PAGE "' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_the_body_font_is_times_new_roman_14_with_liberation_serif_as_its_fallback(rendered):
    doc = plain_document(str(rendered["kk"]))
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    assert normal.paragraph_format.first_line_indent.cm == pytest.approx(1.25, abs=0.01)
    font_table = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    assert b'w:name="Times New Roman"><w:altName w:val="Liberation Serif"/>' in font_table.blob


def test_the_core_properties_name_the_resolution_and_the_union(rendered):
    kk = plain_document(str(rendered["kk"])).core_properties
    ru = plain_document(str(rendered["ru"])).core_properties
    assert kk.title == "Қаулы 20.02.2026 ж. № 9, 7-т."
    assert ru.title == "Постановление 20.02.2026 г. № 9, п. 7"
    assert kk.author == "Қазақстандық оқу-ағарту, ғылым және жоғары білім қызметкерлерінің салалық кәсіподағы"
    assert ru.author == "Казахстанский отраслевой профсоюз работников просвещения, науки и высшего образования"


def test_the_russian_resolution_is_complete_with_the_glossary_terms(rendered, data):
    texts = block_texts(rendered["ru"])
    text = "\n".join(texts)
    assert texts[0] == ""  # issue 15: the top of a pre-printed letterhead blank stays free
    assert texts[1] == "20.02.2026 г.\t№ 9, п. 7"
    assert texts[-1] == "Председатель\tА. Мукашева"
    for term in ("ПОСТАНОВЛЯЕТ:", "Исполнительный комитет", "аппарата ЦК Профсоюза", "отдела организационной работы",
                 "в соответствии с пунктом 4.4", "Поощрить", "Пленуме Центрального комитета",
                 "Контроль за исполнением настоящего постановления возложить на", "изложить в следующей редакции",
                 "Утвердить приложение 1 к Положению", "в новой редакции", "Внести в Положение",
                 "изменения и дополнения"):
        assert term.lower() in text.lower(), term
    places = [t for t in texts if " место – " in t]
    assert places == [
        "I место – ОО «Астанинская городская и Акмолинская областная организация Казахстанского отраслевого "
        "профессионального союза работников просвещения, науки и высшего образования» "
        "(общее количество баллов – 100 201);",
        "II место – ОО «Кызылординская областная организация Казахстанского отраслевого профессионального союза "
        "работников просвещения, науки и высшего образования» (общее количество баллов – 39 440);",
        "III место – ОО «Местный профессиональный союз работников просвещения, науки и высшего образования "
        "Жамбылской области» (общее количество баллов – 29 986).",
    ]
    rewards = [t for t in texts if t.startswith("- ОО «")]
    assert [r[-1] for r in rewards] == [";", ";", "."]
    for org in ("aktobe", "pavlodar", "astana-city"):
        assert data.organisation(org).name_at(RID.date).ru in text
    numbers = [t.split(".")[0] for t in texts if re.match(r"\d+\. ", t)]
    assert numbers == ["1", "3", "4", "5", "6"]  # the issued numbers: there is no item 2
    for quoted in ("«3.2.", "«4.2.", "«4.3.", "«5.2."):
        assert quoted in text


def test_the_context_is_plain_strings_and_lists(data):
    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return isinstance(value, str)

    for lang in ("kk", "ru"):
        assert plain(resolution_context(data, data.resolution(RID), lang))


def test_parallel_rows_pair_the_languages_unit_by_unit(data):
    kk = plain(resolution_context(data, data.resolution(RID), "kk"))  # the words (typography: test_render_structure)
    ru = plain(resolution_context(data, data.resolution(RID), "ru"))
    rows = parallel_rows(kk, ru)
    assert rows[0]["kk"][0]["text"] == "20.02.2026 ж. № 9, 7-т."
    assert rows[0]["ru"][0]["text"] == "20.02.2026 г. № 9, п. 7"
    items = rows[3:-1]
    assert [r["kk"][0]["text"].split(".")[0] for r in items] == ["1", "3", "4", "5", "6"]
    assert [r["ru"][0]["text"].split(".")[0] for r in items] == ["1", "3", "4", "5", "6"]
    assert all(len(r["kk"]) == len(r["ru"]) for r in items)


def test_the_parallel_document_has_kazakh_left_and_russian_right(data, tmp_path: Path):
    [job] = packet.resolution_jobs(data, data.resolution(RID), ("kk", "ru"), parallel=True)
    assert job.filename == "resolution-2026-02-20-9-7.kk-ru.docx"
    path = tmp_path / job.filename
    path.write_bytes(render_job(REPO, job))
    doc = plain_document(str(path))
    [table] = doc.tables
    assert table.style.name == "Grid Table Regdoc"
    assert [c.text for c in table.rows[0].cells] == ["Қазақ тілінде", "На русском языке"]
    assert table.rows[1].cells[0].text == "20.02.2026 ж. № 9, 7-т."
    assert table.rows[1].cells[1].text == "20.02.2026 г. № 9, п. 7"
    assert table.rows[-1].cells[0].text == "Төраға А. Мұқашева"
    assert table.rows[-1].cells[1].text == "Председатель А. Мукашева"
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape for two columns


def _yaml_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def test_names_holding_markup_characters_come_out_intact(tree: Path, tmp_path: Path):
    hostile = {"kk": "Ақтөбе & <облыстық> \"ұйым\" '№ 1' әғқңөұүһі ӘҒҚҢӨҰҮҺІ",
               "ru": "Актюбинская & <областная> \"организация\" '№ 1'"}
    path = tree / "organisations" / "organisations.yaml"
    text = path.read_text(encoding="utf-8")
    for lang, issued in (("kk", "Қазақстандық салалық білім және ғылым қызметкерлері кәсіптік одағының Ақтөбе "
                                "облыстық ұйымы"),
                         ("ru", "Актюбинская областная организация Казахстанского отраслевого профессионального "
                                "союза работников образования и науки")):
        assert f'{lang}: "{issued}"' in text
        text = text.replace(f'{lang}: "{issued}"', f"{lang}: {_yaml_quoted(hostile[lang])}")
    path.write_text(text, encoding="utf-8")
    changed = load_tree(tree)
    assert changed.organisation("aktobe").names[0].name.kk == hostile["kk"]
    for job in packet.resolution_jobs(changed, changed.resolution(RID), ("kk", "ru")):
        out = tmp_path / job.filename
        out.write_bytes(render_job(tree, job))
        texts = block_texts(out)
        expected = f"- «{hostile['kk']}» ҚБ;" if job.lang == "kk" else f"- ОО «{hostile['ru']}»;"
        assert expected in texts
        assert texts[-1].startswith(("Төраға", "Председатель"))  # nothing swallowed after the value


def test_on_a_blank_the_top_stays_free_on_plain_paper_the_letterhead_is_printed(tree: Path, tmp_path: Path):
    """regulation.yaml `letterhead.paper`: blank (default, as issued) leaves the top of page 1 to the pre-printed
    blank (the «Letterhead Space» paragraph, a style a person can restyle in Word); plain prints the letterhead: the
    Union's name in Kazakh and Russian, «ҚАУЛЫ» / «ПОСТАНОВЛЕНИЕ» and the city, before the date line."""
    from docx.shared import Mm

    blank = load_tree(tree)
    assert blank.regulation.letterhead.paper == "blank"
    (job,) = packet.resolution_jobs(blank, blank.resolution(RID), ("kk",))
    (tmp_path / "blank.docx").write_bytes(render_job(tree, job))
    doc = plain_document(tmp_path / "blank.docx")
    assert doc.paragraphs[0].style.name == "Letterhead Space" and doc.paragraphs[0].text == ""
    assert doc.paragraphs[0].style.paragraph_format.line_spacing >= Mm(30) and not doc.tables

    path = tree / "regulation" / "regulation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("paper: blank", "paper: plain"), encoding="utf-8")
    plain_paper = load_tree(tree)
    for lang in ("kk", "ru"):
        (job,) = packet.resolution_jobs(plain_paper, plain_paper.resolution(RID), (lang,))
        (tmp_path / f"plain.{lang}.docx").write_bytes(render_job(tree, job))
        doc = plain_document(tmp_path / f"plain.{lang}.docx")
        [letterhead] = doc.tables
        assert [[c.text for c in row.cells] for row in letterhead.rows] == [
            ["Қазақстандық оқу-ағарту, ғылым және жоғары білім қызметкерлерінің салалық кәсіподағы",
             "Казахстанский отраслевой профсоюз работников просвещения, науки и высшего образования"],
            ["ҚАУЛЫ", "ПОСТАНОВЛЕНИЕ"], ["Астана қ.", "г. Астана"]]
        assert all(p.style.name != "Letterhead Space" for p in doc.paragraphs)
        assert doc.paragraphs[0].style.name == "Date Line"
