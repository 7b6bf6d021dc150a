"""`regdoc amendment new` (regdoc.app.amendments) and an amendment whose resolution does not exist yet (a draft):
`check` reports it with the command that creates the resolution, the read-only views show it marked as a draft,
and the signable documents refuse it (or, with --force, mark it)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from regdoc.cli import main
from regdoc.tree.check import check_tree

NEW = ["amendment", "new", "--date", "2027-02-12", "--resolution", "2027-02-12/3/5"]
FILE = "regulation/versions/2027-02-12.yaml"
RESOLUTION_NEW = "`regdoc resolution new --date 2027-02-12 --meeting 3 --item 5`"


def run(tree: Path, capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv) + ["--root", str(tree)])
    out, err = capsys.readouterr()
    return code, out, err


def errors(tree: Path) -> list:
    return [p for p in check_tree(tree) if p.severity == "error"]


def uncommented(text: str, keep_todo: bool = True) -> str:
    """Return the skeleton with every example operation uncommented (but replace_appendix, whose criteria are
    to be copied), and the amendment's justification; without `keep_todo`, the TODO placeholders filled in."""
    out, skip = [], False
    for line in text.splitlines():
        if line.startswith("ops: []"):
            continue
        if line.startswith("#   - op: replace_appendix"):
            skip = True
            continue
        if skip and line.startswith("#   - op:"):
            skip = False
        if skip:
            continue
        if line.startswith(("# ops:", "#   ", "# justification:")):
            line = line[2:]
        out.append(line)
    result = "\n".join(out) + "\n"
    return result if keep_todo else result.replace("TODO: ", "")


def test_the_skeleton_has_every_operation_kazakh_first_and_check_says_it_has_none_yet(tree, capsys):
    code, out, err = run(tree, capsys, *NEW)
    assert code == 0 and out.strip() == FILE
    assert RESOLUTION_NEW in err  # the resolution does not exist yet: what to do
    text = (tree / FILE).read_text(encoding="utf-8")
    for op in ("replace", "insert", "delete", "replace_words", "replace_appendix", "add_indicator",
               "remove_indicator", "change_indicator"):
        assert re.search(rf"^#   - op: {op}\b", text, re.M), op
    assert "justification:" in text
    assert re.search(r'^#     target: "\d+\.\d+-1"', text, re.M)  # an insertion numbered as Kazakhstan's acts do
    assert "мынадай мазмұндағы" in text and "дополнить пунктом" in text
    assert all(k < r for k, r in zip([m.start() for m in re.finditer(r"\bkk: ", text)],
                                     [m.start() for m in re.finditer(r"\bru: ", text)]))  # kk first, then ru
    found = errors(tree)
    assert [(p.file, p.node) for p in found] == [(FILE, "adopted_by"), (FILE, "ops")]
    assert all(p.draft for p in found)
    assert RESOLUTION_NEW in found[0].message
    assert "no operations yet" in found[1].message
    code, _, err = run(tree, capsys, "check")
    assert code == 1 and "no operations yet" in err + _


def test_with_its_resolution_the_skeleton_only_lacks_operations(tree, capsys):
    assert run(tree, capsys, "resolution", "new", "--date", "2027-02-12", "--meeting", "3", "--item", "5")[0] == 0
    code, _, err = run(tree, capsys, *NEW)
    assert code == 0 and err == ""
    assert [p.node for p in errors(tree)] == ["ops"]


def test_every_example_uncommented_applies_and_only_its_placeholders_are_reported(tree, capsys):
    assert run(tree, capsys, "resolution", "new", "--date", "2027-02-12", "--meeting", "3", "--item", "5")[0] == 0
    assert run(tree, capsys, *NEW)[0] == 0
    path = tree / FILE
    skeleton = path.read_text(encoding="utf-8")
    path.write_text(uncommented(skeleton), encoding="utf-8")
    found = errors(tree)
    assert found and all("placeholder TODO" in p.message for p in found), [str(p) for p in found]
    path.write_text(uncommented(skeleton, keep_todo=False), encoding="utf-8")
    assert errors(tree) == []
    code, out, _ = run(tree, capsys, "diff", "2026-02-20", "2027-02-12", "--format", "json")
    statuses = {u["id"]: u["status"] for u in json.loads(out)["units"] if u["status"] != "unchanged"}
    assert sorted(statuses.values()) == ["added", "changed", "changed", "deleted"]
    assert any(re.fullmatch(r"\d+\.\d+-1", k) for k, v in statuses.items() if v == "added")


def test_a_second_run_refuses_and_names_the_file(tree, capsys):
    assert run(tree, capsys, *NEW)[0] == 0
    before = (tree / FILE).read_bytes()
    code, out, err = run(tree, capsys, *NEW)
    assert code == 1 and out == "" and FILE in err and "exists already" in err
    assert (tree / FILE).read_bytes() == before


@pytest.mark.parametrize("argv, expected", [
    (["--date", "2027-02-30", "--resolution", "2027-02-12/3/5"], "--date '2027-02-30' is not a calendar date"),
    (["--date", "2027-02-12", "--resolution", "2027-02-12/3"], "--resolution '2027-02-12/3' is not a resolution id"),
    (["--date", "2027-02-12", "--resolution", "2027-02-31/3/5"], "--resolution '2027-02-31/3/5' is not"),
])
def test_bad_arguments_are_one_line_and_write_nothing(tree, capsys, argv, expected):
    code, _, err = run(tree, capsys, "amendment", "new", *argv)
    assert code == 1 and expected in err and len(err.strip().splitlines()) == 1
    assert not (tree / FILE).exists()


