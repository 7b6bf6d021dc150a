"""regdoc.score: rules, ratios, ranks, places, prize places, rewards, explanations; and the shipped 2025 evaluation."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regdoc.data import model as m
from regdoc.errors import RegdocError
from regdoc.scoring.score import _points_function, competition_ranks, rule_working, score, value_ids

ROOT = Path(__file__).resolve().parents[1]


# ----- small criteria built in code -------------------------------------------------------------------------

def t(s: str) -> m.Text:
    return m.Text(s, s)


def ind(iid: str, rule: m.Rule, unit: str = "count", ratio: m.Ratio | None = None, missing: str = "error"):
    return m.Indicator(iid, t(iid), unit, rule, ratio, missing)


def ratio(num: str = "members", den: str = "staff", on_zero=0) -> m.Ratio:
    return m.Ratio(m.Input(num, t(num), "persons"), m.Input(den, t(den), "persons"), on_zero)


def criteria(*blocks: tuple[str, bool, list[m.Indicator]], prize_places=3, tie_break=("main_blocks",),
             share=False, rewards=m.Rewards("main_blocks", 3)) -> m.Criteria:
    return m.Criteria("sample", prize_places, rewards,
                      tuple(m.Block(bid, t(bid), main, tuple(inds)) for bid, main, inds in blocks),
                      tuple(tie_break), share)


def reports(**by_org: dict) -> list[m.Report]:
    return [m.Report(org, {k: D(str(v)) for k, v in values.items()}) for org, values in by_org.items()]


def one(rule: m.Rule, *values, unit="count") -> list[D]:
    """Return the points of `rule` for each value, each value reported by its own organisation."""
    c = criteria(("a", True, [ind("a.x", rule, unit)]))
    res = score(c, reports(**{f"o{i:02d}": {"a.x": v} for i, v in enumerate(values)}))
    return list(res.scores("a.x").points)


# ----- rule kinds -------------------------------------------------------------------------------------------

def test_per_unit_multiplies_exactly():
    assert one(m.Rule("per_unit", 0.2), 3, 1, 0) == [D("0.6"), D("0.2"), D(0)]
    assert one(m.Rule("per_unit", 0.1), "0.3") == [D("0.03")]  # no binary fractions: 0.1 x 0.3 is 0.03


def test_per_unit_cap_holds_at_and_above():
    assert one(m.Rule("per_unit", 0.5, 500), 999, 1000, 1001, 5000) == [D("499.5"), D(500), D(500), D(500)]


def test_penalty_deducts_up_to_its_cap():
    assert one(m.Rule("penalty", -30, 300), 0, 2, 10, 11) == [D(0), D(-60), D(-300), D(-300)]
    assert one(m.Rule("penalty", -50), 7) == [D(-350)]


def test_fixed_gives_points_for_yes_only():
    assert one(m.Rule("fixed", 100), 1, 0, unit="yes_no") == [D(100), D(0)]


BANDS = m.Rule("bands", bands=(m.Band(0, 50, 0), m.Band(50, 70, 200), m.Band(70, 85, 400), m.Band(85, None, 700)))


@pytest.mark.parametrize("value,points", [
    ("0", 0), ("49.999", 0), ("50", 200), ("69.99", 200), ("70", 400), ("84.9999999", 400), ("85", 700),
    ("100", 700),
])
def test_bands_are_from_inclusive_to_exclusive(value, points):
    assert one(BANDS, value, unit="percent") == [D(points)]


def test_values_outside_the_bands_get_nothing():
    closed = m.Rule("bands", bands=(m.Band(10, 20, 5), m.Band(20, 30, 9)))
    assert one(closed, 9, 10, 29, 30, 31) == [D(0), D(5), D(9), D(0), D(0)]
    assert rule_working(closed, D(9)).below_bands
    assert rule_working(closed, D(30)).band is None


def test_bands_with_a_gap_still_score_as_written():
    gap = m.Rule("bands", bands=(m.Band(0, 10, 1), m.Band(20, None, 2)))
    assert one(gap, 5, 15, 25) == [D(1), D(0), D(2)]


def test_rank_rule_ties_share_rank_and_points():
    rule = m.Rule("rank", (500, 300, 100))
    # values 9, 9, 7, 5, 1: ranks 1, 1, 3, 4, 5
    assert one(rule, 9, 9, 7, 5, 1) == [D(500), D(500), D(100), D(0), D(0)]


def test_rank_rule_lowest_first():
    rule = m.Rule("rank", (10, 5), order="lowest_first")
    assert one(rule, 3, 1, 2) == [D(0), D(10), D(5)]


def test_competition_ranks():
    assert competition_ranks([D(3), D(5), D(5), D(1), D(5)]) == [4, 1, 1, 5, 1]
    assert competition_ranks([3, 1, 2], highest_first=False) == [3, 1, 2]
    assert competition_ranks([]) == []


# ----- ratios -----------------------------------------------------------------------------------------------

def ratio_results(on_zero=0, rule=BANDS, unit="percent", **by_org):
    c = criteria(("a", True, [ind("a.cov", rule, unit, ratio(on_zero=on_zero))]))
    return score(c, reports(**by_org))


def test_ratio_is_numerator_over_denominator_times_100_for_percent():
    res = ratio_results(a={"members": 7, "staff": 10}, b={"members": 69999, "staff": 100000})
    scores = res.scores("a.cov")
    assert scores.values == (D(70), D("69.999"))
    assert scores.points == (D(400), D(200))  # 70 % exactly is in [70, 85)


def test_ratio_zero_denominator_is_data_not_a_crash():
    res = ratio_results(a={"members": 5, "staff": 0}, b={"members": 0, "staff": 0}, c={"members": 1, "staff": 2})
    assert res.scores("a.cov").values == (D(0), D(0), D(50))
    line = res.explain("a").lines[0]
    assert line.zero_denominator and line.numerator == 5 and line.denominator == 0
    res = ratio_results(on_zero=100, a={"members": 0, "staff": 0})
    assert res.scores("a.cov").values == (D(100),) and res.scores("a.cov").points == (D(700),)


def test_non_terminating_ratios_compare_exactly():
    # 2/3 and 6667/10000 differ; equal ratios written differently tie
    rank = m.Rule("rank", (10, 5, 1))
    res = ratio_results(rule=rank, a={"members": 2, "staff": 3}, b={"members": 6667, "staff": 10000},
                        c={"members": 4, "staff": 6})
    assert res.scores("a.cov").ranks == (2, 1, 2)


def test_shared_input_is_one_value():
    c = criteria(("a", True, [ind("a.cov", BANDS, "percent", ratio("members", "staff"))]),
                 ("b", False, [ind("b.young", BANDS, "percent", ratio("young", "members"))]))
    assert value_ids(c) == ("members", "staff", "young")
    res = score(c, reports(x={"members": 80, "staff": 100, "young": 40}))
    assert res.scores("a.cov").values == (D(80),) and res.scores("b.young").values == (D(50),)


# ----- ranks, totals, places --------------------------------------------------------------------------------

def test_every_indicator_ranks_by_points_with_ties_sharing():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1, 10))]))
    res = score(c, reports(p={"a.x": 12}, q={"a.x": 10}, r={"a.x": 3}, s={"a.x": 5}))
    assert dict(zip(res.organisations, res.scores("a.x").ranks)) == {"p": 1, "q": 1, "r": 4, "s": 3}


def test_block_points_main_blocks_and_totals():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1)), ind("a.y", m.Rule("per_unit", 0.5))]),
                 ("b", False, [ind("b.z", m.Rule("penalty", -2))]))
    res = score(c, reports(p={"a.x": 10, "a.y": 3, "b.z": 2}))
    s = res.standing("p")
    assert s.blocks == (("a", D("11.5")), ("b", D(-4)))
    assert s.main_blocks == D("11.5") and s.total == D("7.5") and s.block("b") == D(-4)


def test_places_highest_total_first_and_prize_places():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]), prize_places=2)
    res = score(c, reports(p={"a.x": 5}, q={"a.x": 9}, r={"a.x": 7}, s={"a.x": 1}))
    assert [(s.place, s.organisation, s.prize) for s in res.standings] == [
        (1, "q", True), (2, "r", True), (3, "p", False), (4, "s", False)]
    assert [s.organisation for s in res.prize_winners] == ["q", "r"]


def tie_criteria(**kw):
    return criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]),
                    ("b", False, [ind("b.y", m.Rule("per_unit", 1)), ind("b.z", m.Rule("per_unit", 1))]), **kw)


def test_equal_totals_ordered_by_main_blocks_then_listed_indicators_then_id():
    c = tie_criteria(tie_break=("main_blocks", "b.z"))
    res = score(c, reports(
        p={"a.x": 5, "b.y": 5, "b.z": 0},   # total 10, main 5
        q={"a.x": 6, "b.y": 4, "b.z": 0},   # total 10, main 6 -> before p
        r={"a.x": 5, "b.y": 0, "b.z": 5},   # total 10, main 5, b.z 5 -> before p
        s={"a.x": 5, "b.y": 5, "b.z": 0},   # same as p in every key -> after p by id
    ))
    assert [s.organisation for s in res.standings] == ["q", "r", "p", "s"]
    assert [s.place for s in res.standings] == [1, 2, 3, 4]
    by = {s.organisation: s.tie_break for s in res.standings}
    # each against the organisation above it with the same total; the first of them against the one below
    assert by == {"q": "main_blocks", "r": "main_blocks", "p": "b.z", "s": "organisation"}
    assert not any(s.shared for s in res.standings)


def test_equal_places_shared_when_the_criteria_say_so():
    c = tie_criteria(tie_break=("main_blocks",), share=True, prize_places=3)
    res = score(c, reports(
        a={"a.x": 9, "b.y": 0, "b.z": 0},
        p={"a.x": 5, "b.y": 1, "b.z": 0},
        q={"a.x": 5, "b.y": 0, "b.z": 1},
        r={"a.x": 5, "b.y": 1, "b.z": 0},
        z={"a.x": 1, "b.y": 0, "b.z": 0},
    ))
    assert [(s.place, s.organisation, s.shared) for s in res.standings] == [
        (1, "a", False), (2, "p", True), (2, "q", True), (2, "r", True), (5, "z", False)]
    assert [s.organisation for s in res.prize_winners] == ["a", "p", "q", "r"]  # a shared 2nd place is a prize place
    assert res.standing("q").tie_break == "shared"


def test_tie_break_naming_an_unknown_indicator_is_an_error():
    c = tie_criteria(tie_break=("b.zz",))
    with pytest.raises(RegdocError, match="did you mean 'b.z'"):
        score(c, reports(p={"a.x": 1, "b.y": 0, "b.z": 0}))


# ----- rewards ----------------------------------------------------------------------------------------------

def test_rewards_go_outside_the_prize_places_by_main_block_points():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]),
                 ("b", False, [ind("b.y", m.Rule("per_unit", 1))]),
                 prize_places=1, rewards=m.Rewards("main_blocks", 2))
    res = score(c, reports(
        w={"a.x": 100, "b.y": 0},  # 1st place: not a reward candidate
        p={"a.x": 10, "b.y": 50},  # 2nd by total, fewest main points
        q={"a.x": 30, "b.y": 0},
        r={"a.x": 20, "b.y": 5},
        s={"a.x": 20, "b.y": 9},   # equal main points with r: the higher total first
    ))
    assert res.rewards == ("q", "s")


def test_rewards_respect_min_points_and_count():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]), prize_places=1,
                 rewards=m.Rewards("main_blocks", 5, 15))
    res = score(c, reports(w={"a.x": 100}, p={"a.x": 20}, q={"a.x": 15}, r={"a.x": 14.9}))
    assert res.rewards == ("p", "q")


# ----- ties at the cut-offs --------------------------------------------------------------------------------

def test_a_tie_at_the_last_prize_place_is_flagged_for_the_committee():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]), prize_places=2, tie_break=())
    res = score(c, reports(w={"a.x": 9}, q={"a.x": 5}, p={"a.x": 5}, s={"a.x": 1}))
    [tie] = res.ties
    assert (tie.kind, tie.organisations, tie.inside, tie.points, tie.decided_by, tie.for_committee) == (
        "prize", ("p", "q"), ("p",), D(5), "organisation", True)


def test_a_tie_at_the_last_prize_place_decided_by_a_declared_tie_break_names_it():
    c = tie_criteria(tie_break=("main_blocks",), prize_places=1)
    res = score(c, reports(p={"a.x": 5, "b.y": 5, "b.z": 0}, q={"a.x": 6, "b.y": 4, "b.z": 0}))
    [tie] = res.ties
    assert (tie.organisations, tie.inside, tie.decided_by, tie.for_committee) == (
        ("q", "p"), ("q",), "main_blocks", False)


def test_no_tie_inside_or_outside_the_prize_places_is_flagged():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]), prize_places=2, tie_break=(),
                 rewards=m.Rewards("main_blocks", 1))
    res = score(c, reports(w={"a.x": 9}, v={"a.x": 9}, p={"a.x": 5}, q={"a.x": 1}, r={"a.x": 1}))
    assert res.ties == ()  # w and v both win a prize; q and r tie below the one reward (p)


def test_a_tie_at_the_last_reward_place_is_flagged():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]), prize_places=1,
                 rewards=m.Rewards("main_blocks", 1))
    res = score(c, reports(w={"a.x": 9}, r={"a.x": 5}, q={"a.x": 5}))
    assert res.rewards == ("q",)
    [_, tie] = res.ties if len(res.ties) == 2 else (None, res.ties[0])
    assert (tie.kind, tie.organisations, tie.inside, tie.decided_by, tie.for_committee) == (
        "reward", ("q", "r"), ("q",), "organisation", True)


def test_share_equal_places_applies_to_rewards():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]), prize_places=1, share=True,
                 rewards=m.Rewards("main_blocks", 1))
    res = score(c, reports(w={"a.x": 9}, r={"a.x": 5}, q={"a.x": 5}, z={"a.x": 1}))
    assert res.rewards == ("q", "r")
    [tie] = [t for t in res.ties if t.kind == "reward"]
    assert (tie.inside, tie.decided_by, tie.for_committee) == (("q", "r"), "shared", False)


def test_equal_main_block_points_at_the_last_reward_place_go_by_the_total():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]),
                 ("b", False, [ind("b.y", m.Rule("per_unit", 1))]), prize_places=1,
                 rewards=m.Rewards("main_blocks", 1))
    res = score(c, reports(w={"a.x": 100, "b.y": 0}, r={"a.x": 20, "b.y": 5}, s={"a.x": 20, "b.y": 9}))
    assert res.rewards == ("s",)
    [tie] = res.ties
    assert (tie.organisations, tie.decided_by, tie.for_committee) == (("s", "r"), "total", False)


# ----- explanations -----------------------------------------------------------------------------------------

def test_explanation_lines_add_up_to_the_total():
    c = criteria(("a", True, [ind("a.cov", BANDS, "percent", ratio()), ind("a.n", m.Rule("per_unit", 0.5, 500))]),
                 ("b", False, [ind("b.flag", m.Rule("fixed", 50), "yes_no"),
                               ind("b.late", m.Rule("penalty", -20, 100), missing="zero"),
                               ind("b.size", m.Rule("rank", (30, 20, 10)))]))
    rs = reports(p={"members": 90, "staff": 100, "a.n": 1200, "b.flag": 1, "b.late": 7, "b.size": 5},
                 q={"members": 10, "staff": 100, "a.n": 10, "b.flag": 0, "b.late": 0, "b.size": 9})
    rs[1] = m.Report("q", rs[1].values, frozenset({"b.late"}))
    res = score(c, rs)
    ex = res.explain("p")
    assert ex.total_of_lines == ex.standing.total == D(700 + 500 + 50 - 100 + 20)
    by_id = {line.indicator.id: line for line in ex.lines}
    assert by_id["a.n"].working.capped and by_id["a.n"].working.raw == D(600)
    assert by_id["b.late"].working.capped and by_id["b.late"].points == D(-100)
    assert by_id["a.cov"].working.band == (D(85), None, D(700))
    assert by_id["b.size"].working.rank == 2 and by_id["b.size"].rank == 2
    assert by_id["b.flag"].working.yes
    assert res.explain("q").lines[3].not_reported == ("b.late",)
    assert ex.organisations == 2


def test_unknown_organisation_names_the_nearest():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]))
    res = score(c, reports(aktobe={"a.x": 1}))
    with pytest.raises(RegdocError, match="did you mean 'aktobe'"):
        res.explain("aktobe1")


def test_a_report_without_a_value_is_an_error_not_a_crash():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1)), ind("a.y", m.Rule("per_unit", 1))]))
    with pytest.raises(RegdocError, match="has no value 'a.y'"):
        score(c, reports(p={"a.x": 1}))


def test_no_organisations_gives_empty_results():
    c = criteria(("a", True, [ind("a.x", m.Rule("per_unit", 1))]))
    res = score(c, [], 2025)
    assert res.standings == () and res.rewards == ()


# ----- properties -------------------------------------------------------------------------------------------

RULES = st.one_of(
    st.builds(lambda p, cap: m.Rule("per_unit", p, cap), st.sampled_from([0.2, 0.5, 1, 3, 10]),
              st.sampled_from([None, 5, 100, 1000])),
    st.builds(lambda p, cap: m.Rule("penalty", p, cap), st.sampled_from([-1, -0.5, -30]),
              st.sampled_from([None, 50, 300])),
    st.just(BANDS),
    st.just(m.Rule("bands", bands=(m.Band(10, 20, 5), m.Band(20, 30, 9)))),
    st.builds(lambda pts, order: m.Rule("rank", pts, order=order),
              st.sampled_from([(500, 300, 100), (10,), (3, 2, 1, 0)]), st.sampled_from(["highest_first", "lowest_first"])),
)
VALUES = st.one_of(st.integers(0, 3000).map(D), st.decimals(0, 100, places=2, allow_nan=False, allow_infinity=False))


@given(RULES, st.lists(VALUES, min_size=1, max_size=40))
def test_column_rules_agree_with_the_explained_rule(rule, values):
    if rule.kind == "rank":
        ranks = competition_ranks(values, rule.order != "lowest_first")
        column = one(rule, *values)
        assert column == [rule_working(rule, v, rank=r).points for v, r in zip(values, ranks)]
    else:
        assert _points_function(rule)(values) == [rule_working(rule, v).points for v in values]


# The strategies evaluations() draws from, made once instead of at each example (the same strategies, so the
# same examples). The first indicator's id is always b0.i0.
RULE_LISTS, SHARES = st.lists(RULES, min_size=1, max_size=6), st.booleans()
TIES = st.sampled_from([("main_blocks",), (), ("main_blocks", "b0.i0")])
PRIZE_PLACES, REWARDS, ORGANISATIONS = st.integers(1, 4), st.integers(0, 4), st.integers(1, 12)


@st.composite
def evaluations(draw):
    rules = draw(RULE_LISTS)
    inds = [ind(f"b{i % 2}.i{i}", r) for i, r in enumerate(rules)]
    blocks = [(f"b{k}", k == 0, [x for x in inds if x.id.startswith(f"b{k}.")]) for k in range(2)]
    blocks = [b for b in blocks if b[2]]
    share = draw(SHARES)
    assert inds[0].id == "b0.i0"
    tie = draw(TIES)
    c = criteria(*blocks, prize_places=draw(PRIZE_PLACES), share=share, tie_break=tie,
                 rewards=m.Rewards("main_blocks", draw(REWARDS)))
    n = draw(ORGANISATIONS)
    rs = [m.Report(f"org{k:02d}", {x.id: draw(VALUES) for x in inds}) for k in range(n)]
    return c, rs


def summary(res):
    return ([(s.place, s.organisation, s.total, s.main_blocks, s.blocks, s.prize, s.shared) for s in res.standings],
            res.rewards, [(x.indicator.id, x.values, x.points, x.ranks) for x in res.indicators])


@settings(max_examples=150, deadline=None)
@given(evaluations(), st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_the_order_of_organisations_or_indicators(data, rnd):
    c, rs = data
    shuffled = list(rs)
    rnd.shuffle(shuffled)
    reordered = [m.Report(r.organisation, dict(sorted(r.values.items(), key=lambda kv: rnd.random())))
                 for r in shuffled]
    assert summary(score(c, rs)) == summary(score(c, reordered))


EXTRA = st.integers(1, 500).map(D)


@settings(max_examples=150, deadline=None)
@given(evaluations(), st.data())
def test_adding_points_to_one_organisation_never_lowers_its_place(data, draw):
    c, rs = data
    candidates = [x for x in c.indicators() if x.rule.kind == "per_unit"]
    if not candidates:
        return
    target = draw.draw(st.sampled_from(candidates))
    k = draw.draw(st.integers(0, len(rs) - 1))
    extra = draw.draw(EXTRA)
    before = score(c, rs).standing(rs[k].organisation).place
    more = dict(rs[k].values)
    more[target.id] += extra
    after_reports = rs[:k] + [m.Report(rs[k].organisation, more)] + rs[k + 1:]
    after = score(c, after_reports).standing(rs[k].organisation).place
    assert after <= before


# ----- the shipped data -------------------------------------------------------------------------------------

def test_shipped_2025_evaluation_reproduces_resolution_2026_02_20_9_7():
    from regdoc.tree.load import load_evaluation, load_tree

    tree = load_tree(ROOT)
    evaluation = load_evaluation(ROOT, 2025, tree)
    assert evaluation.source == "sample" and evaluation.criteria_amendment == "2026-02-20"
    members = [o.id for o in tree.organisations if o.kind != "union"]
    assert sorted(r.organisation for r in evaluation.reports) == sorted(members)
    res = score(evaluation.criteria, evaluation)
    assert [(s.place, s.organisation, s.total) for s in res.prize_winners] == [
        (1, "astana-akmola", D(100201)), (2, "kyzylorda", D(39440)), (3, "zhambyl", D(29986))]
    assert res.rewards == ("aktobe", "pavlodar", "astana-city")
    resolution = tree.resolution(m.ResolutionId.parse("2026-02-20/9/7"))
    stated = [(p.place, p.organisation, D(p.total)) for it in resolution.items for p in it.places]
    assert stated == [(s.place, s.organisation, s.total) for s in res.prize_winners]
    assert next(it.rewards for it in resolution.items if it.rewards) == res.rewards
    for s in res.standings:
        assert res.explain(s.organisation).total_of_lines == s.total


BIG = st.integers(0, 10**18 - 1).map(lambda i: D(i).scaleb(-6))  # what the loader accepts: < 10^12, 6 decimals


@settings(max_examples=300)
@given(BIG, BIG.filter(bool), BIG, BIG.filter(bool), st.decimals(0, 1000, places=6))
def test_ratio_comparisons_are_those_of_the_true_fractions(n1, d1, n2, d2, edge):
    from fractions import Fraction

    from regdoc.scoring.score import _ratio_values

    r = m.Ratio(m.Input("n", t("n"), "persons"), m.Input("d", t("d"), "persons"))
    v1, v2 = _ratio_values(r, "percent", [n1, n2], [d1, d2])
    f1, f2 = Fraction(n1) * 100 / Fraction(d1), Fraction(n2) * 100 / Fraction(d2)
    assert (v1 == v2) == (f1 == f2) and (v1 < v2) == (f1 < f2)
    assert (v1 >= edge) == (f1 >= Fraction(edge)) and (v1 < edge) == (f1 < Fraction(edge))


def test_scoring_runs_with_the_collector_paused_and_gives_it_back(monkeypatch):
    """Scoring makes many objects that live on and no cycles: no garbage collection runs while it does
    (regdoc.collector.lasting), however it ends."""
    import gc

    from regdoc.scoring import score as scoring

    seen = []

    def failing(*args):
        seen.append(gc.isenabled())
        raise RegdocError("stop")

    monkeypatch.setattr(scoring, "_score", failing)
    assert gc.isenabled()
    with pytest.raises(RegdocError):
        score(None, ())
    assert seen == [False] and gc.isenabled()
