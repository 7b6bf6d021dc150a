"""The amendment engine: each operation, each error, editions at a date, history, and properties over
generated Regulations."""
from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from versioning_strategies import draw_amendments, initial_editions

from regdoc.data import model as m
from regdoc.errors import RegdocError
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import (
    APPENDIX,
    Edition,
    apply,
    edition_after,
    edition_at,
    editions,
    from_to,
    history,
    initial_edition,
    point,
    suggest_number,
)

REPO = Path(__file__).resolve().parents[1]
DAY = date(2027, 3, 1)
RID = m.ResolutionId(DAY, 12, 3)


@pytest.fixture(scope="module")
def data() -> m.DataTree:
    return load_tree(REPO)


@pytest.fixture(scope="module")
def current(data) -> Edition:
    return edition_at(data.initial, data.amendments, DAY)


def t(kk: str, ru: str | None = None) -> m.Text:
    return m.Text(kk, ru or kk)


WHERE = m.Where("regulation/versions/2027-03-01.yaml", 9, "ops[1]",
                (("op", 9), ("target", 10), ("after", 11), ("old", 12), ("occurrence", 14), ("kind", 15)))


def op(operation: str, target: str, **kw) -> m.Op:
    return m.Op(operation, target, where=WHERE, **kw)


def amend(edition: Edition, *ops: m.Op, name: str = "2027-03-01", when: date = DAY) -> Edition:
    return apply(edition, m.Amendment(name, RID, when, "sample", ops))


def texts(edition: Edition) -> dict[str, str]:
    return {u.id: u.text.kk for u in edition.units}


# ----- each operation ---------------------------------------------------------------------------------------

def test_replace_states_a_unit_in_new_wording(current):
    new = amend(current, op("replace", "4.4", text=t("Жаңа мәтін.", "Новый текст."), source="sample"))
    assert new.unit("4.4").text == t("Жаңа мәтін.", "Новый текст.")
    assert [u.id for u in new.units] == [u.id for u in current.units]
    assert new.changes_of("4.4")[0].action == "replaced" and new.changes_of("4.4")[0].adopted_by == RID
    assert new.in_force == DAY and new.amendments[-1] == "2027-03-01"
    assert current.unit("4.4").text != new.unit("4.4").text  # the older edition is untouched


def test_insert_puts_the_unit_after_the_given_one_and_its_sub_clauses(current):
    # numbered as Kazakhstan's acts number an insertion (issue 12: «3.4» after 3.2 read 3.2, 3.4, 3.3 and is refused)
    new = amend(current, op("insert", "3.2-1", text=t("Жаңа."), after="3.2", kind="clause"))
    ids = [u.id for u in new.units]
    assert ids[ids.index("3.2"):ids.index("3.3")] == ["3.2", "3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.2.5", "3.2.6",
                                                      "3.2-1"]
    assert new.unit("3.2-1").kind == "clause" and new.changes_of("3.2-1")[0].action == "inserted"


def test_insert_a_sub_clause_and_a_section(current):
    new = amend(current, op("insert", "4.6.1", text=t("бірінші;"), after="4.6", kind="subclause"),
                op("insert", "7", text=t("Өтпелі ережелер"), after="6", kind="section"))
    ids = [u.id for u in new.units]
    assert ids[ids.index("4.6") + 1] == "4.6.1" and ids[-1] == "7"


def test_delete_keeps_the_number_and_marks_the_sub_clauses(current):
    new = amend(current, op("delete", "3.2"))
    assert [u.id for u in new.units] == [u.id for u in current.units]
    assert all(new.unit(i).deleted for i in ("3.2", "3.2.1", "3.2.6")) and not new.unit("3.3").deleted
    assert {c.target for c in new.changes if c.amendment == "2027-03-01"} == {
        "3.2", "3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.2.5", "3.2.6"}


