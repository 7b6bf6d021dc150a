"""The redline: read back through its XML, accepting every change gives exactly the consolidated Regulation of TO
(as `regdoc render regulation` makes it), rejecting every change gives exactly that of FROM."""
from __future__ import annotations

import pickle
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from comparison_support import HOSTILE, text, write_amendment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redline_support import NS, accept_all, blocks, document_xml, q, reject_all, revisions
from render_helpers import plain
from versioning_strategies import draw_amendments, initial_editions

from regdoc.data import model as m
from regdoc.documents import packet
from regdoc.documents.output import render_job
from regdoc.documents.redline import Revision, changed, redline
from regdoc.documents.regulation import regulation_context
from regdoc.documents.tracked import redline_docx
from regdoc.documents.writer import DocProps, render_docx
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import Point, editions, from_to

REPO = Path(__file__).resolve().parents[1]
AUTHOR = {"kk": "Атқару комитетінің 20.02.2026 № 9 қаулысы",
          "ru": "Постановление Исполнительного комитета от 20.02.2026 № 9"}


@pytest.fixture(scope="module")
def shipped() -> m.DataTree:
    return load_tree(REPO)


def make(root: Path, tree: m.DataTree, first: str, second: str, lang: str) -> bytes:
    a, b = from_to(tree.initial, tree.amendments, first, second)
    return render_job(root, packet.redline_jobs(tree, a, b, (lang,))[0])


_RENDERED: dict[tuple, bytes] = {}  # (template's bytes, pickled context and properties) -> render_job's bytes


def consolidated(root: Path, tree: m.DataTree, p: Point, lang: str) -> list:
    """Return the text of the consolidated Regulation of point `p`, as `regdoc render regulation` makes it. The
    bytes of a job whose template and context were rendered before are those render_job gave then (it gives the
    same bytes for the same inputs: test_same_inputs_same_bytes, tests/test_nothing_lost.py): each operation's
    round trip starts from the same Regulation of 2026-02-20, rendered once per language."""
    job = packet.regulation_jobs(tree, p.edition, p.when, (lang,))[0]
    context = job.context.value() if isinstance(job.context, packet.LazyContext) else job.context
    key = ((root / job.template).read_bytes(), pickle.dumps((context, job.props, job.template)))
    if key not in _RENDERED:
        _RENDERED[key] = render_job(root, job)
    return blocks(document_xml(_RENDERED[key]))


def assert_round_trip(root: Path, first: str, second: str, lang: str):
    """Assert that accepting all gives TO and rejecting all gives FROM; return the redline's XML."""
    tree = load_tree(root)
    a, b = from_to(tree.initial, tree.amendments, first, second)
    root_xml = document_xml(make(root, tree, first, second, lang))
    assert blocks(accept_all(root_xml)) == consolidated(root, tree, b, lang)
    assert blocks(reject_all(root_xml)) == consolidated(root, tree, a, lang)
    return root_xml


def paragraphs_with(root_xml, words: str) -> list:
    """Return the paragraphs holding `words` as they read (no-break spaces and hyphens as spaces and hyphens)."""
    return [p for p in root_xml.iter(q("p")) if words in plain("".join(p.xpath(".//w:t/text() | .//w:delText/text()",
                                                                                 namespaces=NS)))]


# ----- the amendment of 20.02.2026 ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_shipped_amendment_round_trips(lang):
    assert_round_trip(REPO, "2023-03-01", "2026-02-20", lang)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_revision_names_the_resolution_and_its_date(shipped, lang):
    root_xml = document_xml(make(REPO, shipped, "2023-03-01", "2026-02-20", lang))
    found = revisions(root_xml)
    assert len(found) > 50
    assert {r.get(q("author")) for r in found} == {AUTHOR[lang]}
    assert {r.get(q("date")) for r in found} == {"2026-02-20T00:00:00Z"}
    ids = [r.get(q("id")) for r in found]
    assert len(ids) == len(set(ids)) and all(i.isdigit() for i in ids)
    # deleted words are w:delText inside w:del, inserted words w:t inside w:ins
    for d in root_xml.xpath("//w:del[not(parent::w:rPr) and not(parent::w:trPr)]", namespaces=NS):
        assert d.xpath(".//w:delText", namespaces=NS) and not d.xpath(".//w:t", namespaces=NS)
    for i in root_xml.xpath("//w:ins[not(parent::w:rPr) and not(parent::w:trPr)]", namespaces=NS):
        assert i.xpath(".//w:t", namespaces=NS) and not i.xpath(".//w:delText", namespaces=NS)


