"""The comparison table of an amendment, read back with python-docx: one row per operation in the Regulation's
order, the words that go bold and struck through, the words that come bold."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from comparison_support import HOSTILE, text, write_amendment
from conftest import digest
from render_helpers import plain_document
from docx.enum.section import WD_ORIENT

from regdoc.cli import main
from regdoc.documents import packet
from regdoc.documents.output import render_job
from regdoc.documents.resolution import edition_before
from regdoc.tree.load import load_tree
from regdoc.versioning.diff import diff_criteria, word_diff

REPO = Path(__file__).resolve().parents[1]
HEADERS = {"kk": ["№", "Құрылымдық элемент", "Қолданыстағы редакция", "Ұсынылып отырған редакция", "Негіздеме"],
           "ru": ["№ п/п", "Структурный элемент", "Действующая редакция", "Предлагаемая редакция", "Обоснование"]}
WHY = text("Негіздеме: «№ 1» & <тексеру> \"'", "Обоснование: «№ 1» & <проверка> \"'")


def table_of(root: Path, amendment: str, lang: str):
    tree = load_tree(root)
    (job,) = packet.comparison_jobs(tree, packet.find_amendment(tree, amendment), (lang,))
    doc = plain_document(io.BytesIO(render_job(root, job)))
    return doc, doc.tables[0]


def cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def marked(cell) -> list[tuple[str, bool, bool]]:
    """Return a cell's runs as (text, bold, struck through), neighbours of one look joined, paragraphs by \\n."""
    out: list[list] = []
    for k, p in enumerate(cell.paragraphs):
        if k and not p.runs:
            out.append(["\n", False, False])
        for j, run in enumerate(p.runs):
            look = (bool(run.bold), bool(run.font.strike))
            piece = ("\n" if k and j == 0 else "") + run.text
            if out and (out[-1][1], out[-1][2]) == look:
                out[-1][0] += piece
            else:
                out.append([piece, *look])
    return [tuple(x) for x in out if x[0]]


def rows(table) -> list[dict]:
    """Return the body rows: number, unit, current, proposed and justification cells."""
    keys = ("number", "unit", "current", "proposed", "justification")
    return [dict(zip(keys, r.cells)) for r in table.rows[1:]]


def numbered_text(unit, lang: str) -> str:
    return "\n".join(f"{unit.id}. {line}" if i == 0 else line for i, line in enumerate(unit.text[lang].split("\n")))


def editions_of(root: Path, name: str):
    tree = load_tree(root)
    amendment = tree.amendment(name)
    return edition_before(tree, amendment), packet.amendment_points(tree, amendment)[1].edition


# ----- the amendment of 20.02.2026 ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_shipped_amendment_clause_by_clause(lang):
    before, after = editions_of(REPO, "2026-02-20")
    doc, table = table_of(REPO, "2026-02-20", lang)
    assert [c.text for c in table.rows[0].cells] == HEADERS[lang]
    body = rows(table)
    units = {"kk": ["3.2-тармақ *", "4.2-тармақ *", "4.3-тармақ *", "5.2-тармақ *"],
             "ru": ["Пункт 3.2 *", "Пункт 4.2 *", "Пункт 4.3 *", "Пункт 5.2 *"]}[lang]
    assert [r["unit"].text for r in body[:4]] == units
    assert [r["number"].text for r in body] == [str(n) for n in range(1, len(body) + 1)]
    for row, number in zip(body, ("3.2", "4.2", "4.3", "5.2")):
        old, new = numbered_text(before.unit(number), lang), numbered_text(after.unit(number), lang)
        assert cell_text(row["current"]) == old and cell_text(row["proposed"]) == new
        segments = word_diff(old, new)
        # the words that go: bold and struck through, exactly the deleted pieces; the rest plain
        current = marked(row["current"])
        assert [t for t, bold, _ in current if bold] == [s.text for s in segments if s.op == "delete"]
        assert all(bold == strike for _, bold, strike in current)
        # the words that come: bold, never struck through
        proposed = marked(row["proposed"])
        assert [t for t, bold, _ in proposed if bold] == [s.text for s in segments if s.op == "insert"]
        assert not any(strike for _, _, strike in proposed)
        # the issued amendment gives none: nothing is invented, and the cell says so (issue 12)
        assert row["justification"].text in ("Негіздеме берілмеген", "Обоснование не указано")
    assert len(body[2]["proposed"].paragraphs) == 2  # 4.3's new wording has two paragraphs
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height


