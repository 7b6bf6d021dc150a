from __future__ import annotations

from pathlib import Path

from regdoc.tree.check import check_tree
from regdoc.tree.load import load_tree


def errors(problems):
    return [p for p in problems if p.severity == "error"]


def warnings(problems):
    return [p for p in problems if p.severity == "warning"]


def test_shipped_tree_is_valid_but_for_the_issued_numbering_gap(repo: Path):
    problems = check_tree(repo)
    assert errors(problems) == []
    # issue 12: the issued amendment gives no justification, and check says so (the comparison table too)
    assert [(p.file, p.node) for p in warnings(problems)] == [("resolutions/2026/2026-02-20-9-7.yaml", "items"),
                                                              ("regulation/versions/2026-02-20.yaml", "ops")]
    assert "no item 2" in warnings(problems)[0].message
    assert "no justification is given for operation(s) 1, 2, 3, 4, 5" in warnings(problems)[1].message


def test_shipped_tree_loads(repo: Path):
    tree = load_tree(repo)
    assert [a.name for a in tree.amendments] == ["2026-02-20"]
    resolution = tree.resolutions[0]
    assert str(resolution.id) == "2026-02-20/9/7"
    assert [i.number for i in resolution.items] == [1, 3, 4, 5, 6]
    assert tree.organisation("aktobe").name_at(resolution.id.date).kk.startswith("Қазақстандық салалық білім және ғылым")


def test_issued_kazakh_wording_is_kept_character_for_character(repo: Path):
    tree = load_tree(repo)
    ops = {op.target: op for op in tree.amendments[0].ops}
    assert "бағалау крийтерлеріндегі (кестедегі)" in ops["4.2"].text.kk  # the typo as issued
    assert ops["4.3"].text.kk.count("\n") == 1  # two paragraphs, as issued


def test_numbers_that_differ_between_languages_warn(tree: Path):
    path = tree / "resolutions/2026/2026-02-20-9-7.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Пленуме Центрального комитета.", "Пленуме Центрального комитета 2027 года."),
                    encoding="utf-8")
    found = [p for p in warnings(check_tree(tree)) if "different numbers" in p.message]
    assert len(found) == 1
    assert found[0].node == "items[3].text" and "only in ru: 2027" in found[0].message


def test_same_day_amendments_touching_one_unit_are_an_error(tree: Path):
    (tree / "regulation/versions/2026-02-20-b.yaml").write_text(
        "adopted_by: 2026-02-20/9/7\nin_force: 2026-02-20\nsource: sample\nops:\n"
        "  - op: replace\n    target: \"4.2\"\n    text: {kk: \"Мәтін.\", ru: \"Текст.\"}\n", encoding="utf-8")
    found = errors(check_tree(tree))
    assert len(found) == 1
    assert found[0].file == "regulation/versions/2026-02-20-b.yaml" and found[0].line == 6
    assert "same date" in found[0].message and "4.2" in found[0].message


def test_amendment_before_the_initial_edition_is_an_error(tree: Path):
    (tree / "regulation/versions/2020-01-01.yaml").write_text(
        "adopted_by: 2026-02-20/9/7\nin_force: 2020-01-01\nsource: sample\nops:\n"
        "  - op: delete\n    target: \"6.3\"\n", encoding="utf-8")
    found = errors(check_tree(tree))
    assert any(p.file == "regulation/versions/2020-01-01.yaml" and p.node == "in_force"
               and "before the initial edition" in p.message for p in found)


def test_resolution_item_must_link_its_own_amendment(tree: Path):
    path = tree / "regulation/versions/2026-02-20.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("adopted_by: 2026-02-20/9/7", "adopted_by: 2026-02-20/9/6"),
                    encoding="utf-8")
    messages = [str(p) for p in errors(check_tree(tree))]
    assert any("resolution 2026-02-20/9/6 does not exist yet" in m for m in messages)
    assert any("says it was adopted by 2026-02-20/9/6, not by 2026-02-20/9/7" in m for m in messages)


def test_initial_units_out_of_order_are_an_error(tree: Path):
    path = tree / "regulation/versions/2023-03-01.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('id: "4.4"', 'id: "4.1"', 1), encoding="utf-8")
    messages = [str(p) for p in errors(check_tree(tree))]
    assert any("unit 4.1 is given twice" in m for m in messages)
    assert any("must be in ascending order" in m for m in messages)


def test_not_a_data_tree(tmp_path: Path):
    found = errors(check_tree(tmp_path))
    assert len(found) == 1 and "not a regdoc data tree" in found[0].message


# ----- issue 12: the hint for a resolution file named for another id never renames onto an existing file -------

def test_a_duplicated_id_is_not_fixed_by_renaming_onto_the_existing_file(tree: Path):
    folder = tree / "resolutions" / "2026"
    (folder / "2026-02-20-9-8.yaml").write_bytes((folder / "2026-02-20-9-7.yaml").read_bytes())
    messages = [str(p) for p in errors(check_tree(tree)) if "2026-02-20-9-8.yaml" in str(p)]
    assert messages and not any("name it 2026-02-20-9-7.yaml" in m for m in messages)
    assert any("2026-02-20-9-7.yaml exists already" in m and "change its id to 2026-02-20/9/8" in m
               for m in messages)


def test_a_duplicated_id_whose_file_name_gives_no_free_id_says_so(tree: Path):
    folder = tree / "resolutions" / "2026"
    (folder / "copy.yaml").write_bytes((folder / "2026-02-20-9-7.yaml").read_bytes())
    messages = [str(p) for p in errors(check_tree(tree)) if "copy.yaml" in str(p)]
    assert messages and not any("name it" in m for m in messages)
    assert any("no free name follows from the data" in m and "regdoc resolution new --date 2026-02-20" in m
               for m in messages)


def test_a_misnamed_file_whose_right_name_is_free_is_told_to_take_it(tree: Path):
    folder = tree / "resolutions" / "2026"
    (folder / "2026-02-20-9-7.yaml").rename(folder / "2026-02-20-9-70.yaml")
    messages = [str(p) for p in errors(check_tree(tree))]
    assert any("file is named 2026-02-20-9-70.yaml, but holds resolution 2026-02-20/9/7: name it "
               "2026-02-20-9-7.yaml" in m for m in messages)