def test_the_changed_clauses_are_word_level(shipped):
    root_xml = document_xml(make(REPO, shipped, "2023-03-01", "2026-02-20", "kk"))
    for number in ("3.2.", "4.2.", "4.3.", "5.2."):
        (p,) = [p for p in root_xml.iter(q("p")) if "".join(p.xpath("w:r/w:t/text()", namespaces=NS))
                .startswith(number + " ")]
        kinds = {c.tag for c in p}
        assert {q("r"), q("ins"), q("del")} <= kinds, number  # kept, inserted and deleted words side by side
    (p,) = paragraphs_with(root_xml, " ақшалай сыйлықақы төленетін")
    assert p.xpath("w:ins/w:r/w:t/text()", namespaces=NS)[0].strip() == "ақшалай сыйлықақы төленетін"
    # 4.3 gained a second paragraph: a paragraph mark inserted inside its words
    marks = root_xml.xpath("//w:p[w:pPr/w:rPr/w:ins][.//w:t[contains(., 'жеке есептеледі.')]]", namespaces=NS)
    assert len(marks) == 1
    # the notes are new paragraphs, inserted whole
    (note,) = paragraphs_with(root_xml, "Ескерту. 4.2-тармақ жаңа редакцияда")
    assert note.xpath("w:pPr/w:rPr/w:ins", namespaces=NS) and not note.xpath("w:r", namespaces=NS)


def test_appendix_rows_are_tracked_rows(shipped):
    root_xml = document_xml(make(REPO, shipped, "2023-03-01", "2026-02-20", "kk"))
    (table,) = root_xml.iter(q("tbl"))
    rows = table.findall(q("tr"))
    assert rows[0].find(f"{q('trPr')}/{q('tblHeader')}") is not None and not revisions(rows[0])
    assert all(r.find(f"{q('trPr')}/{q('cantSplit')}") is not None for r in rows)  # as the template's rows
    inserted = [r for r in rows if r.find(f"{q('trPr')}/{q('ins')}") is not None]
    deleted = [r for r in rows if r.find(f"{q('trPr')}/{q('del')}") is not None]
    texts = ["".join(r.xpath(".//w:t/text()", namespaces=NS)) for r in inserted]
    assert any("Кәсіподақ мүшелерінің бірыңғай электрондық есебін жүргізу" in t for t in texts)
    assert deleted and all(not r.xpath(".//w:t", namespaces=NS) for r in deleted)  # only deleted text in them
    # a changed row keeps its place and shows the changed words in its cells
    changed_rows = [r for r in rows if r not in inserted and r not in deleted and revisions(r)]
    assert changed_rows and all(r.xpath(".//w:tc//w:ins | .//w:tc//w:del", namespaces=NS) for r in changed_rows)
    # the redline's table takes the template's table properties
    assert table.find(f"{q('tblPr')}/{q('tblStyle')}").get(q("val")) == "GridTableRegdoc"


def test_same_inputs_same_bytes(shipped):
    assert make(REPO, shipped, "2023-03-01", "2026-02-20", "ru") == make(REPO, shipped, "2023-03-01", "2026-02-20",
                                                                          "ru")


def test_no_change_no_revision():
    root_xml = assert_round_trip(REPO, "2026-02-20", "2026-02-20", "kk")
    assert revisions(root_xml) == []


def test_a_later_date_alone_is_the_tools_change():
    root_xml = assert_round_trip(REPO, "2026-02-20", "2026-03-01", "ru")
    assert {r.get(q("author")) for r in revisions(root_xml)} == {"regdoc"}
    assert {r.get(q("date")) for r in revisions(root_xml)} == {"2026-03-01T00:00:00Z"}


# ----- each kind of operation, in small amendments ------------------------------------------------------------