def test_the_shipped_appendix_has_one_row_per_criterion_changed():
    before, after = editions_of(REPO, "2026-02-20")
    cd = diff_criteria(before.appendix, after.appendix)
    from regdoc.versioning.diff import row_numbers as _row_numbers  # moved there: one pairing for all views

    old_rows, new_rows = _row_numbers(cd.old)[1], _row_numbers(cd.new)[1]
    # issue 12: an indicator renumbered by one added or removed before it has a row too, even with its wording kept
    moved = sum(1 for b in cd.blocks for i in b.indicators if i.status == "unchanged" and i.old and i.new
                and old_rows[(b.id, i.id)] != new_rows[(b.id, i.id)])
    expected = len(cd.settings) + sum(1 for b in cd.blocks if b.status in ("added", "removed") or b.aspects) + sum(
        1 for b in cd.blocks for i in b.indicators if i.status != "unchanged") + moved
    doc, table = table_of(REPO, "2026-02-20", "kk")
    appendix = rows(table)[4:]
    assert len(appendix) == expected > 5
    assert all(r["unit"].text.startswith("1-қосымша") for r in appendix)
    added = next(r for r in appendix if "бірыңғай электрондық есебін" in r["proposed"].text)
    assert marked(added["current"]) == [("жоқ", False, False)]
    assert all(bold for _, bold, _ in marked(added["proposed"]))
    removed = next(r for r in appendix if r["proposed"].text == "алып тасталсын")
    assert all(bold and strike for _, bold, strike in marked(removed["current"]))
    renamed = next(r for r in appendix if r["unit"].text.startswith("1-қосымшаның 6-блогы"))
    # whole words, one phrase (issue 12): «Ақпараттық» -> «Ақпараттық-түсіндіру» is a changed word, not an added
    # «-түсіндіру»; the one word «және» kept between two changed pairs joins them
    assert [t for t, bold, _ in marked(renamed["proposed"]) if bold] == [
        "Ақпараттық-түсіндіру жұмысы және қаржылық тәртіп"]
    # every row shows sample data (the first edition's wording and the criteria are samples): marked and noted
    assert all(r["unit"].text.endswith(" *") for r in rows(table))
    assert doc.paragraphs[-1].text == "* Үлгі деректер: мәтіннің бұл бөлігі нақты құжаттан алынбаған."
    # issue 15: the heading is a complete phrase (glossary), what is compared stands under it
    assert doc.paragraphs[0].text == "Атқару комитетінің 2026 жылғы 20 ақпандағы № 9 қаулысының жобасына салыстырмалы кесте"
    assert doc.paragraphs[1].text == ("(Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ережеге "
                                      "енгізілетін өзгерістер мен толықтырулар)")


def test_the_russian_heading():
    doc, _ = table_of(REPO, "2026-02-20", "ru")
    assert doc.paragraphs[0].text == ("Сравнительная таблица к проекту постановления Исполнительного комитета от "
                                      "20 февраля 2026 года № 9")
    assert doc.paragraphs[1].text == ("(изменения и дополнения в Положение о системе ежегодной оценки деятельности "
                                      "членских организаций)")


# ----- each kind of operation -----------------------------------------------------------------------------------

def test_insert_and_delete(tree: Path):
    write_amendment(tree, "2027-03-01", [
        {"op": "delete", "target": "3.2", "justification": WHY},
        {"op": "insert", "target": "4.7", "kind": "clause", "after": "4.6", "source": "issued",
         "text": text("Жаңа тармақ.\nЕкінші абзац.", "Новый пункт.\nВторой абзац.")}], source="issued")
    for lang, absent, delete in (("kk", "жоқ", "алып тасталсын"), ("ru", "отсутствует", "исключить")):
        doc, table = table_of(tree, "2027-03-01", lang)
        deleted, inserted = rows(table)
        assert cell_text(deleted["current"]).startswith("3.2. ")
        assert len(deleted["current"].paragraphs) == 7  # the clause and its six sub-clauses go with it
        assert all(bold and strike for _, bold, strike in marked(deleted["current"]))
        assert marked(deleted["proposed"]) == [(delete, False, False)]
        assert deleted["justification"].text == WHY[lang]  # hostile characters come through as text
        assert marked(inserted["current"]) == [(absent, False, False)]
        assert cell_text(inserted["proposed"]) == {"kk": "4.7. Жаңа тармақ.\nЕкінші абзац.",
                                                   "ru": "4.7. Новый пункт.\nВторой абзац."}[lang]
        assert all(bold and not strike for _, bold, strike in marked(inserted["proposed"]))
        # none given: the cell says so, never blank (issue 12)
        assert inserted["justification"].text == {"kk": "Негіздеме берілмеген", "ru": "Обоснование не указано"}[lang]
        assert not inserted["unit"].text.endswith("*")  # an issued new unit is not a sample
        assert doc.paragraphs[1].text.endswith(("өзгерістер мен толықтырулар)", "изменения и дополнения в Положение "
                                                "о системе ежегодной оценки деятельности членских организаций)"))