def test_replace_words_in_both_languages(current):
    new = amend(current, op("replace_words", "4.4", old=t("қаулысымен", "постановлением"),
                            new=t("шешімімен", "решением")))
    assert new.unit("4.4").text == t("Бағалау қорытындылары Кәсіподақтың Атқару комитетінің шешімімен бекітіледі.",
                                     "Итоги оценки утверждаются решением Исполнительного комитета Профсоюза.")
    assert new.changes_of("4.4")[0].action == "words_replaced"


@pytest.mark.parametrize("occurrence, expected", [
    (1, "Х мен ұпай және ұпай"), (2, "ұпай мен Х және ұпай"), (3, "ұпай мен ұпай және Х"), ("all", "Х мен Х және Х")])
def test_replace_words_at_an_occurrence(current, occurrence, expected):
    base = amend(current, op("replace", "4.6", text=t("ұпай мен ұпай және ұпай")), name="a")
    new = amend(base, op("replace_words", "4.6", old=t("ұпай"), new=t("Х"), occurrence=occurrence), name="b")
    assert new.unit("4.6").text.kk == expected


def test_replace_appendix(data, current):
    initial = initial_edition(data.initial)
    new = amend(initial, op("replace_appendix", APPENDIX, criteria=current.appendix))
    assert new.appendix == current.appendix and new.changes_of(APPENDIX)[0].action == "appendix_replaced"


def test_add_remove_and_change_an_indicator(current):
    ind = m.Indicator("legal.mediations", t("Медиациялар"), "count", m.Rule("per_unit", 5))
    new = amend(current,
                op("add_indicator", "legal.mediations", block="legal", indicator=ind, after="legal.inspections"),
                op("remove_indicator", "youth.council"),
                op("change_indicator", "safety.inspections", rule=m.Rule("per_unit", 7), title=t("Тексерулер")))
    legal = [i.id for b in new.appendix.blocks if b.id == "legal" for i in b.indicators]
    assert legal[legal.index("legal.inspections") + 1] == "legal.mediations"
    assert new.appendix.indicator("youth.council") is None
    changed = new.appendix.indicator("safety.inspections")
    assert changed.rule == m.Rule("per_unit", 7) and changed.title == t("Тексерулер") and changed.unit == "count"
    assert [c.action for c in new.changes_of(APPENDIX)][:3] == ["indicator_changed", "indicator_removed",
                                                                "indicator_added"]


# ----- each error names the file, line and operation ------------------------------------------------------------

def error_of(edition: Edition, *ops: m.Op) -> RegdocError:
    with pytest.raises(RegdocError) as info:
        amend(edition, *ops)
    return info.value


def test_missing_target(current):
    err = error_of(current, op("replace", "4.9", text=t("x")))
    assert (err.file, err.line, err.node) == ("regulation/versions/2027-03-01.yaml", 10, "ops[1].target")
    assert "unit '4.9' does not exist" in err.message and "did you mean" in err.message


def test_missing_indicator(current):
    err = error_of(current, op("change_indicator", "legal.inspection", rule=m.Rule("per_unit", 1)))
    assert "did you mean 'legal.inspections'" in err.message and err.node == "ops[1].target"


def test_words_not_found(current):
    err = error_of(current, op("replace_words", "4.4", old=t("қаулысымен", "распоряжением"), new=t("x")))
    assert err.node == "ops[1].old.ru" and err.line == 12
    assert "«распоряжением» do not occur as whole words in the ru text of 4.4" in err.message  # issue 12


def test_ambiguous_words_without_occurrence(current):
    base = amend(current, op("replace", "4.6", text=t("ұпай мен ұпай")), name="a")
    err = error_of(base, op("replace_words", "4.6", old=t("ұпай"), new=t("балл")))
    assert "occur 2 times in the kk text" in err.message and "occurrence: N" in err.message


def test_occurrence_out_of_range(current):
    base = amend(current, op("replace", "4.6", text=t("ұпай мен ұпай")), name="a")
    err = error_of(base, op("replace_words", "4.6", old=t("ұпай"), new=t("балл"), occurrence=3))
    assert err.node == "ops[1].occurrence" and err.line == 14 and "occurs 2 times" in err.message


