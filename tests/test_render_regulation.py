"""The consolidated Regulation: units with their notes, deleted units kept, Appendix 1 as a landscape table."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx.enum.section import WD_ORIENT
from render_helpers import block_texts, plain, plain_document

from regdoc.documents import packet
from regdoc.documents.output import render_job
from regdoc.documents.regulation import regulation_context
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import edition_at

REPO = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 2, 20)


@pytest.fixture(scope="module")
def data():
    return load_tree(REPO)


def _render(tree_, root: Path, out: Path, as_of: date, langs=("kk", "ru")) -> dict[str, Path]:
    edition = edition_at(tree_.initial, tree_.amendments, as_of)
    paths = {}
    for job in packet.regulation_jobs(tree_, edition, as_of, langs):
        paths[job.lang] = out / job.filename
        paths[job.lang].write_bytes(render_job(root, job))
    return paths


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory) -> dict[str, Path]:
    return _render(data, REPO, tmp_path_factory.mktemp("regulation"), AS_OF)


def test_the_title_block(rendered):
    doc = plain_document(str(rendered["kk"]))
    first = [(p.style.name, p.text) for p in doc.paragraphs[:4]]
    assert first[0][0] == "Approval" and first[0][1].startswith("Қазақстандық салалық білім және ғылым")
    assert first[1] == ("Approval", "(Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысымен енгізілген "
                                    "өзгерістермен)")
    assert first[2] == ("Regulation Title", "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ереже")
    assert first[3][0] == "As Of" and "20.02.2026" in first[3][1]
    ru = [p.text for p in plain_document(str(rendered["ru"])).paragraphs[:3]]
    assert ru[1] == ("(с изменениями, внесенными постановлением Исполнительного комитета от 20 февраля 2026 года "
                     "№ 9)")


def test_units_in_order_with_their_notes_newest_first(rendered, data):
    doc = plain_document(str(rendered["kk"]))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    headings = [t for s, t in paragraphs if s == "Section Heading"]
    assert headings == ["1. Жалпы ережелер", "2. Бағалаудың мақсаттары мен міндеттері",
                        "3. Бағалау бағыттары мен критерийлері", "4. Бағалау және қорытынды шығару тәртібі",
                        "5. Жеңімпаздарды көтермелеу", "6. Қорытынды ережелер"]
    texts = [t for _, t in paragraphs]
    i = texts.index("4.2. Қорытындылау кезінде қызметтің барлық бағыттары бойынша көрсеткіштер ұпайларға "
                    "ауыстырылады, олардың нәтижелері бойынша Кәсіподақтың барлық мүшелік ұйымдары бағалау "
                    "крийтерлеріндегі (кестедегі) әрбір көрсеткіш бойынша сараланады. Есептеу объектілерді және "
                    "бағалау өлшемшарттарын белгілейтін кесте бойынша жүргізіледі (осы Ережеге 1-қосымша).")
    assert paragraphs[i + 1] == ("Note", "Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 20.02.2026 "
                                         "№ 9 қаулысымен.")
    # 4.3 has two paragraphs, numbered once, then its note
    j = next(k for k, t in enumerate(texts) if t.startswith("4.3. "))
    assert texts[j + 1].startswith("Мүшелік ұйымдардың қызметі критерийлер бойынша")
    assert paragraphs[j + 2][0] == "Note"
    unit_paras = [t for s, t in paragraphs if s in ("Clause", "Subclause")]
    numbered = [t.split(" ")[0] for t in unit_paras if t[0].isdigit()]
    expected = [u.id + "." for u in edition_at(data.initial, data.amendments, AS_OF).units if u.kind != "section"]
    assert numbered == expected
    assert "3.2.1. ұйымдастыру жұмысы және кәсіподақ мүшелігі;" in [t for s, t in paragraphs if s == "Subclause"]


def test_before_any_amendment_there_are_no_notes(data, tmp_path: Path):
    paths = _render(data, REPO, tmp_path, date(2025, 1, 1), ("ru",))
    doc = plain_document(str(paths["ru"]))
    assert not [p for p in doc.paragraphs if p.style.name == "Note"]
    assert not [p for p in doc.paragraphs if p.text.startswith("(с изменениями")]


def test_appendix_1_is_a_landscape_table_of_blocks_and_indicators(rendered, data):
    doc = plain_document(str(rendered["kk"]))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert doc.sections[1].page_width.mm == pytest.approx(297, abs=0.5)
    [table] = doc.tables
    assert table.style.name == "Grid Table Regdoc"
    assert [c.text for c in table.rows[0].cells] == ["№", "Көрсеткіштің атауы", "Өлшем бірлігі", "Ұпай беру тәртібі",
                                                    "Ең жоғары ұпай саны"]
    criteria = edition_at(data.initial, data.amendments, AS_OF).appendix
    assert len(table.rows) == 1 + len(criteria.blocks) + sum(len(b.indicators) for b in criteria.blocks)
    block_row = table.rows[1]
    assert block_row.cells[0].text == "1. Ұйымдастыру жұмысы және кәсіподақ мүшелігі (негізгі блок)"
    assert block_row.cells[0].paragraphs[0].style.name == "Table Block"
    first = [c.text for c in table.rows[2].cells]
    assert first[0] == "1.1"
    assert first[1].startswith("Кәсіподақ мүшелігімен қамту")
    assert first[2] == "%"
    assert first[3] and first[4] == "1 000 ұпай"  # as it reads (its no-break spaces: test_render_structure)
    texts = block_texts(rendered["kk"])
    assert "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ережеге 1-қосымша" in texts
    assert "Ескерту. 1-қосымша жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен." in texts
    ru = plain_document(str(rendered["ru"])).tables[0]
    assert ru.rows[0].cells[4].text == "Максимальное количество баллов"
    assert "Приложение 1 к Положению о системе ежегодной оценки деятельности членских организаций" in \
        block_texts(rendered["ru"])


def test_the_columns_fill_the_landscape_text_width(rendered):
    table = plain_document(str(rendered["ru"])).tables[0]
    widths = [c.width.mm for c in table.rows[2].cells]
    assert sum(widths) == pytest.approx(257, abs=1)


def test_a_deleted_unit_keeps_its_number_and_shows_as_deleted(tree: Path, tmp_path: Path):
    (tree / "regulation" / "versions" / "2026-06-01.yaml").write_text(
        "adopted_by: 2026-06-01/10/1\nin_force: 2026-06-01\nsource: sample\n"
        "regulation_ref: {kk: \"Ережеге\", ru: \"Положение\"}\n"
        "ops:\n  - op: delete\n    target: \"4.6\"\n", encoding="utf-8")
    (tree / "resolutions" / "2026" / "2026-06-01-10-1.yaml").write_text(
        "id: 2026-06-01/10/1\nsource: sample\ntitle: {kk: \"Ереже туралы.\", ru: \"О Положении.\"}\n"
        "preamble: {kk: \"Атқару комитеті\", ru: \"Исполнительный комитет\"}\n"
        "items:\n  - number: 1\n    amendment: 2026-06-01\n"
        "signatory: {position: {kk: \"Төраға\", ru: \"Председатель\"}, name: {kk: \"А. Мұқашева\", ru: \"А. Мукашева\"}}\n",
        encoding="utf-8")
    changed = load_tree(tree)
    paths = _render(changed, tree, tmp_path, date(2026, 6, 1))
    kk = plain_document(str(paths["kk"]))
    deleted = [(p.style.name, p.text) for p in kk.paragraphs if p.text.startswith("4.6.")]
    assert deleted == [("Deleted Unit", "4.6. Алып тасталды - Атқару комитетінің 01.06.2026 № 10 қаулысымен.")]
    ru_texts = block_texts(paths["ru"])
    assert any(t.startswith("4.6. Исключен") for t in ru_texts)
    assert any(t.startswith("(с изменениями, внесенными постановлениями Исполнительного комитета от 20 февраля "
                            "2026 года № 9, от 1 июня 2026 года № 10)") for t in ru_texts)
    assert "4.5." in "\n".join(ru_texts) and "5.1." in "\n".join(ru_texts)


def test_the_context_is_plain(data):
    ctx = regulation_context(data, edition_at(data.initial, data.amendments, AS_OF), "ru", AS_OF)
    assert set(ctx) == {"lang", "approval", "amended_by", "title", "as_of", "units", "appendix"}
    assert {u["kind"] for u in ctx["units"]} == {"section", "clause", "subclause"}
    assert all(isinstance(n, str) for u in ctx["units"] for n in u["notes"])


def test_a_clause_note_follows_its_whole_subtree_never_its_colon():
    """Issue 15: «Ескерту. 3.2-тармақ ...» stood between «...критерийлері:» and sub-clauses 3.2.1-3.2.6."""
    from datetime import date

    from datatree import REPO

    from regdoc.documents.regulation import regulation_context
    from regdoc.tree.load import load_tree
    from regdoc.versioning.amend import edition_at

    tree = load_tree(REPO)
    edition = edition_at(tree.initial, tree.amendments, date(2026, 2, 20))
    for lang, start in (("kk", "Ескерту. 3.2-тармақ"), ("ru", "Сноска. Пункт 3.2")):
        units = {u["id"]: u for u in plain(regulation_context(tree, edition, lang, date(2026, 2, 20))["units"])}
        assert units["3.2"]["paragraphs"][0].endswith(":") and units["3.2"]["notes"] == []
        assert [n for n in units["3.2.6"]["notes"] if n.startswith(start)]
        assert units["4.2"]["notes"] and units["4.2"]["notes"][0].startswith(start[:8])
