"""The register's rows (pure) and the phrasing they use in both languages."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from registry_support import SHIPPED, copy_tree, rid, write_resolution

from regdoc.data import model as m
from regdoc.phrasing import kk, ru
from regdoc.registry.numbering import skeleton_yaml
from regdoc.registry.register import amended_parts, register_rows, row_cells, row_data
from regdoc.tree.load import load_tree


def amendment(*ops: m.Op) -> m.Amendment:
    return m.Amendment("2027-01-01", rid("2027-01-01/1/1"), date(2027, 1, 1), "sample", ops)


def test_the_shipped_resolution_in_the_register():
    [row] = register_rows(load_tree(SHIPPED))
    assert row.id == rid("2026-02-20/9/7") and row.date == date(2026, 2, 20)
    assert row.number == m.Text("20.02.2026 ж. № 9, 7-т.", "20.02.2026 г. № 9, п. 7")
    assert row.title.kk.startswith("Қазақстандық оқу-ағарту") and row.title.ru.startswith("Об итогах")
    [ref] = row.amendments
    assert (ref.name, ref.in_force) == ("2026-02-20", date(2026, 2, 20))
    assert ref.parts == m.Text("3.2, 4.2, 4.3 және 5.2-тармақтар; 1-қосымша",
                               "пункты 3.2, 4.2, 4.3 и 5.2; приложение 1")
    assert row.evaluation == 2025
    assert row.evaluation_text == m.Text("2025 жылғы бағалау қорытындылары", "итоги оценки за 2025 год")
    assert not row.draft and row.file == "resolutions/2026/2026-02-20-9-7.yaml"


def test_rows_are_in_number_order_and_filtered_by_year(tmp_path):
    root = copy_tree(tmp_path)
    for text in ("2027-01-15/1/1", "2026-03-05/10/2", "2026-03-05/10/1", "2026-02-20/9/8"):
        write_resolution(root, text)
    tree = load_tree(root)
    assert [str(r.id) for r in register_rows(tree)] == [
        "2026-02-20/9/7", "2026-02-20/9/8", "2026-03-05/10/1", "2026-03-05/10/2", "2027-01-15/1/1"]
    assert [str(r.id) for r in register_rows(tree, 2027)] == ["2027-01-15/1/1"]
    assert register_rows(tree, 2030) == ()
    plain = register_rows(tree, 2027)[0]
    assert plain.amendments == () and plain.evaluation is None and plain.evaluation_text is None


def test_a_draft_is_marked_in_each_language(tmp_path):
    root = copy_tree(tmp_path)
    (root / "resolutions/2026/2026-03-05-10-1.yaml").write_text(skeleton_yaml(rid("2026-03-05/10/1")), "utf-8")
    row = register_rows(load_tree(root))[-1]
    assert row.draft
    assert row_cells(row, "kk")["title"] == "(жоба) TODO: қаулының атауы"
    assert row_cells(row, "ru")["title"] == "(проект) TODO: наименование постановления"
    assert row_data(row)["draft"] is True


def test_cells_and_json_of_a_row():
    [row] = register_rows(load_tree(SHIPPED))
    assert row_cells(row, "ru") == {
        "date": "20.02.2026", "number": "20.02.2026 г. № 9, п. 7", "title": row.title.ru,
        "amendments": "пункты 3.2, 4.2, 4.3 и 5.2; приложение 1", "evaluation": "итоги оценки за 2025 год"}
    data = row_data(row)
    assert list(data) == ["id", "date", "meeting", "item", "number", "title", "amendments", "evaluation",
                          "evaluation_text", "draft", "file"]
    assert (data["id"], data["date"], data["meeting"], data["item"]) == ("2026-02-20/9/7", "2026-02-20", 9, 7)
    assert data["amendments"] == [{"name": "2026-02-20", "in_force": "2026-02-20", "parts": {
        "kk": "3.2, 4.2, 4.3 және 5.2-тармақтар; 1-қосымша", "ru": "пункты 3.2, 4.2, 4.3 и 5.2; приложение 1"}}]


def test_an_amendment_adopted_without_an_item_naming_it_is_still_carried():
    tree = load_tree(SHIPPED)
    r = tree.resolutions[0]
    bare = replace(r, items=tuple(i for i in r.items if i.amendment is None))
    [row] = register_rows(replace(tree, resolutions=(bare,)))
    assert [a.name for a in row.amendments] == ["2026-02-20"]


def test_amended_parts_by_kind_and_number_order():
    parts = amended_parts(amendment(
        m.Op("insert", "7", kind="section"), m.Op("replace", "10.1"), m.Op("replace", "4.2"),
        m.Op("delete", "3.2.1"), m.Op("replace_words", "4.2"), m.Op("change_indicator", "legal.returned_funds")))
    assert parts == m.Text("7-бөлім; 4.2 және 10.1-тармақтар; 3.2.1-тармақша; 1-қосымша",
                           "раздел 7; пункты 4.2 и 10.1; подпункт 3.2.1; приложение 1")


def test_amended_parts_of_one_clause():
    assert amended_parts(amendment(m.Op("replace", "4.2"))) == m.Text("4.2-тармақ", "пункт 4.2")


def test_register_titles():
    assert kk.register_title(2026) == "Атқару комитетінің 2026 жылғы қаулыларының тізілімі"
    assert ru.register_title(2026) == "Реестр постановлений Исполнительного комитета за 2026 год"
    assert kk.register_title() == "Атқару комитеті қаулыларының тізілімі"
    assert ru.register_title() == "Реестр постановлений Исполнительного комитета"
    assert list(kk.REGISTER_HEADINGS) == list(ru.REGISTER_HEADINGS)


def test_draft_placeholders_in_both_languages():
    assert kk.draft_placeholder("item", 3) == "3-тармақтың мәтіні"
    assert ru.draft_placeholder("item", 3) == "текст пункта 3"
    for part in ("title", "preamble", "position", "name"):
        assert kk.draft_placeholder(part) and ru.draft_placeholder(part)
        assert kk.draft_placeholder(part) != ru.draft_placeholder(part)