def test_unit_inserted_twice(current):
    err = error_of(current, op("insert", "4.7", text=t("a"), after="4.6", kind="clause"),
                   op("insert", "4.7", text=t("b"), after="4.6", kind="clause"))
    assert "unit 4.7 already exists" in err.message and err.node == "ops[1].target"


def test_insert_with_a_kind_that_does_not_fit_its_number(current):
    err = error_of(current, op("insert", "4.7", text=t("a"), after="4.6", kind="subclause"))
    assert "4.7 is a clause number, not a subclause" in err.message and err.node == "ops[1].kind"


def test_insert_after_a_missing_unit(current):
    err = error_of(current, op("insert", "4.7", text=t("a"), after="4.16", kind="clause"))
    assert err.node == "ops[1].after" and "did you mean" in err.message


def test_delete_then_change(current):
    err = error_of(current, op("delete", "4.5"), op("replace_words", "4.5", old=t("ұпай"), new=t("балл")))
    assert "unit 4.5 was deleted earlier and cannot be changed" in err.message


def test_delete_then_change_across_amendments(data):
    first = m.Amendment("2027-03-01", RID, DAY, "sample", (op("delete", "4.5"),))
    second = m.Amendment("2028-01-10", RID, date(2028, 1, 10), "sample", (op("replace", "4.5", text=t("x")),))
    with pytest.raises(RegdocError, match="4.5 was deleted earlier"):
        editions(data.initial, list(data.amendments) + [first, second])


def test_same_day_contradiction(data):
    first = m.Amendment("2027-03-01a", RID, DAY, "sample", (op("delete", "4.5"),))
    second = m.Amendment("2027-03-01b", RID, DAY, "sample", (op("replace", "4.5", text=t("x")),))
    with pytest.raises(RegdocError) as info:
        editions(data.initial, [second, first])
    assert "amendment 2027-03-01a in force on the same date 2027-03-01 also changes 4.5" in info.value.message
    assert info.value.file == "regulation/versions/2027-03-01.yaml"
    # two amendments of one day touching different units are fine, in the order of their names
    other = m.Amendment("2027-03-01b", RID, DAY, "sample", (op("replace", "4.6", text=t("x")),))
    assert editions(data.initial, [other, first])[-1].amendments[-2:] == ("2027-03-01a", "2027-03-01b")


def test_same_day_contradiction_read_from_files(tree: Path):
    from regdoc.tree.check import check_tree

    versions = tree / "regulation" / "versions"
    for name, body in (("2027-03-01-a", 'op: delete\n    target: "4.5"'),
                       ("2027-03-01-b", 'op: replace\n    target: "4.5"\n    text: {kk: "x", ru: "x"}')):
        (versions / f"{name}.yaml").write_text(
            f"adopted_by: 2026-02-20/9/7\nin_force: 2027-03-01\nsource: sample\nops:\n  - {body}\n",
            encoding="utf-8")
    errors = [p for p in check_tree(tree) if p.severity == "error"]
    assert [(p.file, p.line, p.node) for p in errors] == [("regulation/versions/2027-03-01-b.yaml", 6,
                                                                  "ops[0].target")]
    assert "also changes 4.5" in errors[0].message


def test_no_edition_before_the_first(data):
    with pytest.raises(RegdocError, match="no edition in force on 2023-02-28: the first edition is in force from "
                                          "2023-03-01"):
        edition_at(data.initial, data.amendments, date(2023, 2, 28))


def test_an_amendment_in_force_before_the_first_edition(data):
    early = m.Amendment("2022-01-01", RID, date(2022, 1, 1), "sample", (op("delete", "4.5"),),
                        where=m.Where("regulation/versions/2022-01-01.yaml", 1, None, (("in_force", 2),)))
    with pytest.raises(RegdocError) as info:
        editions(data.initial, [early])
    assert info.value.line == 2 and "before the initial edition" in info.value.message