OPS = {
    "replace": [{"op": "replace", "target": "2.1", "text": text("Бағалаудың мақсаты – жаңа мәтін.",
                                                                "Целью оценки является новый текст.")}],
    "replace_section_title": [{"op": "replace", "target": "2", "text": text("Бағалаудың мақсаттары",
                                                                           "Цели оценки")}],
    "replace_with_paragraphs": [{"op": "replace", "target": "4.3",
                                 "text": text("Бірінші абзац.\nЕкінші абзац.\nҮшінші абзац.",
                                              "Первый абзац.\nВторой абзац.\nТретий абзац.")}],
    "insert": [{"op": "insert", "target": "4.7", "kind": "clause", "after": "4.6",
                "text": text("Жаңа тармақ.\nОның екінші абзацы.", "Новый пункт.\nЕго второй абзац.")}],
    "insert_subclause": [{"op": "insert", "target": "3.2.7", "kind": "subclause", "after": "3.2.6",
                          "text": text("жаңа бағыт.", "новое направление.")}],
    "delete": [{"op": "delete", "target": "1.4"}],
    "delete_with_subclauses": [{"op": "delete", "target": "3.2"}],
    "replace_words": [{"op": "replace_words", "target": "1.2", "old": text("жергілікті кәсіптік одақтар",
                                                                           "местные профессиональные союзы"),
                       "new": text("жергілікті кәсіподақтар", "местные профсоюзы")}],
    "add_indicator": [{"op": "add_indicator", "target": "legal.mediation", "block": "legal",
                       "after": "legal.inspections",
                       "indicator": {"id": "legal.mediation", "title": text("Медиация саны", "Число медиаций"),
                                     "unit": "count", "rule": {"kind": "per_unit", "points": 5, "cap": 50}}}],
    "remove_indicator": [{"op": "remove_indicator", "target": "legal.consultations"}],
    "change_indicator": [{"op": "change_indicator", "target": "legal.inspections",
                          "title": text("Жүргізілген тексерулер саны", "Количество проверок"),
                          "rule": {"kind": "per_unit", "points": 15, "cap": 1500}}],
    "hostile": [{"op": "replace", "target": "4.2", "text": HOSTILE}],
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("kind", sorted(OPS))
def test_each_operation_round_trips(tree: Path, kind, lang):
    write_amendment(tree, "2027-03-01", OPS[kind])
    root_xml = assert_round_trip(tree, "2026-02-20", "2027-03-01", lang)
    assert revisions(root_xml)


def test_an_inserted_unit_is_inserted_whole(tree: Path):
    write_amendment(tree, "2027-03-01", OPS["insert"])
    root_xml = assert_round_trip(tree, "2026-02-20", "2027-03-01", "kk")
    for words in ("4.7. Жаңа тармақ.", "Оның екінші абзацы.", "Ескерту. Ереже 4.7-тармақпен толықтырылды"):
        (p,) = paragraphs_with(root_xml, words)
        assert p.xpath("w:pPr/w:rPr/w:ins", namespaces=NS) and not p.xpath("w:r", namespaces=NS), words


def test_a_deleted_unit_goes_whole_and_keeps_its_number(tree: Path):
    write_amendment(tree, "2027-03-01", OPS["delete_with_subclauses"])
    root_xml = assert_round_trip(tree, "2026-02-20", "2027-03-01", "kk")
    old = paragraphs_with(root_xml, "3.2.1. ұйымдастыру жұмысы және кәсіподақ мүшелігі;")
    assert old and all(p.xpath("w:pPr/w:rPr/w:del", namespaces=NS) and not p.xpath("w:r", namespaces=NS)
                       for p in old)
    assert "3.2. Алып тасталды - Атқару комитетінің 01.03.2027 № 3 қаулысымен." in plain(blocks(accept_all(root_xml)))


def test_changes_of_several_amendments_carry_their_own_authors(tree: Path):
    write_amendment(tree, "2027-03-01", OPS["replace"])
    write_amendment(tree, "2028-01-15", OPS["delete"])
    root_xml = assert_round_trip(tree, "2026-02-20", "2028-01-15", "kk")
    authors = {(r.get(q("author")), r.get(q("date"))) for r in revisions(root_xml)}
    assert authors == {("Атқару комитетінің 01.03.2027 № 3 қаулысы", "2027-03-01T00:00:00Z"),
                       ("Атқару комитетінің 15.01.2028 № 3 қаулысы", "2028-01-15T00:00:00Z")}
    (p,) = paragraphs_with(root_xml, "жаңа мәтін.")
    assert {r.get(q("author")) for r in revisions(p)} == {"Атқару комитетінің 01.03.2027 № 3 қаулысы"}


# ----- the round trip over generated amendments ---------------------------------------------------------------

INITIAL_EDITIONS, LANGS = initial_editions(), st.sampled_from(m.LANGS)  # (made once, not at each example)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.data())
def test_accept_gives_to_and_reject_gives_from_for_generated_amendments(shipped, data):
    initial = data.draw(INITIAL_EDITIONS)
    amendments = draw_amendments(data, initial, data.draw(st.integers(1, 3)))
    tree = m.DataTree("", shipped.regulation, initial, tuple(amendments), shipped.organisations, ())
    all_editions = editions(initial, amendments)
    i = data.draw(st.integers(0, len(all_editions) - 1))
    j = data.draw(st.integers(i, len(all_editions) - 1))
    a = Point("a", "date", all_editions[i].in_force, all_editions[i])
    b = Point("b", "date", all_editions[j].in_force, all_editions[j])
    lang = data.draw(LANGS)
    template = REPO / "templates" / lang / "regulation.docx"
    props = DocProps("t", "a", date(2020, 1, 1), lang)
    root_xml = document_xml(redline_docx(redline(tree, a, b, lang), template, props))

    def rendered(p: Point) -> list:
        return blocks(document_xml(render_docx(template, regulation_context(tree, p.edition, lang, p.when), props)))

    assert blocks(accept_all(root_xml)) == rendered(b)
    assert blocks(reject_all(root_xml)) == rendered(a)
    if i == j:
        assert revisions(root_xml) == []


def _resolve(paras, keep: str) -> list[str]:
    """Return the paragraph texts after accepting (keep "ins") or rejecting (keep "del") every change of values."""
    drop = "del" if keep == "ins" else "ins"
    out, pending = [], ""
    for p in paras:
        joined = pending + "".join(r.text for r in p.runs if r.change != drop)
        if p.mark == drop:
            pending = joined
        else:
            out.append(joined)
            pending = ""
    return out


paragraph_lists = st.lists(st.text(alphabet="әб вг,.", min_size=1, max_size=12).map(str.strip).filter(bool),
                           min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(paragraph_lists, paragraph_lists)
def test_paragraphs_changed_word_by_word_accept_and_reject(old, new):
    paras = changed(old, new, "Clause", Revision("r", date(2027, 3, 1)))
    assert _resolve(paras, "ins") == new and _resolve(paras, "del") == old
    assert paras[-1].mark is None  # the unit's last paragraph mark stands in both editions
    assert all((p.revision is None) == (p.mark is None and not any(r.change for r in p.runs)) for p in paras)


# ----- LibreOffice opens it and keeps the tracked changes ------------------------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed")
def test_libreoffice_keeps_the_tracked_changes_and_prints_them(shipped, tmp_path: Path):
    from regdoc.documents.pdf import convert, find_soffice, start_profile

    source = tmp_path / "redline.docx"
    source.write_bytes(make(REPO, shipped, "2023-03-01", "2026-02-20", "kk"))
    out, profile = tmp_path / "out", tmp_path / "profile"  # a profile of its own: two runs never share one
    out.mkdir()
    # the profile starts as convert's do, so that LibreOffice skips its first-start graphics tests (~0.6 s of CPU)
    start_profile(profile, find_soffice())
    subprocess.run([find_soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                    "--norestore", "--convert-to", "odt", "--outdir", str(out), str(source)],
                   capture_output=True, timeout=300, check=False, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    odt = out / "redline.odt"
    assert odt.is_file() and odt.stat().st_size > 0  # soffice exits 0 even when it wrote nothing
    with zipfile.ZipFile(odt) as package:
        content = package.read("content.xml").decode("utf-8")
    assert "<text:tracked-changes" in content and content.count("<text:changed-region") > 50
    assert AUTHOR["kk"] in content  # the author came through

    result = convert([source], out)
    (pdf,) = result.written
    assert pdf.stat().st_size > 0 and result.failed == ()
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Қорытындылау" in printed and set("әғқңөұүі") <= set(printed.lower())