def test_replace_words_marks_only_the_words_replaced(tree: Path):
    write_amendment(tree, "2027-03-01", [
        {"op": "replace_words", "target": "1.2",
         "old": text("жергілікті кәсіптік одақтар", "местные профессиональные союзы"),
         "new": text("жергілікті кәсіподақтар", "местные профсоюзы")},
        {"op": "replace_words", "target": "1.2", "old": text("қатысады", "участвуют"),
         "new": text("қатыса алады", "могут участвовать")}])
    doc, table = table_of(tree, "2027-03-01", "ru")
    first, second = rows(table)
    assert [t for t, bold, _ in marked(first["current"]) if bold] == ["профессиональные союзы"]
    assert [t for t, bold, _ in marked(first["proposed"]) if bold] == ["профсоюзы"]
    # the second operation starts from the first one's result
    assert "местные профсоюзы" in second["current"].text
    assert [t for t, bold, _ in marked(second["current"]) if bold] == ["участвуют"]
    assert [t for t, bold, _ in marked(second["proposed"]) if bold] == ["могут участвовать"]
    assert doc.paragraphs[1].text.startswith("(изменения в Положение")


def test_rows_follow_the_regulation_not_the_order_of_the_operations(tree: Path):
    write_amendment(tree, "2027-03-01", [
        {"op": "change_indicator", "target": "legal.inspections", "rule": {"kind": "per_unit", "points": 15}},
        {"op": "replace", "target": "5.1", "text": text("Бес.", "Пять.")},
        {"op": "replace", "target": "2", "text": text("Мақсаттар", "Цели")},
        {"op": "replace", "target": "2.1", "text": text("Екі.", "Два.")}])
    _, table = table_of(tree, "2027-03-01", "kk")
    assert [r["unit"].text.rstrip(" *") for r in rows(table)] == ["2-бөлім", "2.1-тармақ", "5.1-тармақ",
                                                                 "1-қосымшаның 3.2-жолы"]


def test_criteria_operations_one_row_each(tree: Path):
    write_amendment(tree, "2027-03-01", [
        {"op": "add_indicator", "target": "legal.mediation", "block": "legal", "after": "legal.inspections",
         "indicator": {"id": "legal.mediation", "title": text("Медиация саны", "Число медиаций"), "unit": "count",
                       "rule": {"kind": "per_unit", "points": 5, "cap": 50}}},
        {"op": "remove_indicator", "target": "legal.consultations", "justification": WHY},
        {"op": "change_indicator", "target": "legal.inspections", "rule": {"kind": "per_unit", "points": 15,
                                                                            "cap": 1000}}])
    doc, table = table_of(tree, "2027-03-01", "kk")
    body = rows(table)
    # issue 12: the rows each operation renumbers come too (the new 3.3 moves 3.3-3.5 down; removing the then 3.5
    # moves 3.6 up), each named by its old and new number
    renumbered = [r for r in body if "→" in r["unit"].text]
    assert [r["unit"].text for r in renumbered] == [f"1-қосымшаның {n}-жолы *" for n in (
        "3.3 → 3.4", "3.4 → 3.5", "3.5 → 3.6", "3.6 → 3.5")]
    added, removed, changed = [r for r in body if r not in renumbered]
    assert added["unit"].text == "1-қосымшаның 3.3-жолы *" and marked(added["current"]) == [("жоқ", False, False)]
    assert cell_text(added["proposed"]) == "3.3. Медиация саны – әр бірлік үшін 5 ұпай, ең көбі 50 ұпай"
    assert removed["unit"].text == "1-қосымшаның 3.5-жолы *" and removed["justification"].text == WHY["kk"]
    assert cell_text(removed["proposed"]) == "алып тасталсын"
    assert [t for t, bold, strike in marked(changed["current"]) if bold and strike] == ["10"]
    assert [t for t, bold, _ in marked(changed["proposed"]) if bold] == ["15"]
    assert "өзгерістер мен толықтырулар" in doc.paragraphs[1].text