# ----- editions at a date, points, history ---------------------------------------------------------------------

def test_edition_at_the_shipped_data(data):
    before = edition_at(data.initial, data.amendments, date(2026, 2, 19))
    after = edition_at(data.initial, data.amendments, date(2026, 2, 20))
    assert before == initial_edition(data.initial) and before.amendments == ()
    assert after.amendments == ("2026-02-20",) and after.unit("4.2").text.kk.startswith("Қорытындылау кезінде")
    assert before.unit("4.2").text.kk.startswith("Әрбір көрсеткіш")


def test_points_by_date_id_and_year(data):
    assert point(data.initial, data.amendments, "2026-02-20").kind == "amendment"
    assert point(data.initial, data.amendments, "2023-03-01").edition == initial_edition(data.initial)
    assert point(data.initial, data.amendments, "2026-01-01").edition.amendments == ()
    year = point(data.initial, data.amendments, "2026", years=True)
    assert (year.kind, year.when, year.edition.amendments) == ("year", date(2026, 12, 31), ("2026-02-20",))
    with pytest.raises(RegdocError, match="neither a date YYYY-MM-DD nor an edition id"):
        point(data.initial, data.amendments, "2026")
    with pytest.raises(RegdocError, match="did you mean '2026-02-20'"):
        point(data.initial, data.amendments, "2026-02-02x")
    with pytest.raises(RegdocError, match="is later than TO"):
        from_to(data.initial, data.amendments, "2026-02-20", "2025-12-31")
    a, b = from_to(data.initial, data.amendments, "2025", "2026", years=True)
    assert a.when < b.when
    with pytest.raises(RegdocError, match="no amendment 'nope'"):
        edition_after(data.initial, data.amendments, "nope")


def test_history_of_a_unit(data):
    wordings = history(data.initial, data.amendments, "4.2")
    assert [(w.in_force, w.action, w.amendment, str(w.adopted_by) if w.adopted_by else None) for w in wordings] == [
        (date(2023, 3, 1), "initial", None, None), (date(2026, 2, 20), "replaced", "2026-02-20", "2026-02-20/9/7")]
    assert wordings[1].text == data.amendment("2026-02-20").ops[1].text
    assert len(history(data.initial, data.amendments, "1.1")) == 1


def test_history_of_inserted_changed_and_deleted_units(data):
    later = [m.Amendment("2027-03-01", RID, DAY, "sample",
                         (m.Op("insert", "4.7", text=t("Жаңа."), after="4.6", kind="clause"),)),
             m.Amendment("2028-01-10", m.ResolutionId(date(2028, 1, 10), 2, 5), date(2028, 1, 10), "sample",
                         (m.Op("replace_words", "4.7", old=t("Жаңа"), new=t("Ескі")),)),
             m.Amendment("2029-01-10", m.ResolutionId(date(2029, 1, 10), 1, 1), date(2029, 1, 10), "sample",
                         (m.Op("delete", "4"),))]
    wordings = history(data.initial, list(data.amendments) + later, "4.7")
    assert [(w.action, w.text.kk, w.deleted) for w in wordings] == [
        ("inserted", "Жаңа.", False), ("words_replaced", "Ескі.", False), ("deleted", "Ескі.", True)]
    assert str(wordings[1].adopted_by) == "2028-01-10/2/5"


def test_history_of_an_unknown_unit(data):
    with pytest.raises(RegdocError, match="unit '4.9' is in no edition"):
        history(data.initial, data.amendments, "4.9")


# ----- properties over generated Regulations ------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(initial=initial_editions(), data=st.data())
def test_edition_at_does_not_depend_on_the_order_of_the_files(initial, data):
    amendments = draw_amendments(data, initial, data.draw(st.integers(1, 5)))
    shuffled = data.draw(st.permutations(amendments))
    for when in [a.in_force for a in amendments] + [amendments[-1].in_force + timedelta(days=1)]:
        assert edition_at(initial, shuffled, when) == edition_at(initial, amendments, when)


