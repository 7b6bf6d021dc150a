"""regdoc.app.editing: versioned saves, git history, composing an amendment and its preview."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from datatree import git, in_git  # noqa: F401 (in_git: also imported from here by test_web_editing)

from regdoc.app import editing as e
from regdoc.app.check import check
from regdoc.app.resolutions import new_resolution
from regdoc.data.parse import parse_amendment
from regdoc.data.yamldoc import parse_document, read_document
from regdoc.errors import CheckFailed, RegdocError
from regdoc.files import history


def amendment_2027(root: Path) -> dict:
    """The amendment of 2027-02-12 a clerk composes: words in 3.2, clause 4.3-1 inserted, 5.2 deleted, an
    indicator re-weighted and one added, each with a justification."""
    data = e.new_amendment(root, "2027-02-12/3/5", "2027-02-12")
    why = {"kk": "Негіздеме.", "ru": "Обоснование."}
    data["ops"] = [
        {"op": "replace_words", "target": "3.2", "old": {"kk": "критерийлері", "ru": "Критерии"},
         "new": {"kk": "өлшемшарттары", "ru": "Показатели"}, "justification": why},
        {"op": "insert", "target": "4.3-1", "after": "4.3", "kind": "clause",
         "text": {"kk": "Бағалау нәтижелері жарияланады.", "ru": "Результаты оценки публикуются."},
         "justification": why},
        {"op": "delete", "target": "5.2", "justification": why},
        {"op": "change_indicator", "target": "legal.inspections",
         "rule": {"kind": "per_unit", "points": 15, "cap": 1000}, "justification": why},
        {"op": "add_indicator", "target": "legal.hotline", "block": "legal", "after": "legal.inspections",
         "indicator": {"id": "legal.hotline",
                       "title": {"kk": "Сенім телефоны", "ru": "Телефон доверия"},
                       "unit": "yes_no", "rule": {"kind": "fixed", "points": 50}},
         "justification": why},
    ]
    return data


def resolution_for_2027(root: Path) -> None:
    """Assign resolution 2027-02-12 meeting 3 item 5 (items 1-4 taken first, as by other resolutions)."""
    for _ in range(5):
        assigned = new_resolution(root, date(2027, 2, 12), meeting=3)
    assert str(assigned.plan.id) == "2027-02-12/3/5"


def model_of(text: str, rel: str):
    return parse_amendment(parse_document(text.encode("utf-8"), rel))


# ----- the file as data <-> text -----------------------------------------------------------------------------

def test_shipped_amendments_read_back_as_the_same_model(repo):
    for path in sorted((repo / "regulation/versions").glob("*.yaml")):
        doc = read_document(path)
        if "edition" in doc.data:
            continue
        read = e.read_amendment(repo, path.stem)
        assert read.has_comments  # the shipped files carry comments: the page warns before they are lost
        written = e.amendment_yaml(read.data)
        assert model_of(written, f"regulation/versions/{path.name}") == parse_amendment(doc)
        assert written == e.amendment_yaml(e.read_amendment_text(written))  # stable: written twice, same bytes


def test_style_of_the_shipped_files(repo):
    written = e.amendment_yaml(e.read_amendment(repo, "2026-02-20").data)
    assert written.startswith("adopted_by: 2026-02-20/9/7\nin_force: 2026-02-20\nsource: issued\n")
    assert '  - op: replace\n    target: "3.2"\n    source: issued\n    text:\n      kk: "' in written
    assert "      tie_break: [main_blocks]\n" in written
    assert "      rewards: {basis: main_blocks, count: 3}\n" in written
    assert "                  - {from: 0, to: 50, points: 0}\n" in written
    assert "      kk: |-\n        Кәсіподақтың" in written


@pytest.mark.parametrize("value", ["yes", "no", "null", "1.5", "0x1F", "~", "#hash", "a: b", "- x", "'q'",
                                   '"', "\\", "tab\tinside", " lead", "trail ", "line\nbreak ", "\u2028", "2027-02-12"])
def test_strings_that_need_quoting_read_back_as_strings(value):
    data = {"adopted_by": "2027-02-12/3/5", "in_force": "2027-02-12", "source": "issued",
            "ops": [{"op": "delete", "target": value}]}
    assert e.read_amendment_text(e.amendment_yaml(data))["ops"][0]["target"] == value


# ----- preview ------------------------------------------------------------------------------------------------

def test_preview_of_the_2027_amendment(tree):
    resolution_for_2027(tree)
    preview = e.preview_amendment(tree, amendment_2027(tree))
    assert preview.ok, preview.problems
    kk, ru = e.amendment_text(preview, "kk"), e.amendment_text(preview, "ru")
    assert kk.startswith("1. ") and "4.3-1" in kk and "5.2" in kk and "өлшемшарттары" in kk
    assert "4.3-1" in ru and "Показатели" in ru
    assert preview.after.unit("4.3-1").text["kk"] == "Бағалау нәтижелері жарияланады."
    assert preview.after.unit("5.2").deleted
    assert preview.notes["4.3-1"]["kk"] and preview.notes["4.3-1"]["ru"]
    statuses = {u.id: u.status for u in preview.diff.units}
    assert statuses["4.3-1"] == "added" and statuses["5.2"] == "deleted"
    assert preview.criteria.changed


def test_problems_are_tied_to_their_operation_and_field(tree):
    resolution_for_2027(tree)
    data = amendment_2027(tree)
    data["ops"][0]["old"]["kk"] = "жоқ-сөз"
    data["ops"][2]["target"] = "9.9"
    preview = e.preview_amendment(tree, data)
    assert not preview.ok
    errors = [(p.op, p.field) for p in preview.problems if p.severity == "error"]
    assert (0, "old.kk") in errors


def test_schema_problems_name_the_field(tree):
    data = e.new_amendment(tree, "2027-02-12/3/5", "2027-02-12")
    data["ops"] = [{"op": "insert", "target": "4.3-1", "after": "4.3"}]
    preview = e.preview_amendment(tree, data)
    assert not preview.ok and all(p.op == 0 for p in preview.problems if p.severity == "error")


# ----- saving -------------------------------------------------------------------------------------------------

def test_final_save_is_one_commit_by_the_user_and_check_accepts_it(tree):
    in_git(tree)
    resolution_for_2027(tree)
    git(tree, "add", "resolutions")
    git(tree, "commit", "-q", "-m", "resolution")
    (tree / "unrelated.txt").write_text("staged elsewhere")
    git(tree, "add", "unrelated.txt")
    data = amendment_2027(tree)
    saved = e.save_amendment(tree, data, None, "Айгүл")
    assert saved.paths == ("regulation/versions/2027-02-12.yaml",)
    assert git(tree, "show", "--name-only", "--format=%an|%s", "HEAD").split() == [
        "Айгүл|2027-02-12", "amendment:", "words", "replaced", "in", "3.2;", "unit", "4.3-1", "inserted;",
        "unit", "5.2", "deleted;", "indicator", "legal.inspections", "changed;", "indicator", "legal.hotline",
        "added", "regulation/versions/2027-02-12.yaml"]
    assert "A  unrelated.txt" in git(tree, "status", "--porcelain")  # other staged work stays staged
    assert not check(tree).errors
    written = (tree / saved.paths[0]).read_text(encoding="utf-8")
    assert model_of(written, saved.paths[0]) == model_of(e.amendment_yaml(data), saved.paths[0])
    commits = e.history_of(tree)
    assert commits[0].author == "Айгүл" and commits[0].files == saved.paths
    assert "+  - op: insert" in commits[0].diff


def test_commit_message_in_the_interface_language():
    from regdoc import i18n

    assert e.commit_message("2027-02-12", [{"op": "insert", "target": "4.3-1"}]) == \
        "2027-02-12 amendment: unit 4.3-1 inserted"
    assert hasattr(i18n, "_")


def test_a_tree_outside_git_saves_without_commit(tree):
    resolution_for_2027(tree)
    saved = e.save_amendment(tree, amendment_2027(tree), None, "editor")
    assert saved.commit is None and (tree / saved.paths[0]).is_file()
    assert e.history_of(tree) == ()


def test_final_save_refuses_errors_and_writes_nothing(tree):
    data = amendment_2027(tree)  # its resolution was never assigned
    with pytest.raises(CheckFailed) as info:
        e.save_amendment(tree, data, None, "editor")
    assert any(p.node == "adopted_by" for p in info.value.problems)
    assert not (tree / "regulation/versions/2027-02-12.yaml").exists()


def test_saving_over_a_changed_file_is_refused_with_both_versions(tree):
    resolution_for_2027(tree)
    data = amendment_2027(tree)
    first = e.save_amendment(tree, data, None, "one")
    rel = first.paths[0]
    opened = first.versions[rel]
    theirs = dict(data, ops=data["ops"][:2])
    e.save_amendment(tree, theirs, opened, "two")
    now = (tree / rel).read_bytes()
    mine = dict(data, ops=data["ops"][:3])
    with pytest.raises(e.Conflict) as info:
        e.save_amendment(tree, mine, opened, "one")
    assert "changed by someone else since you opened it" in str(info.value)
    assert info.value.theirs == now and info.value.mine == e.amendment_yaml(mine).encode()
    assert (tree / rel).read_bytes() == now


def test_creating_a_file_that_someone_created_meanwhile_is_a_conflict(tree):
    resolution_for_2027(tree)
    data = amendment_2027(tree)
    e.save_amendment(tree, data, None, "one")
    with pytest.raises(e.Conflict):
        e.save_amendment(tree, data, None, "two")


def test_a_failed_commit_changes_nothing(tree, monkeypatch):
    in_git(tree)
    resolution_for_2027(tree)
    data = amendment_2027(tree)
    saved = e.save_amendment(tree, data, None, "one")
    rel = saved.paths[0]
    before = (tree / rel).read_bytes()

    def fail(*args, **kwargs):
        raise RegdocError("git commit failed: disk full")

    monkeypatch.setattr(history, "commit_files", fail)
    changed = dict(data, ops=data["ops"][:1])
    with pytest.raises(RegdocError, match="disk full"):
        e.save_amendment(tree, changed, saved.versions[rel], "two")
    assert (tree / rel).read_bytes() == before
    assert git(tree, "status", "--porcelain", "--", rel) == ""
    assert [p.name for p in (tree / rel).parent.iterdir() if p.name.startswith(".")] == []


def test_draft_saved_reopened_and_removed_by_the_final_save(tree):
    in_git(tree)
    data = amendment_2027(tree)
    data["ops"][0]["old"]["kk"] = "жоқ-сөз"  # a draft may hold errors
    draft = e.save_amendment(tree, data, None, "one", draft=True)
    assert draft.paths == ("drafts/amendments/2027-02-12.yaml",) and draft.commit
    assert not check(tree).errors  # drafts are not part of the data tree's text
    assert e.drafts(tree) == ("2027-02-12",)
    reopened = e.read_amendment(tree, "2027-02-12", draft=True)
    assert reopened.data == data and not reopened.has_comments
    resolution_for_2027(tree)
    fixed = amendment_2027(tree)
    saved = e.save_amendment(tree, fixed, None, "one", draft_based_on=reopened.version)
    assert set(saved.paths) == {"drafts/amendments/2027-02-12.yaml", "regulation/versions/2027-02-12.yaml"}
    assert e.drafts(tree) == ()
    assert set(e.history_of(tree)[0].files) == set(saved.paths)


@pytest.mark.parametrize("rel", ["../outside.yaml", "/etc/passwd", "templates/x.docx", ".git/config",
                                 "regulation/../../x"])
def test_writes_outside_the_data_folders_are_refused(tree, rel):
    with pytest.raises(RegdocError):
        e.save_files(tree, {rel: b"x"}, {rel: None}, "one", "m")


@pytest.mark.parametrize("name", ["../x", "2027-02-12/../../x", "", "x.yaml", "2027-02-12 x"])
def test_bad_amendment_names_are_refused(name):
    with pytest.raises(RegdocError):
        e.amendment_path(name)


# ----- drafting a resolution ----------------------------------------------------------------------------------

def filled_resolution(stem: str = "2027-02-12-3-5") -> dict:
    return {"id": stem.rsplit("-", 2)[0] + "/" + "/".join(stem.rsplit("-", 2)[1:]), "source": "issued",
            "title": {"kk": "Ережеге өзгерістер енгізу туралы.", "ru": "О внесении изменений в Положение."},
            "preamble": {"kk": "Атқару комитеті", "ru": "Исполнительный комитет"},
            "items": [{"number": 1, "amendment": "2027-02-12"},
                      {"number": 2, "text": {"kk": "Бақылау жүктелсін.", "ru": "Контроль возложить."}}],
            "signatory": {"position": {"kk": "Төраға", "ru": "Председатель"},
                          "name": {"kk": "А. Мұқашева", "ru": "А. Мукашева"}}}


def test_shipped_resolution_reads_back_as_the_same_model_and_is_final(repo):
    from regdoc.data.parse import parse_resolution

    rel = "resolutions/2026/2026-02-20-9-7.yaml"
    opened = e.read_resolution(repo, "2026-02-20-9-7")
    assert opened.final and opened.draft_version is None
    written = e.resolution_yaml(opened.data)
    assert parse_resolution(parse_document(written.encode(), rel)) == parse_resolution(read_document(repo / rel))
    with pytest.raises(RegdocError, match="read-only"):
        e.save_resolution(repo, "2026-02-20-9-7", opened.data, opened.version, None, "one", final=True)


def test_draft_a_resolution_preview_and_mark_it_final(tree):
    in_git(tree)
    resolution_for_2027(tree)
    e.save_amendment(tree, amendment_2027(tree), None, "one")
    opened = e.read_resolution(tree, "2027-02-12-3-5")
    assert not opened.final and "TODO" in opened.data["title"]["kk"]
    data = filled_resolution()
    draft = e.save_resolution(tree, "2027-02-12-3-5", data, opened.version, None, "one")
    assert draft.paths == ("drafts/resolutions/2027-02-12-3-5.yaml",)
    reopened = e.read_resolution(tree, "2027-02-12-3-5")
    assert reopened.data == data and reopened.draft_version
    preview = e.preview_resolution(tree, "2027-02-12-3-5", data)
    assert preview.ok and preview.final, preview.problems
    assert preview.amending[1]["kk"].startswith("1. ") and "4.3-1" in preview.amending[1]["ru"]
    unfinished = dict(data, preamble={"kk": "TODO: кіріспе", "ru": "Исполнительный комитет"})
    with pytest.raises(CheckFailed):
        e.save_resolution(tree, "2027-02-12-3-5", unfinished, reopened.version, reopened.draft_version, "one",
                          final=True)
    saved = e.save_resolution(tree, "2027-02-12-3-5", data, reopened.version, reopened.draft_version, "one",
                              final=True)
    assert set(saved.paths) == {"resolutions/2027/2027-02-12-3-5.yaml", "drafts/resolutions/2027-02-12-3-5.yaml"}
    assert not check(tree).errors
    assert e.read_resolution(tree, "2027-02-12-3-5").final
    with pytest.raises(RegdocError, match="read-only"):
        e.save_resolution(tree, "2027-02-12-3-5", data, saved.versions[saved.paths[1]], None, "one")


def test_a_resolution_keeps_its_number(tree):
    resolution_for_2027(tree)
    data = filled_resolution()
    data["id"] = "2027-02-12/3/6"
    preview = e.preview_resolution(tree, "2027-02-12-3-5", data)
    assert not preview.ok and any(p.field == "id" for p in preview.problems)


@pytest.mark.parametrize("stem", ["../x", "2027-02-12", "2027-02-12-3-5/../../x", ""])
def test_bad_resolution_names_are_refused(stem):
    with pytest.raises(RegdocError):
        e.resolution_path(stem)


# ----- choosing what an operation changes ---------------------------------------------------------------------

def test_the_edition_an_amendment_applies_to_is_the_one_before_it(tree):
    from regdoc.app.editing import edition_before

    assert edition_before(tree, "2027-02-12").in_force.isoformat() == "2026-02-20"
    before = edition_before(tree, "2026-02-20")  # reopening the shipped amendment: the edition without it
    assert before.in_force.isoformat() == "2023-03-01"
    assert edition_before(tree, "2026-02-20", "2026-02-20-b").in_force.isoformat() == "2026-02-20"
    assert edition_before(tree, "not a date") is None


def test_words_chosen_become_the_words_replaced_and_their_occurrence():
    from regdoc.app.editing import picked_words, words_of

    texts = {"kk": "Бағалау мен бағалау нәтижесі, бағалау.", "ru": "Оценка и итоги оценки."}
    assert [w.text for w in words_of(texts["ru"])] == ["Оценка", "и", "итоги", "оценки", "."]
    second = texts["kk"].index("бағалау")  # the first of two lower-case occurrences
    third = texts["kk"].rindex("бағалау")
    ru = texts["ru"].index("итоги")
    assert picked_words(texts, {"kk": (0, 7), "ru": (0, 6)}) == ({"kk": "Бағалау", "ru": "Оценка"}, None)
    assert picked_words(texts, {"kk": (third, third + 7)}) == ({"kk": "бағалау"}, 2)
    assert picked_words(texts, {"kk": (second, second + 7), "ru": (ru, ru + 5)}) == (
        {"kk": "бағалау", "ru": "итоги"}, 1)
    assert picked_words(texts, {"kk": (0, 11)})[0] == {"kk": "Бағалау мен"}  # several words at once
    with pytest.raises(RegdocError) as err:
        picked_words(texts, {"kk": (0, 4)})  # part of a word
    assert err.value.node == "old.kk" and "whole words" in err.value.message
    with pytest.raises(RegdocError) as err:
        picked_words(texts, {"kk": (third, third + 7), "ru": (0, 6)})  # occurrence 2 in kk, the only one in ru
    assert err.value.node == "occurrence" and "occurrence 2" in err.value.message


def test_the_number_proposed_for_an_insertion_follows_the_numbering_rules(tree):
    from regdoc.app.editing import edition_before, proposed_number

    before = edition_before(tree, "2027-02-12")
    assert proposed_number(before, "4.3") == ("4.3-1", "")
    assert proposed_number(before, "4.3", first_child=True) == ("4.3.1", "")
    assert proposed_number(before, "3.2.6") == ("3.2.7", "")
    number, why = proposed_number(before, "3.2", first_child=True)
    assert number is None and "3.2 has sub-units already" in why
    number, why = proposed_number(before, "9.9")
    assert number is None and "9.9 does not exist" in why
    from dataclasses import replace

    from regdoc.data import model as m

    k = [u.id for u in before.units].index("4.3")
    unit = before.units[k]
    inserted = replace(before, units=before.units[:k + 1] + (replace(unit, id="4.3-1"),) + before.units[k + 1:])
    assert proposed_number(inserted, "4.3-1") == ("4.3-2", "")
    number, why = proposed_number(inserted, "4.3")
    assert number is None and why == "no number fits between 4.3 and 4.3-1: insert after 4.3-1"
    assert m.parent_of("4.3-1") == "4"