def test_rules_of_places_and_blocks_in_a_new_appendix(tree: Path):
    shipped = yaml.safe_load((REPO / "regulation" / "versions" / "2026-02-20.yaml").read_text(encoding="utf-8"))
    criteria = shipped["ops"][-1]["criteria"]
    criteria["prize_places"] = 5
    criteria["blocks"][3]["main"] = True
    write_amendment(tree, "2027-03-01", [{"op": "replace_appendix", "target": "appendix-1", "criteria": criteria,
                                          "ref": text("1-қосымша", "приложение 1")}])
    _, table = table_of(tree, "2027-03-01", "ru")
    setting, block = rows(table)
    assert setting["unit"].text == "Приложение 1 *"
    assert cell_text(setting["current"]) == "число призовых мест: 3"
    assert cell_text(setting["proposed"]) == "число призовых мест: 5"
    assert block["unit"].text == "Блок 4 приложения 1 *"
    assert [t for t, bold, _ in marked(block["proposed"]) if bold] == [" (основной блок)"]


def test_hostile_text_comes_through(tree: Path):
    write_amendment(tree, "2027-03-01", [{"op": "replace", "target": "4.2", "text": HOSTILE, "justification": WHY}])
    for lang in ("kk", "ru"):
        _, table = table_of(tree, "2027-03-01", lang)
        (row,) = rows(table)
        assert cell_text(row["proposed"]) == f"4.2. {HOSTILE[lang]}"
        assert row["justification"].text == WHY[lang]


# ----- the command ----------------------------------------------------------------------------------------------

def test_render_comparison_command(tree: Path, tmp_path: Path, capsys):
    before = digest(tree)
    out = tmp_path / "docs"
    out.mkdir()
    assert main(["render", "comparison", "2026-02-20", "--out", str(out), "--root", str(tree)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["comparison-2026-02-20.kk.docx", "comparison-2026-02-20.ru.docx"]
    assert "wrote" in capsys.readouterr().err
    assert digest(tree) == before


@pytest.mark.parametrize("args, message", [
    (["2026-02-2"], "no amendment '2026-02-2' in regulation/versions/; known: 2026-02-20; did you mean '2026-02-20'?"),
    (["2026-02-20", "--parallel"], "--parallel is not available for the comparison table"),
])
def test_render_comparison_errors(tree: Path, capsys, args, message):
    assert main(["render", "comparison", *args, "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tree / "out").exists() or not any((tree / "out").iterdir())


def test_the_amendment_justification_serves_every_operation_without_its_own(tree: Path):
    import yaml

    write_amendment(tree, "2027-03-01", [
        {"op": "delete", "target": "3.2", "justification": WHY},
        {"op": "replace", "target": "4.2", "text": text("Жаңа.", "Новый.")}])
    path = tree / "regulation" / "versions" / "2027-03-01.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["justification"] = {"kk": "Жалпы негіздеме", "ru": "Общее обоснование"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for lang in ("kk", "ru"):
        _, table = table_of(tree, "2027-03-01", lang)
        deleted, replaced = rows(table)
        assert deleted["justification"].text == WHY[lang]
        assert replaced["justification"].text == {"kk": "Жалпы негіздеме", "ru": "Общее обоснование"}[lang]


def test_a_renumbered_row_names_one_indicator_by_both_numbers():
    """Row 6.4 became 6.3 and 6.3 became 6.2 when 6.2 was removed: each row's label, old and new wording name the
    same indicator (issue 12)."""
    doc, table = table_of(REPO, "2026-02-20", "kk")
    by_label = {r["unit"].text.rstrip(" *"): r for r in rows(table)}
    moved = by_label["1-қосымшаның 6.3 → 6.2-жолы"]
    assert cell_text(moved["current"]).startswith("6.3. Мүшелік жарналардың")
    assert cell_text(moved["proposed"]).startswith("6.2. Мүшелік жарналардың")
    assert cell_text(by_label["1-қосымшаның 6.4 → 6.3-жолы"]["current"]).startswith("6.4. ")
