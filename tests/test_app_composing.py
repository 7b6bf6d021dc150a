"""regdoc.app.composing: the edition each operation of an amendment being composed applies to, and the
single-indicator operations as form fields."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from regdoc.app import composing as c


def _data(ops: list) -> dict:
    return {"adopted_by": "2027-02-12/3/5", "in_force": "2027-02-12", "source": "issued", "ops": ops}


REPLACED = {"op": "replace", "target": "3.2", "text": {"kk": "Бағалаудың жаңа өлшемдері:", "ru": "Новые меры оценки:"}}
INSERTED = {"op": "insert", "target": "4.3-1", "after": "4.3", "kind": "clause",
            "text": {"kk": "Нәтижелер жарияланады.", "ru": "Результаты публикуются."}}


def test_each_operation_applies_to_the_edition_changed_by_those_before_it(repo: Path):
    words = {"op": "replace_words", "target": "3.2"}  # not complete yet: it changes nothing
    bases = c.op_bases(repo, _data([REPLACED, INSERTED, words, {"op": "delete", "target": "4.3-1"}]))
    assert len(bases) == 4
    assert bases[0].unit("3.2").text.kk.endswith("критерийлері:") and bases[0].unit("4.3-1") is None
    assert bases[1].unit("3.2").text.kk == "Бағалаудың жаңа өлшемдері:"
    assert bases[2].unit("4.3-1").text.ru == "Результаты публикуются."
    assert bases[3] == bases[2]  # an operation that does not read yet changes nothing


def test_an_operation_that_does_not_apply_changes_nothing(repo: Path):
    bad = dict(REPLACED, target="9.9")
    bases = c.op_bases(repo, _data([bad, INSERTED, {"op": "delete", "target": "4.3-1"}]))
    assert bases[1] == bases[0] and bases[2].unit("4.3-1") is not None


def test_no_basis_while_the_date_is_not_a_date(repo: Path):
    assert c.op_bases(repo, dict(_data([REPLACED]), in_force="2027-02")) == [None]
    assert c.after_op(None, REPLACED) is None
    assert c.op_model({"op": "replace"}) is None and c.op_model(REPLACED).target == "3.2"


# ----- the single-indicator operations as fields -----------------------------------------------------------------

HOTLINE = {"op": "add_indicator", "target": "legal.hotline", "block": "legal", "after": "legal.inspections",
           "indicator": {"id": "legal.hotline", "title": {"kk": "Сенім телефоны", "ru": "Телефон доверия"},
                         "unit": "yes_no", "rule": {"kind": "fixed", "points": 50}}}
SHARE = {"op": "add_indicator", "target": "youth.women_share", "block": "youth",
         "indicator": {"id": "youth.women_share", "title": {"kk": "Әйелдер үлесі", "ru": "Доля женщин"},
                       "unit": "percent",
                       "ratio": {"numerator": {"id": "women", "title": {"kk": "Әйелдер", "ru": "Женщины"},
                                               "unit": "persons"},
                                 "denominator": {"id": "members", "title": {"kk": "Мүшелер", "ru": "Члены"},
                                                 "unit": "persons"}, "on_zero": 0.5},
                       "missing": "zero",
                       "rule": {"kind": "bands", "bands": [{"from": 0, "to": 30, "points": 0},
                                                           {"from": 30, "points": 25.5}]}}}
REWEIGHT = {"op": "change_indicator", "target": "legal.inspections",
            "rule": {"kind": "per_unit", "points": 15, "cap": 1000}}
RANK = {"op": "change_indicator", "target": "membership.members_total",
        "rule": {"kind": "rank", "points": [600, 300, 100], "order": "lowest_first"},
        "title": {"kk": "Мүшелер саны", "ru": "Число членов"}}


def _basis(repo: Path):
    return c.op_bases(repo, _data([{"op": "delete", "target": "5.2"}]))[0]


def test_the_fields_of_an_operation_give_it_back(repo: Path):
    basis = _basis(repo)
    for op in (HOTLINE, SHARE, REWEIGHT, RANK, {"op": "remove_indicator", "target": "legal.court_cases_won"}):
        fields = c.indicator_fields(op)
        parts, problems = c.indicator_op(op["op"], fields, basis)
        assert problems == {} and dict(parts, op=op["op"]) == op, op


def test_numbers_are_read_as_kazakh_and_russian_write_them(repo: Path):
    fields = dict(c.indicator_fields(REWEIGHT), points="0,5", cap="1 000")
    parts, problems = c.indicator_op("change_indicator", fields, _basis(repo))
    assert problems == {} and parts["rule"] == {"kind": "per_unit", "points": Decimal("0.5"), "cap": 1000}
    parts, problems = c.indicator_op("change_indicator", dict(fields, cap="1,000"), _basis(repo))
    assert "two readings" in problems["cap"] and "1000" in problems["cap"]


@pytest.mark.parametrize("kind,change,field,message", [
    ("change_indicator", {"points": "abc"}, "points", "'abc' is not a number"),
    ("change_indicator", {"points": ""}, "points", "give the points"),
    ("change_indicator", {"points": "-3"}, "points", "more than 0"),
    ("change_indicator", {"cap": "0"}, "cap", "the cap must be more than 0"),
    ("change_indicator", {"rule_kind": "penalty", "points": "50"}, "points", "write them negative"),
    ("change_indicator", {"rule_kind": "bands", "bands": "0-10 5"}, "bands", "line 1: write a band as FROM..TO"),
    ("change_indicator", {"rule_kind": "bands", "bands": ""}, "bands", "give at least one band"),
    ("change_indicator", {"rule_kind": "rank", "points": "5; x"}, "points", "'x' is not a number"),
    ("change_indicator", {"rule_kind": "ranked"}, "rule_kind", "choose the kind of rule"),
    ("change_indicator", {"target": "legal.inspection"}, "target", "did you mean 'legal.inspections'"),
    ("change_indicator", {"target": ""}, "target", "choose an indicator"),
    ("change_indicator", {"points": "10", "prefilled_rule": "1"}, "points",
     "the rule and the title are those in force"),
    ("change_indicator", {"title-kk": "Жаңа атау"}, "title-ru", "both languages"),
    ("remove_indicator", {"target": "legal.hot"}, "target", "does not exist in Appendix 1"),
    ("add_indicator", {"name": "inspections"}, "name", "indicator legal.inspections already exists"),
    ("add_indicator", {"name": "Hot-line"}, "name", "small Latin letters"),
    ("add_indicator", {"block": "legl"}, "block", "did you mean 'legal'"),
    ("add_indicator", {"block": ""}, "block", "choose a block"),
    ("add_indicator", {"after": "safety.inspections"}, "after", "is not in block legal"),
    ("add_indicator", {"unit": "kg"}, "unit", "choose the unit of the value"),
    ("add_indicator", {"title-ru": " "}, "title-ru", "both languages"),
    ("add_indicator", {"missing": "maybe"}, "missing", "what a missing value means"),
    ("add_indicator", {"num_id": "Women"}, "num_id", "small Latin letters"),
    ("add_indicator", {"num_id": "women"}, "den_unit", "choose the unit"),
    ("add_indicator", {"on_zero": "x"}, "on_zero", "not a number"),
])
def test_a_wrong_field_is_named_with_its_problem(repo: Path, kind, change, field, message):
    op = {"change_indicator": REWEIGHT, "remove_indicator": {"op": "remove_indicator", "target": "legal.inspections"},
          "add_indicator": HOTLINE}[kind]
    fields = dict(c.indicator_fields(op), **change)
    if field in ("num_id", "den_unit", "on_zero") and change != {"num_id": "Women"}:
        fields.update({"num_title-kk": "Ә", "num_title-ru": "Ж", "num_unit": "persons"})
    _parts, problems = c.indicator_op(kind, fields, _basis(repo))
    assert message in problems.get(field, ""), problems


def test_a_reweight_starts_from_the_rule_in_force_of_the_indicator_chosen(repo: Path):
    basis = _basis(repo)
    form = c.indicator_form({"op": "change_indicator"}, {"target": "legal.inspections"}, basis)
    assert (form.values["rule_kind"], form.values["points"], form.values["cap"]) == ("per_unit", "10", "1000")
    assert form.values["prefilled"] == "legal.inspections"
    assert form.current.rule == "{kind: per_unit, points: 10, cap: 1000}"
    assert form.values["title-ru"].startswith("Количество")
    # another indicator chosen: the fields filled for the first one are filled again for it
    form = c.indicator_form({"op": "change_indicator"}, dict(form.values, target="membership.coverage"), basis)
    assert form.values["rule_kind"] == "bands" and form.values["bands"].splitlines()[-1] == "95..: 1000"
    assert form.rule_fields == ("bands",)
    # only the title changed: the rule the fields started from is not written; a rule a file states is kept
    title = {"title-kk": "Тексерулер", "title-ru": "Проверки"}
    form = c.indicator_form({"op": "change_indicator"}, {"target": "legal.inspections"}, basis)
    parts, problems = c.indicator_op("change_indicator", dict(form.values, **title), basis)
    assert problems == {} and "rule" not in parts and parts["title"] == {"kk": "Тексерулер", "ru": "Проверки"}
    stated = dict(REWEIGHT, rule={"kind": "per_unit", "points": 10, "cap": 1000}, title={"kk": "Т", "ru": "П"})
    form = c.indicator_form(stated, None, basis)
    parts, problems = c.indicator_op("change_indicator", form.values, basis)
    assert problems == {} and parts["rule"] == stated["rule"] and parts["title"] == stated["title"]
    # typed before any was filled (no JavaScript, one submission): what was typed is kept
    parts, problems = c.indicator_op("change_indicator", {"target": "legal.inspections", "rule_kind": "per_unit",
                                                          "points": "15", "cap": "1000"}, basis)
    assert problems == {} and parts["rule"]["points"] == 15


def test_the_choices_follow_the_operations_before(repo: Path):
    bases = c.op_bases(repo, _data([HOTLINE, {"op": "remove_indicator", "target": "legal.court_cases_won"},
                                    REWEIGHT]))
    form = c.indicator_form(REWEIGHT, None, bases[2])
    legal = next(b for b in form.blocks if b.id == "legal")
    ids = [i.id for i in legal.indicators]
    assert ids.index("legal.hotline") == ids.index("legal.inspections") + 1 and "legal.court_cases_won" not in ids
    form = c.indicator_form({"op": "add_indicator", "block": "legal"}, None, bases[2])
    assert form.position.endswith("after legal.draft_acts_reviewed") and len(form.after_choices) == 5


def test_a_problem_of_the_preview_goes_to_its_field():
    assert c.problem_field("add_indicator", "indicator.rule.bands[1]") == "bands"
    assert c.problem_field("add_indicator", "indicator.id") == "name"
    assert c.problem_field("add_indicator", "target") == "name"
    assert c.problem_field("add_indicator", "indicator.ratio.denominator.title.ru") == "den_title-ru"
    assert c.problem_field("add_indicator", "indicator.rule.kind") == "rule_kind"
    assert c.problem_field("change_indicator", "rule.points") == "points"
    assert c.problem_field("change_indicator", "title") == "title-kk"
    assert c.problem_field("remove_indicator", None) == "target"