# ----- a draft: the amendment's resolution does not exist yet ---------------------------------------------------

DRAFT = """adopted_by: 2027-02-12/3/5
in_force: 2027-02-12
source: sample
justification: {kk: "Сынақ", ru: "Проверка"}
ops:
  - op: replace
    target: "4.2"
    text: {kk: "Жаңа мәтін", ru: "Новый текст"}
  - op: delete
    target: "5.4"
  - op: change_indicator
    target: legal.inspections
    rule: {kind: per_unit, points: 20, cap: 2000}
"""


@pytest.fixture
def drafted(tree: Path) -> Path:
    (tree / FILE).write_text(DRAFT, encoding="utf-8")
    return tree


def test_check_reports_the_draft_with_the_command_that_creates_its_resolution(drafted, capsys):
    found = errors(drafted)
    assert len(found) == 1 and found[0].draft and found[0].node == "adopted_by"
    assert RESOLUTION_NEW in found[0].message
    code, _, _ = run(drafted, capsys, "check")
    assert code == 1


def test_the_views_show_the_draft_marked(drafted, capsys):
    code, out, err = run(drafted, capsys, "regulation", "--as-of", "2027-03-01")
    assert code == 0 and "ЖОБА: 2027-02-12" in out
    assert "Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 12.02.2027 № 3 қаулысымен (жоба)." in out
    assert "5.4. Алып тасталды - Атқару комитетінің 12.02.2027 № 3 қаулысымен (жоба)." in out
    assert RESOLUTION_NEW in err and "draft" in err
    code, out, _ = run(drafted, capsys, "regulation", "--as-of", "2027-03-01", "--lang", "ru", "--format", "md")
    assert code == 0 and "**ПРОЕКТ: постановления, принимающего изменения 2027-02-12, ещё нет**" in out
    assert "№ 3 (проект)." in out
    code, out, _ = run(drafted, capsys, "regulation", "--as-of", "2027-03-01", "--format", "json")
    assert code == 0 and json.loads(out)["drafts"] == ["2027-02-12"]
    code, out, _ = run(drafted, capsys, "regulation", "--as-of", "2026-03-01", "--format", "json")
    assert code == 0 and json.loads(out)["drafts"] == []  # before the draft: nothing marked
    code, out, _ = run(drafted, capsys, "history", "4.2", "--format", "json")
    assert code == 0 and [w["draft"] for w in json.loads(out)["wordings"]][-1] is True
    code, out, _ = run(drafted, capsys, "history", "4.2")
    assert code == 0 and "(жоба)" in out
    code, out, _ = run(drafted, capsys, "diff", "2026-02-20", "2027-02-12")
    assert code == 0 and "ЖОБА: 2027-02-12" in out
    code, out, _ = run(drafted, capsys, "diff", "2026-02-20", "2027-02-12", "--format", "json")
    assert code == 0 and json.loads(out)["to"]["drafts"] == ["2027-02-12"]
    code, out, _ = run(drafted, capsys, "criteria", "diff", "2026", "2027", "--lang", "ru")
    assert code == 0 and "ПРОЕКТ: постановления" in out


def test_the_redline_of_a_draft_says_so_first_and_signs_its_changes_as_a_draft(drafted, tmp_path, capsys):
    import zipfile

    from docx import Document

    path = tmp_path / "redline.docx"
    code, _, err = run(drafted, capsys, "redline", "2026-02-20", "2027-02-12", "--out", str(path))
    assert code == 0 and RESOLUTION_NEW in err
    document = Document(str(path))
    assert document.paragraphs[0].text == "ЖОБА: 2027-02-12 өзгерістерін қабылдайтын қаулы әлі жоқ"
    assert document.core_properties.subject == document.paragraphs[0].text
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert set(re.findall(r'w:author="([^"]*)"', xml)) == {"Атқару комитетінің 12.02.2027 № 3 қаулысы (жоба)"}


def test_signable_documents_refuse_a_draft_and_force_marks_them(drafted, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(drafted, capsys, "build", "--out", str(out))
    assert code == 1 and RESOLUTION_NEW in err and not any(out.iterdir())
    code, _, err = run(drafted, capsys, "render", "regulation", "--as-of", "2027-03-01", "--out", str(out))
    assert code == 1 and RESOLUTION_NEW in err and not any(out.iterdir())
    code, _, _ = run(drafted, capsys, "build", "--force", "--out", str(out))
    manifest = json.loads((out / "2026-02-20-9-7" / "manifest.json").read_text(encoding="utf-8"))
    assert code == 1 and manifest["not_for_signature"] is True
    assert any(RESOLUTION_NEW in e for e in manifest["check_errors"])


def test_scoring_and_the_register_refuse_a_tree_with_a_draft(drafted, capsys):
    code, _, err = run(drafted, capsys, "score", "2025")
    assert code == 1 and RESOLUTION_NEW in err
