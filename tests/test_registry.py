"""The registry's rules (pure): arguments, meetings and their numbering periods, the next free number, the
rules over the whole registry, drafts and the skeleton; and the rules as `regdoc check` reports them."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from registry_support import copy_tree, finished, rid, set_numbering, write_resolution

from regdoc.data import model as m
from regdoc.data.parse import parse_resolution
from regdoc.data.schemas import validate
from regdoc.data.yamldoc import parse_document
from regdoc.errors import RegdocError
from regdoc.registry.numbering import (
    MAX_NUMBER,
    clean_title,
    is_draft,
    meeting_conflict,
    meeting_of,
    meetings,
    parse_date,
    parse_number,
    period_of,
    placeholder_warnings,
    plan_resolution,
    registry_problems,
    skeleton,
    skeleton_yaml,
)
from regdoc.tree.check import check_tree

SHIPPED = [rid("2026-02-20/9/7")]


def ids(*texts: str) -> list[m.ResolutionId]:
    return [rid(t) for t in texts]


def resolution(text: str, file: str | None = None) -> m.Resolution:
    r = rid(text)
    data = finished(text)
    doc = parse_document(yaml.safe_dump(data, allow_unicode=True).encode(),
                         file or f"resolutions/{r.date.year}/{r.file_stem}.yaml")
    return parse_resolution(doc)


# ----- arguments --------------------------------------------------------------------------------------------

def test_parse_date_takes_only_iso_dates():
    assert parse_date("2026-02-20") == date(2026, 2, 20)
    assert parse_date(" 2026-02-20 ") == date(2026, 2, 20)


@pytest.mark.parametrize("value", ["20.02.2026", "20260220", "2026-W08-5", "2026-02-30", "../../etc/passwd",
                                   "2026-02-20/../..", "2026/02/20", "", "2026-02-20\n2026", "٢٠٢٦-٠٢-٢٠",
                                   "/etc/passwd", "2026-02-20T00:00"])
def test_parse_date_refuses_anything_else(value):
    with pytest.raises(RegdocError, match="--date"):
        parse_date(value, "--date")


@pytest.mark.parametrize("value", ["0", "10000", "-1", "../1", "9/7", "1e3", "", " ", "1٩", "09", "9.0", "/9"])
def test_parse_number_refuses_what_is_not_a_number_of_an_id(value):
    with pytest.raises(RegdocError, match="--meeting"):
        parse_number(value, "--meeting")


def test_parse_number_takes_the_whole_range():
    assert parse_number("1", "x") == 1
    assert parse_number(9999, "x") == MAX_NUMBER


@pytest.mark.parametrize("value", ["", "   ", "Атауы\nекінші жол", "bell\x07", "\u2028", "a\u202eb"])
def test_clean_title_refuses_empty_and_control_characters(value):
    with pytest.raises(RegdocError, match="--title-kk"):
        clean_title(value, "kk")


def test_clean_title_trims():
    assert clean_title("  «Сынақ» & <тест>  ", "kk") == "«Сынақ» & <тест>"


# ----- periods and meetings ---------------------------------------------------------------------------------

def test_period_is_the_year_or_one_for_all_time():
    assert period_of(date(2026, 2, 20), "per_year") == 2026
    assert period_of(date(2026, 2, 20), "continuous") is None
    with pytest.raises(ValueError):
        period_of(date(2026, 2, 20), "per_month")


def test_meetings_of_a_period():
    found = meetings(ids("2025-12-01/20/1", "2026-02-20/9/7", "2026-02-20/9/2", "2026-03-01/10/1"),
                     date(2026, 5, 1), "per_year")
    assert [(mt.number, mt.date, mt.items) for mt in found] == [
        (9, date(2026, 2, 20), (2, 7)), (10, date(2026, 3, 1), (1,))]
    assert len(meetings(ids("2025-12-01/20/1", "2026-02-20/9/7"), date(2026, 5, 1), "continuous")) == 2


def test_meeting_of_a_date():
    assert meeting_of(SHIPPED, date(2026, 2, 20), "per_year") == 9
    assert meeting_of(SHIPPED, date(2026, 2, 21), "per_year") is None


def test_meeting_of_a_date_with_two_meetings_is_refused():
    with pytest.raises(RegdocError, match="a date holds one meeting"):
        meeting_of(ids("2026-02-20/9/7", "2026-02-20/10/1"), date(2026, 2, 20), "per_year")


# ----- the next free number ---------------------------------------------------------------------------------

def test_same_date_takes_its_meeting_and_the_next_item():
    plan = plan_resolution(SHIPPED, date(2026, 2, 20), "per_year")
    assert plan.id == rid("2026-02-20/9/8")
    assert not plan.new_meeting and plan.previous is None


def test_a_gap_in_items_is_kept():
    plan = plan_resolution(ids("2026-02-20/9/1", "2026-02-20/9/7"), date(2026, 2, 20), "per_year")
    assert plan.id.item == 8  # items 2-6 are other matters of the agenda, never filled in


def test_second_meeting_on_a_later_date_is_the_previous_plus_one():
    plan = plan_resolution(SHIPPED, date(2026, 3, 5), "per_year")
    assert plan.id == rid("2026-03-05/10/1")
    assert plan.new_meeting and plan.previous.number == 9 and plan.previous.date == date(2026, 2, 20)


def test_first_meeting_of_a_year_per_year():
    plan = plan_resolution(ids("2025-12-25/31/4"), date(2026, 1, 15), "per_year")
    assert plan.id == rid("2026-01-15/1/1")
    assert plan.new_meeting and plan.previous is None


def test_first_meeting_of_a_year_continuous_runs_on():
    plan = plan_resolution(ids("2025-12-25/31/4"), date(2026, 1, 15), "continuous")
    assert plan.id == rid("2026-01-15/32/1")


def test_first_meeting_ever():
    assert plan_resolution([], date(2026, 1, 15), "continuous").id == rid("2026-01-15/1/1")


def test_meeting_one_early_in_a_year_that_continues_from_a_later_number():
    # 20.02.2026 is No 9: an earlier date of 2026 gets No 1, which is below 9 and so keeps the order
    assert plan_resolution(SHIPPED, date(2026, 1, 10), "per_year").id == rid("2026-01-10/1/1")


def test_continuous_numbering_refuses_restarting_in_a_new_year():
    with pytest.raises(RegdocError, match="never decrease"):
        plan_resolution(ids("2025-12-25/31/4"), date(2026, 1, 15), "continuous", meeting=1)
    assert plan_resolution(ids("2025-12-25/31/4"), date(2026, 1, 15), "per_year", meeting=1).id.meeting == 1


def test_a_date_with_two_meetings_is_refused():
    with pytest.raises(RegdocError, match="2026-02-20 is the date of meeting No 9: a date holds one meeting"):
        plan_resolution(SHIPPED, date(2026, 2, 20), "per_year", meeting=10)


def test_the_given_meeting_of_the_date_is_accepted():
    assert plan_resolution(SHIPPED, date(2026, 2, 20), "per_year", meeting=9).id == rid("2026-02-20/9/8")


def test_a_meeting_with_a_second_date_is_refused():
    with pytest.raises(RegdocError, match="meeting No 9 was held on 2026-02-20"):
        plan_resolution(SHIPPED, date(2026, 3, 1), "per_year", meeting=9)


def test_decreasing_meeting_numbers_are_refused():
    with pytest.raises(RegdocError, match="No 9 was held earlier.*No 8 cannot be dated 2026-03-01"):
        plan_resolution(SHIPPED, date(2026, 3, 1), "per_year", meeting=8)
    with pytest.raises(RegdocError, match="No 9 was held later.*No 10 cannot be dated 2026-02-01"):
        plan_resolution(SHIPPED, date(2026, 2, 1), "per_year", meeting=10)


def test_a_date_between_two_meetings_takes_a_number_between_them():
    known = ids("2026-02-20/9/7", "2026-04-01/12/1")
    assert plan_resolution(known, date(2026, 3, 1), "per_year").id == rid("2026-03-01/10/1")
    assert plan_resolution(known, date(2026, 3, 1), "per_year", meeting=11).id == rid("2026-03-01/11/1")
    with pytest.raises(RegdocError, match="meeting No 12 was held on 2026-04-01"):
        plan_resolution(known, date(2026, 3, 1), "per_year", meeting=12)
    with pytest.raises(RegdocError, match="No 12 was held later, on 2026-04-01.*No 13 cannot be dated 2026-03-01"):
        plan_resolution(known, date(2026, 3, 1), "per_year", meeting=13)


def test_no_number_between_two_consecutive_meetings():
    with pytest.raises(RegdocError, match="no meeting number fits 2026-03-01.*No 9.*No 10"):
        plan_resolution(ids("2026-02-20/9/7", "2026-04-01/10/1"), date(2026, 3, 1), "per_year")


def test_numbers_of_another_year_do_not_count_per_year():
    known = ids("2025-03-01/9/1", "2026-02-20/9/7")
    assert plan_resolution(known, date(2026, 2, 20), "per_year").id == rid("2026-02-20/9/8")
    with pytest.raises(RegdocError, match="held on 2025-03-01"):
        plan_resolution(ids("2025-03-01/9/1"), date(2026, 2, 20), "continuous", meeting=9)


def test_the_last_item_number_is_refused():
    with pytest.raises(RegdocError, match="every item up to 9999"):
        plan_resolution(ids("2026-02-20/9/9999"), date(2026, 2, 20), "per_year")


def test_meeting_conflict_is_none_when_the_rules_hold():
    assert meeting_conflict(SHIPPED, date(2026, 3, 1), 10, "per_year") is None
    assert meeting_conflict(SHIPPED, date(2026, 3, 1), 100, "per_year") is None


# ----- the rules over the whole registry --------------------------------------------------------------------

def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_a_clean_registry_has_no_problems():
    rs = [resolution(t) for t in ("2026-02-20/9/7", "2026-02-20/9/2", "2026-03-01/10/1", "2027-01-10/1/1")]
    assert registry_problems(rs, "per_year") == []


def test_a_meeting_on_two_dates():
    rs = [resolution("2026-02-20/9/7"), resolution("2026-02-21/9/8")]
    [problem] = registry_problems(rs, "per_year")
    assert problem.file == "resolutions/2026/2026-02-21-9-8.yaml" and problem.node == "id" and problem.line == 1
    assert "meeting No 9 is dated 2026-02-21 here but 2026-02-20 in resolutions/2026/2026-02-20-9-7.yaml" \
           in problem.message


def test_a_date_with_two_meetings():
    rs = [resolution("2026-02-20/9/7"), resolution("2026-02-20/10/1")]
    [problem] = registry_problems(rs, "per_year")
    assert problem.file.endswith("2026-02-20-10-1.yaml")
    assert "a date holds one meeting" in problem.message


def test_decreasing_numbers():
    rs = [resolution("2026-02-20/9/7"), resolution("2026-03-01/8/1"), resolution("2026-04-01/10/1")]
    [problem] = registry_problems(rs, "per_year")
    assert problem.file.endswith("2026-03-01-8-1.yaml")
    assert "meeting No 8 of 2026-03-01 comes after meeting No 9 of 2026-02-20" in problem.message


def test_per_year_restarts_and_continuous_does_not():
    rs = [resolution("2025-12-01/30/1"), resolution("2026-02-20/9/7")]
    assert registry_problems(rs, "per_year") == []
    [problem] = registry_problems(rs, "continuous")
    assert "comes after meeting No 30" in problem.message and "continuous" in problem.message


def test_an_item_used_twice_within_a_meeting():
    rs = [resolution("2026-02-20/9/7"), resolution("2026-02-21/9/7")]
    found = messages(registry_problems(rs, "per_year"))
    assert any("item 7 of meeting No 9 is already used by 2026-02-20/9/7" in p for p in found)
    assert any("a meeting is held on one date" in p for p in found)


# ----- drafts and the skeleton ------------------------------------------------------------------------------

def skeleton_resolution(title=None) -> m.Resolution:
    text = skeleton_yaml(rid("2026-03-05/10/1"), title)
    doc = parse_document(text.encode(), "resolutions/2026/2026-03-05-10-1.yaml")
    assert validate(doc, "resolution") == []
    return parse_resolution(doc)


def test_the_skeleton_is_a_schema_valid_bilingual_draft():
    r = skeleton_resolution()
    assert r.id == rid("2026-03-05/10/1") and r.source == "issued"
    assert is_draft(r)
    for text in (r.title, r.preamble, r.items[0].text, r.signatory.position, r.signatory.name):
        assert text.kk.startswith("TODO: ") and text.ru.startswith("TODO: ") and text.kk != text.ru
    assert r.items[0].number == 1


def test_every_placeholder_is_a_warning_with_its_place():
    warnings = placeholder_warnings(skeleton_resolution())
    assert [w.node for w in warnings] == ["title", "preamble", "items[0].text", "signatory.position",
                                          "signatory.name"]
    assert all(w.file == "resolutions/2026/2026-03-05-10-1.yaml" and w.line for w in warnings)
    assert "the kk and ru texts still hold the placeholder TODO" in warnings[0].message


def test_a_title_given_in_one_language_leaves_the_other_a_placeholder():
    r = skeleton_resolution({"kk": "«Сынақ» туралы"})
    assert r.title.kk == "«Сынақ» туралы" and r.title.ru.startswith("TODO")
    assert placeholder_warnings(r)[0].message.startswith("unfinished draft: the ru text still holds")


def test_a_finished_resolution_is_no_draft():
    r = resolution("2026-02-20/9/8")
    assert not is_draft(r) and placeholder_warnings(r) == []


def test_todo_inside_a_word_is_no_placeholder():
    data = finished("2026-02-20/9/8", title="TODOS")
    r = parse_resolution(parse_document(yaml.safe_dump(data, allow_unicode=True).encode(), "x.yaml"))
    assert not is_draft(r)


def test_the_skeleton_keeps_kazakh_first():
    data = skeleton(rid("2026-03-05/10/1"))
    assert list(data) == ["id", "source", "title", "preamble", "items", "signatory"]
    assert list(data["title"]) == ["kk", "ru"]


_TITLE = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), min_size=1, max_size=80) \
    .map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(kk=_TITLE, ru=_TITLE)
def test_any_title_survives_the_file_exactly(kk, ru):
    r = skeleton_resolution({"kk": kk, "ru": ru})
    assert (r.title.kk, r.title.ru) == (kk, ru)


# ----- the rules as `regdoc check` reports them -------------------------------------------------------------

def errors_of(root: Path) -> list[str]:
    return [str(p) for p in check_tree(root) if p.severity == "error"]


def warnings_of(root: Path) -> list[str]:
    return [str(p) for p in check_tree(root) if p.severity == "warning"]


def test_the_shipped_registry_passes_check():
    from registry_support import SHIPPED as shipped_root

    assert errors_of(shipped_root) == []


def test_check_reports_a_meeting_with_two_dates(tmp_path):
    root = copy_tree(tmp_path)
    write_resolution(root, "2026-02-21/9/8")
    assert errors_of(root) == [
        "resolutions/2026/2026-02-21-9-8.yaml:1: id: error: meeting No 9 is dated 2026-02-21 here but 2026-02-20 "
        "in resolutions/2026/2026-02-20-9-7.yaml: a meeting is held on one date (within 2026)"]


def test_check_follows_the_declared_numbering(tmp_path):
    root = copy_tree(tmp_path)
    write_resolution(root, "2025-12-01/30/1")
    assert errors_of(root) == []
    set_numbering(root, "continuous")
    [error] = errors_of(root)
    assert "resolutions/2026/2026-02-20-9-7.yaml:6: id: error: meeting No 9 of 2026-02-20 comes after meeting " \
           "No 30" in error


def test_check_warns_when_the_numbering_is_not_declared(tmp_path):
    root = copy_tree(tmp_path)
    (root / "resolutions" / "registry.yaml").unlink()
    assert errors_of(root) == []
    assert any(w.startswith("resolutions/registry.yaml: warning: the numbering period is not declared")
               for w in warnings_of(root))


def test_check_refuses_an_unknown_numbering_with_a_suggestion(tmp_path):
    root = copy_tree(tmp_path)
    set_numbering(root, "per_yer")
    [error] = errors_of(root)
    assert error.startswith("resolutions/registry.yaml:1: numbering: error: 'per_yer' is not allowed here; "
                            "allowed: per_year, continuous; did you mean 'per_year'?")


def test_check_refuses_unknown_keys_in_the_registry_file(tmp_path):
    root = copy_tree(tmp_path)
    (root / "resolutions" / "registry.yaml").write_text("numbering: per_year\nstart: 1\n", encoding="utf-8")
    assert errors_of(root) == ["resolutions/registry.yaml:2: start: error: unknown key 'start'; "
                               "allowed: numbering"]


def test_check_warns_about_each_placeholder_of_a_draft(tmp_path):
    root = copy_tree(tmp_path)
    path = root / "resolutions" / "2026" / "2026-03-05-10-1.yaml"
    path.write_text(skeleton_yaml(rid("2026-03-05/10/1")), encoding="utf-8")
    assert errors_of(root) == []
    drafts = [w for w in warnings_of(root) if "unfinished draft" in w]
    assert len(drafts) == 5 and all(w.startswith("resolutions/2026/2026-03-05-10-1.yaml:") for w in drafts)


def test_check_refuses_a_link_leading_outside_resolutions(tmp_path):
    root = copy_tree(tmp_path / "tree")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(yaml.safe_dump(finished("2026-02-20/9/8"), allow_unicode=True), encoding="utf-8")
    (root / "resolutions" / "2026" / "2026-02-20-9-8.yaml").symlink_to(outside)
    [error] = errors_of(root)
    assert error.startswith("resolutions/2026/2026-02-20-9-8.yaml: error: is a link to ")
    assert "outside resolutions/" in error


def test_check_refuses_an_initial_edition_adopted_by_an_unknown_resolution(tmp_path):
    root = copy_tree(tmp_path)
    path = root / "regulation" / "versions" / "2023-03-01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("in_force: 2023-03-01",
                                                             "adopted_by: 2023-03-01/5/2\nin_force: 2023-03-01"),
                    encoding="utf-8")
    [error] = errors_of(root)
    assert error.startswith("regulation/versions/2023-03-01.yaml:4: adopted_by: error: resolution 2023-03-01/5/2 "
                            "is not in resolutions/")