@settings(max_examples=60, deadline=None)
@given(initial=initial_editions(), data=st.data())
def test_a_date_between_two_in_force_dates_gives_the_earlier_edition(initial, data):
    amendments = draw_amendments(data, initial, data.draw(st.integers(1, 5)))
    all_editions = editions(initial, amendments)
    starts = [initial.in_force] + [a.in_force for a in amendments]
    k = data.draw(st.integers(0, len(amendments) - 1))
    when = starts[k] + timedelta(days=data.draw(st.integers(0, (starts[k + 1] - starts[k]).days - 1)))
    assert edition_at(initial, amendments, when) == all_editions[k]
    assert edition_at(initial, amendments, starts[k + 1]) == all_editions[k + 1]


def test_the_order_of_files_does_not_matter_for_the_shipped_data(data):
    amendments = list(data.amendments)
    random.Random(1).shuffle(amendments)
    assert editions(data.initial, amendments) == editions(data.initial, data.amendments)
    assert dataclasses.replace(data.amendments[0]).name == "2026-02-20"


# ----- issue 12: placement and numbering of insertions, whole words, same-day ancestors ------------------------

def test_an_insertion_numbered_4_3_1_stands_after_4_3(current):
    new = amend(current, op("insert", "4.3-1", text=t("Жаңа."), after="4.3", kind="clause"),
                op("insert", "4.3-2", text=t("Тағы."), after="4.3-1", kind="clause"))
    ids = [u.id for u in new.units]
    assert ids[ids.index("4.3"):ids.index("4.4") + 1] == ["4.3", "4.3-1", "4.3-2", "4.4"]
    assert [u.id for u in sorted(new.units, key=lambda u: u.number_key)] == ids  # sort order = text order


@pytest.mark.parametrize("target, after, kind, message", [
    ("4.7", "4.3", "clause", "number 4.7 does not sort right after 4.3 and before 4.4, so the text would read out "
                             "of order; number it 4.3-1"),
    ("5.1.1", "4.2", "subclause", "5.1.1 is under 5.1, but 4.2 is under 4: an inserted unit stands beside the "
                                  "unit it follows or as its first sub-unit; number it 4.2-1"),
    ("4.3-1", "4.3", "subclause", "number 4.3-1 is a clause number, not a subclause"),
    ("3.2.1-1", "3.2.3", "subclause", "number 3.2.1-1 does not sort right after 3.2.3 and before 3.2.4"),
    ("3.2.7", "3.2", "subclause", "3.2.7 would stand after 3.2.1, not right after 3.2; insert it after 3.2.1"),
    ("4.3", "4.2", "clause", "unit 4.3 already exists; an inserted unit needs a new number: number it 4.2-1"),
])
def test_a_misplaced_insertion_is_refused_with_the_number_to_use(current, target, after, kind, message):
    with pytest.raises(RegdocError) as info:
        amend(current, op("insert", target, text=t("x"), after=after, kind=kind))
    assert message in info.value.message
    assert info.value.file == "regulation/versions/2027-03-01.yaml" and info.value.line is not None


def test_the_number_suggested_for_an_insertion(current):
    assert suggest_number(current.units, "4.3") == "4.3-1"
    assert suggest_number(current.units, "4.6") == "4.7"  # the last clause of section 4
    assert suggest_number(current.units, "3.2.6") == "3.2.7"
    assert suggest_number(current.units, "3.2.2") == "3.2.2-1"
    assert suggest_number(current.units, "4.3", first_child=True) == "4.3.1"
    later = amend(current, op("insert", "4.3-1", text=t("x"), after="4.3", kind="clause"))
    assert suggest_number(later.units, "4.3-1") == "4.3-2"
    assert suggest_number(later.units, "4.3") is None  # nothing fits between 4.3 and 4.3-1
    with pytest.raises(RegdocError, match="no number fits between 4.3 and 4.3-1: insert it after 4.3-1"):
        amend(later, op("insert", "4.3-2", text=t("x"), after="4.3", kind="clause"))


