"""regdoc.check's scoring part: the rules of Appendix 1, evaluations, and what a resolution states against what
its evaluation computes, each problem named by file, line and key."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from datatree import REPO as ROOT
from datatree import edit

from regdoc.data import model as m
from regdoc.tree.check import check_tree, criteria_rule_problems

RESOLUTION = Path("resolutions/2026/2026-02-20-9-7.yaml")


def errors(root: Path):
    return [p for p in check_tree(root) if p.severity == "error"]


def test_shipped_tree_agrees_with_its_evaluation():
    assert errors(ROOT) == []
    assert not [p for p in check_tree(ROOT) if "evaluation" in p.message]


def test_a_wrong_total_is_named_by_file_line_and_key(tree):
    line = edit(tree / RESOLUTION, "total: 39440", "total: 39441")
    [p] = errors(tree)
    assert (p.file, p.line, p.node) == (RESOLUTION.as_posix(), line, "items[0].places[1].total")
    assert p.message == ("states 39441 points for 'kyzylorda', but evaluations/2025/evaluation.yaml computes 39440")


def test_a_wrong_place_and_a_missing_prize_winner(tree):
    line = edit(tree / RESOLUTION, "{place: 3, organisation: zhambyl, total: 29986}",
                "{place: 3, organisation: aktobe, total: 29986}")
    found = {(p.node, p.line): p.message for p in errors(tree)}
    assert "states place 3 for 'aktobe', but evaluations/2025/evaluation.yaml gives it place 4" == \
        found[("items[0].places[2].place", line)]
    assert "computes 24360.5" in found[("items[0].places[2].total", line)]
    assert any(node == "items[0].places" and "gives prize place 3 to 'zhambyl'" in msg
               for (node, _), msg in found.items())


def test_rewards_that_disagree(tree):
    line = edit(tree / RESOLUTION, "rewards: [aktobe, pavlodar, astana-city]",
                "rewards: [aktobe, karaganda, astana-city]")
    found = sorted((p.line, p.node, p.message) for p in errors(tree))
    assert found[0][:2] == (line, "items[1].rewards") and "also proposes 'pavlodar'" in found[0][2]
    assert found[1][:2] == (line, "items[1].rewards[1]") and "'karaganda' is not among the reward candidates" in \
        found[1][2]


def test_rewards_in_another_order_is_a_warning(tree):
    edit(tree / RESOLUTION, "rewards: [aktobe, pavlodar, astana-city]", "rewards: [pavlodar, aktobe, astana-city]")
    assert errors(tree) == []
    [w] = [p for p in check_tree(tree) if "another order" in p.message]
    assert w.severity == "warning" and w.node == "items[1].rewards"


def test_a_resolution_without_its_evaluation(tree):
    shutil.rmtree(tree / "evaluations")
    [p] = errors(tree)
    assert p.file == RESOLUTION.as_posix() and p.node == "evaluation"
    assert "evaluations/2025/evaluation.yaml does not exist" in p.message


def test_evaluation_problems_are_reported_once(tree):
    edit(tree / "evaluations/2025/evaluation.yaml", "legal.inspections: 133", "legal.inspections: -1")
    [p] = errors(tree)
    assert p.file == "evaluations/2025/evaluation.yaml" and p.node == "reports.astana-akmola.legal.inspections"


def test_a_folder_that_is_not_an_evaluation_is_a_warning(tree):
    (tree / "evaluations" / "drafts").mkdir()
    [w] = [p for p in check_tree(tree) if p.file == "evaluations/drafts"]
    assert w.severity == "warning"


# ----- rules that do not suit their indicator ---------------------------------------------------------------

def t(s):
    return m.Text(s, s)


def criteria_with(*indicators):
    return m.Criteria("sample", 3, m.Rewards("main_blocks", 3), (m.Block("a", t("a"), True, tuple(indicators)),))


def ratio(num="members", den="staff", unit="persons", title="n"):
    return m.Ratio(m.Input(num, t(title), unit), m.Input(den, t("d"), "persons"))


@pytest.mark.parametrize("indicator,message", [
    (m.Indicator("a.x", t("x"), "count", m.Rule("fixed", 10)), "a fixed rule gives points for a yes/no answer"),
    (m.Indicator("a.x", t("x"), "yes_no", m.Rule("per_unit", 10)), "score it with a fixed rule"),
    (m.Indicator("a.x", t("x"), "percent", m.Rule("per_unit", 10), ratio()), "score it with bands or rank"),
    (m.Indicator("a.x", t("x"), "count", m.Rule("rank", (1, 5))), "must not grow with the rank"),
])
def test_rules_that_do_not_suit_their_indicator(indicator, message):
    [p] = criteria_rule_problems(criteria_with(indicator))
    assert p.severity == "error" and message in p.message and p.node.endswith(("rule.kind", "rule.points"))


def test_a_closed_last_band_is_a_warning():
    rule = m.Rule("bands", bands=(m.Band(0, 50, 0), m.Band(50, 100, 10)))
    [p] = criteria_rule_problems(criteria_with(m.Indicator("a.x", t("x"), "percent", rule)))
    assert p.severity == "warning" and "a value of 100 or more gets no points" in p.message


def test_one_input_has_one_unit_and_one_title():
    bands = m.Rule("bands", bands=(m.Band(0, None, 1),))
    unit = criteria_rule_problems(criteria_with(
        m.Indicator("a.x", t("x"), "percent", bands, ratio()),
        m.Indicator("a.y", t("y"), "percent", bands, ratio("members", "other", unit="count"))))
    assert [p.node for p in unit] == ["ratio.numerator.unit"] and "one reported value has one unit" in unit[0].message
    title = criteria_rule_problems(criteria_with(
        m.Indicator("a.x", t("x"), "percent", bands, ratio()),
        m.Indicator("a.y", t("y"), "percent", bands, ratio("members", "other", title="other"))))
    assert "one reported value has one title" in title[0].message


def test_shipped_criteria_have_no_rule_problems():
    from regdoc.tree.load import load_tree

    tree = load_tree(ROOT)
    assert criteria_rule_problems(tree.initial.appendix) == []
    for amendment in tree.amendments:
        for op in amendment.ops:
            if op.criteria is not None:
                assert criteria_rule_problems(op.criteria) == []


# ----- a Committee's choice at a tie --------------------------------------------------------------------------

def tied_results(values: dict):
    from decimal import Decimal as D

    from regdoc.scoring.score import score

    x = m.Indicator("a.x", t("x"), "count", m.Rule("per_unit", 1), None, "error")
    c = m.Criteria("sample", 1, m.Rewards("main_blocks", 1), (m.Block("a", t("a"), True, (x,)),), (), False)
    return score(c, [m.Report(org, {"a.x": D(v)}) for org, v in values.items()])


@pytest.mark.parametrize("winner", ["v", "w"])
def test_check_accepts_either_organisation_tied_at_the_last_prize_place(winner):
    from regdoc.tree.check import _compare_places

    from decimal import Decimal as D

    results = tied_results({"w": 9, "v": 9, "z": 1})
    assert [t.organisations for t in results.ties if t.for_committee] == [("v", "w")]
    item = m.Item(1, places=(m.Place(1, winner, 9),))
    found = _compare_places(item, results, "evaluation", D)
    assert [(p.severity, p.message) for p in found] == [
        ("info", f"the Executive Committee decided a tie at the last prize place: v, w have equal totals; the item "
                 f"names {winner}")]
    both = m.Item(1, places=(m.Place(1, "v", 9), m.Place(1, "w", 9)))
    assert any(p.severity == "error" for p in _compare_places(both, results, "evaluation", D))


@pytest.mark.parametrize("chosen", ["p", "q"])
def test_check_accepts_either_organisation_tied_at_the_last_reward_place(chosen):
    from regdoc.tree.check import _compare_rewards

    results = tied_results({"w": 9, "q": 5, "p": 5, "z": 1})
    found = _compare_rewards(m.Item(3, rewards=(chosen,)), results, "evaluation")
    assert [(p.severity, p.message) for p in found] == [
        ("info", "the Executive Committee decided a tie at the last reward place: p, q have equal main-block "
                 f"points; the item names {chosen}")]
    found = _compare_rewards(m.Item(3, rewards=("z",)), results, "evaluation")
    assert any(p.severity == "error" and "'z' is not among the reward candidates" in p.message for p in found)