def test_deleting_a_section_deletes_the_clauses_inserted_in_it(current):
    new = amend(current, op("insert", "4.3-1", text=t("x"), after="4.3", kind="clause"), op("delete", "4"))
    assert all(u.deleted for u in new.units if u.id == "4" or u.id.startswith("4."))


@pytest.mark.parametrize("old, text, error", [
    ("союз", "Профсоюз объединяет", "they occur only inside the longer word(s) «Профсоюз»: quote the whole word"),
    ("0,2", "балл 0,25 за", "inside the longer word(s) «0,25»"),
    ("4.3", "по пункту 4.3.1", "inside the longer word(s) «4.3.1»"),
])
def test_replace_words_matches_whole_words_only(old, text, error):
    unit = m.Unit("1.1", "clause", t(text))
    with pytest.raises(RegdocError) as info:
        apply(Edition(DAY, (unit,), None), m.Amendment(
            "2027-03-01", RID, DAY, "sample", (op("replace_words", "1.1", old=t(old), new=t("x")),)))
    assert "do not occur as whole words" in info.value.message and error in info.value.message


def test_replace_words_replaces_the_whole_words_and_leaves_longer_words_alone():
    unit = m.Unit("1.1", "clause", t("Профсоюз — союз членов; союз, профсоюз.", "Союз"))
    new = apply(Edition(DAY, (unit,), None), m.Amendment("2027-03-01", RID, DAY, "sample", (
        op("replace_words", "1.1", old=t("союз", "Союз"), new=t("объединение", "Объединение"), occurrence="all"),)))
    assert new.unit("1.1").text.kk == "Профсоюз — объединение членов; объединение, профсоюз."


@pytest.mark.parametrize("names", [("2027-03-01a", "2027-03-01b"), ("2027-03-01b", "2027-03-01a")])
def test_same_day_amendments_of_a_unit_and_its_section_conflict_whatever_their_names(data, names):
    changes = m.Amendment(names[0], RID, DAY, "sample", (op("replace", "4.5", text=t("x")),))
    deletes = m.Amendment(names[1], RID, DAY, "sample", (op("delete", "4"),))
    with pytest.raises(RegdocError) as info:
        editions(data.initial, list(data.amendments) + [changes, deletes])
    assert "also changes 4" in info.value.message and "holds" in info.value.message or "is part of" in \
        info.value.message


# ----- issue 17: the indexes of an edition and the editions shared by two points ----------------------------------

@settings(max_examples=60, deadline=None)
@given(initial=initial_editions(), data=st.data())
def test_the_points_of_a_comparison_are_the_editions_made_one_by_one(initial, data):
    amendments = draw_amendments(data, initial, data.draw(st.integers(1, 5)))
    names = [initial.name] + [a.name for a in amendments]
    days = [initial.in_force] + [a.in_force for a in amendments]
    refs = names + [(d + timedelta(days=shift)).isoformat() for d in days for shift in (0, 1)]
    first, second = sorted(data.draw(st.lists(st.sampled_from(refs), min_size=2, max_size=2)),
                           key=lambda ref: point(initial, amendments, ref).when)
    a, b = from_to(initial, amendments, first, second)
    for shown, ref in ((a, first), (b, second)):
        expected = (edition_after(initial, amendments, ref) if ref in names
                    else edition_at(initial, amendments, date.fromisoformat(ref)))
        assert shown.edition == expected and shown == point(initial, amendments, ref)


@settings(max_examples=60, deadline=None)
@given(initial=initial_editions(), data=st.data())
def test_an_editions_unit_and_changes_are_those_found_by_reading_it_through(initial, data):
    edition = editions(initial, draw_amendments(data, initial, data.draw(st.integers(1, 5))))[-1]
    for target in [u.id for u in edition.units] + [APPENDIX, "99.9"]:
        assert edition.unit(target) is next((u for u in edition.units if u.id == target), None)
        assert edition.changes_of(target) == [c for c in reversed(edition.changes) if c.target == target]
