"""Scoring (clauses 4.2, 4.3 and 5.2): Appendix 1 and one year's reports -> points, ranks, totals, places, rewards.

Pure and exact. Every value and every point is a `Decimal`; a rule's numbers from the criteria are taken by
their written decimal form (0.2 is two tenths, not the nearest binary fraction), so totals print exactly. A ratio
is divided with 60 significant digits. Reported values are below 10^12 with at most 6 decimals (the loader holds
them to that), so two different ratios differ by at least 10^-36 and a ratio differs from a band edge of at most
6 decimals by at least 10^-24, while the rounding of a quotient (at most 10^20) is below 10^-39: every comparison
with a band edge, and every tie, comes out as with the true fractions.

- Each indicator's rule turns one organisation's value into points: `per_unit` (value x points, at most `cap`),
  `penalty` (value x negative points, at most `cap` deducted), `fixed` (points when the answer is yes), `bands`
  (the band [from, to) the value falls in) or `rank` (points by the organisation's rank on the value).
- A ratio's value is numerator / denominator (x 100 for percent); a zero denominator gives the criteria's
  `on_zero` value.
- Every indicator ranks all organisations by their points on it (by the value for a `rank` rule, whose rank makes
  the points), highest first; equal points share a rank (1, 2, 2, 4).
- Organisations are ordered by total points, highest first; equal totals by the criteria's `tie_break` (main-block
  points, then listed indicators' points, highest first); what is still equal shares a place when
  `share_equal_places`, else is ordered by organisation id.
- The first `prize_places` places are prize places; reward candidates are the other organisations with the most
  main-block points (at least `min_points`), `count` of them; equal main-block points are ordered by the total,
  then by id, or all still equal at the last reward place are candidates when `share_equal_places`.
- Equal points across the last prize place or the last reward place are a `CutoffTie`: the criteria's
  tie-break decides it, or else (ordered by id) the Executive Committee does.
"""
from __future__ import annotations

import operator
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from itertools import repeat
from typing import Callable, Iterable, Optional, Sequence

from regdoc.collector import lasting
from regdoc.data import model as m
from regdoc.errors import RegdocError, nearest
from regdoc.i18n import _

#: the arithmetic of scoring: 60 significant digits, and an error (never a silent NaN) on anything undefined
CONTEXT = Context(prec=60, traps=[InvalidOperation, DivisionByZero, Overflow])
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
TIE_BY_ID = "organisation"
TIE_SHARED = "shared"
TIE_BY_TOTAL = "total"  # rewards: equal main-block points ordered by the total


def dec(number) -> Decimal:
    """Return a number from the data as an exact Decimal of its written form."""
    if isinstance(number, Decimal):
        return number
    if isinstance(number, float):
        return Decimal(repr(number))
    return Decimal(number)


def value_ids(criteria: m.Criteria) -> tuple[str, ...]:
    """Return the ids of the values an organisation reports, in the order of Appendix 1.

    A plain indicator is reported under its own id; a ratio under the ids of its numerator and denominator. An
    input used by two ratios (`members`) is one value and is listed once, where it first appears.
    """
    out: dict[str, None] = {}
    for indicator in criteria.indicators():
        if indicator.ratio is None:
            out[indicator.id] = None
        else:
            out[indicator.ratio.numerator.id] = None
            out[indicator.ratio.denominator.id] = None
    return tuple(out)


# ----- results ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorScores:
    """One indicator across all organisations; the tuples follow `Results.organisations`."""

    block: m.Block
    indicator: m.Indicator
    values: tuple[Decimal, ...]  # the value scored (for a ratio: the computed share)
    points: tuple[Decimal, ...]
    ranks: tuple[int, ...]  # 1 = best; equal points share a rank


@dataclass(frozen=True)
class Standing:
    """One organisation's place, total and points by block."""

    organisation: str
    place: int
    total: Decimal
    main_blocks: Decimal  # points in the main blocks (clause 5.2)
    blocks: tuple[tuple[str, Decimal], ...]  # (block id, points) in the order of Appendix 1
    prize: bool  # holds a prize place
    shared: bool = False  # shares its place with another organisation
    tie_break: Optional[str] = None  # with an equal total: what decided between it and the organisation
    # just above it (the first of them: just below): 'main_blocks', an indicator id, 'organisation' (by id),
    # or 'shared' (an equal place); None when no other organisation has its total

    def block(self, block_id: str) -> Decimal:
        """Return the points in one block."""
        return dict(self.blocks)[block_id]


@dataclass(frozen=True)
class CutoffTie:
    """Organisations with equal points on both sides of a cut-off: the last prize place (equal totals) or the last
    reward place (equal main-block points). The Executive Committee decides it unless `decided_by` names a
    tie-break the criteria declare."""

    kind: str  # 'prize' | 'reward'
    organisations: tuple[str, ...]  # every organisation with the points at the cut-off, in the order given
    inside: tuple[str, ...]  # those of them inside the cut-off as regdoc ordered them
    points: Decimal  # the equal total (prize) or main-block points (reward)
    decided_by: str  # 'main_blocks' or an indicator id (a declared tie-break that separated them), 'total'
    # (rewards: the higher total), 'shared' (share_equal_places: all of them are inside), or 'organisation'
    # (ordered by id: for the Committee to decide)

    @property
    def for_committee(self) -> bool:
        """The criteria do not decide the tie: the Committee chooses among `organisations`."""
        return self.decided_by == TIE_BY_ID


@dataclass(frozen=True)
class Working:
    """How a rule turned one value into points, for an explanation a person can check by hand."""

    kind: str
    value: Decimal
    points: Decimal
    per_unit: Optional[Decimal] = None  # per_unit, penalty
    raw: Optional[Decimal] = None  # per_unit, penalty: value x per_unit, before the cap
    cap: Optional[Decimal] = None
    capped: bool = False
    band: Optional[tuple[Decimal, Optional[Decimal], Decimal]] = None  # bands: (from, to, points) that applied
    below_bands: bool = False  # bands: the value lies below the first band
    rank: Optional[int] = None  # rank: the rank on the value
    order: Optional[str] = None  # rank: highest_first | lowest_first
    rank_points: tuple[Decimal, ...] = ()  # rank: points of rank 1, 2, ...
    yes: Optional[bool] = None  # fixed


@dataclass(frozen=True)
class Line:
    """One indicator of one organisation's explanation."""

    block: m.Block
    indicator: m.Indicator
    value: Decimal
    points: Decimal
    rank: int
    working: Working
    not_reported: tuple[str, ...] = ()  # ids left empty and counted as zero (`missing: zero`)
    numerator: Optional[Decimal] = None  # ratio inputs as reported
    denominator: Optional[Decimal] = None
    zero_denominator: bool = False  # the ratio's value is the criteria's `on_zero`


@dataclass(frozen=True)
class Explanation:
    """Everything needed to check one organisation's total by hand."""

    standing: Standing
    lines: tuple[Line, ...]  # every indicator, in the order of Appendix 1
    organisations: int  # how many organisations were ranked

    @property
    def total_of_lines(self) -> Decimal:
        return sum((line.points for line in self.lines), ZERO)


@dataclass(frozen=True)
class Results:
    """The scored evaluation of one year."""

    year: int
    criteria: m.Criteria
    organisations: tuple[str, ...]  # organisation ids, sorted: the index of every IndicatorScores tuple
    reports: tuple[m.Report, ...]  # in the same order
    indicators: tuple[IndicatorScores, ...]  # in the order of Appendix 1
    standings: tuple[Standing, ...]  # in place order, 1st place first
    rewards: tuple[str, ...]  # reward candidates (clause 5.2), most main-block points first
    ties: tuple[CutoffTie, ...] = ()  # ties at the last prize place and at the last reward place

    @property
    def prize_winners(self) -> tuple[Standing, ...]:
        return tuple(s for s in self.standings if s.prize)

    def standing(self, organisation: str) -> Standing:
        """Return the standing of an organisation; raise RegdocError naming the nearest id when unknown."""
        for s in self.standings:
            if s.organisation == organisation:
                return s
        raise RegdocError(_("organisation '{id}' is not in the evaluation of {year}{suggestion}").format(
            id=organisation, year=self.year, suggestion=nearest(organisation, self.organisations)))

    def scores(self, indicator_id: str) -> IndicatorScores:
        for scores in self.indicators:
            if scores.indicator.id == indicator_id:
                return scores
        raise RegdocError(_("indicator '{id}' is not in the criteria{suggestion}").format(
            id=indicator_id, suggestion=nearest(indicator_id, [s.indicator.id for s in self.indicators])))

    def explain(self, organisation: str) -> Explanation:
        """Return the explanation of one organisation's points: value, rule working, points and rank per indicator."""
        standing = self.standing(organisation)
        i = self.organisations.index(organisation)
        report = self.reports[i]
        lines = []
        for scores in self.indicators:
            ind = scores.indicator
            value = scores.values[i]
            if ind.ratio is None:
                used = (ind.id,)
                num = den = None
                zero_den = False
            else:
                used = (ind.ratio.numerator.id, ind.ratio.denominator.id)
                num, den = report.values[used[0]], report.values[used[1]]
                zero_den = den == 0
            if ind.rule.kind == "rank":
                working = rule_working(ind.rule, value, rank=scores.ranks[i])
            else:
                working = rule_working(ind.rule, value)
            lines.append(Line(scores.block, ind, value, scores.points[i], scores.ranks[i], working,
                              tuple(u for u in used if u in report.not_reported), num, den, zero_den))
        return Explanation(standing, tuple(lines), len(self.organisations))


# ----- rules ------------------------------------------------------------------------------------------------

def rule_working(rule: m.Rule, value: Decimal, rank: Optional[int] = None) -> Working:
    """Return how `rule` turns `value` into points (for `rank`, give the rank the value holds)."""
    kind = rule.kind
    if kind in ("per_unit", "penalty"):
        per = dec(rule.points)
        raw = CONTEXT.multiply(value, per)
        cap = dec(rule.cap) if rule.cap is not None else None
        points, capped = raw, False
        if cap is not None and kind == "per_unit" and raw > cap:
            points, capped = cap, True
        elif cap is not None and kind == "penalty" and raw < -cap:
            points, capped = -cap, True
        return Working(kind, value, points, per_unit=per, raw=raw, cap=cap, capped=capped)
    if kind == "fixed":
        yes = value != 0
        return Working(kind, value, dec(rule.points) if yes else ZERO, yes=yes)
    if kind == "bands":
        for band in rule.bands:
            start, end = dec(band.start), None if band.end is None else dec(band.end)
            if start <= value and (end is None or value < end):
                return Working(kind, value, dec(band.points), band=(start, end, dec(band.points)))
        return Working(kind, value, ZERO, below_bands=True)
    if kind == "rank":
        table = tuple(dec(p) for p in rule.points)
        if rank is None:
            raise ValueError("a rank rule needs the rank of the value")
        points = table[rank - 1] if rank <= len(table) else ZERO
        return Working(kind, value, points, rank=rank, order=rule.order, rank_points=table)
    raise ValueError(f"unknown rule kind {kind!r}")


def _points_function(rule: m.Rule) -> Callable[[Sequence[Decimal]], list[Decimal]]:
    """Return a function from a column of values to a column of points (not for rank rules).

    The same result as `rule_working(rule, v).points` for every v (a test holds them equal), computed with
    map() over whole columns so that large evaluations score quickly.
    """
    kind = rule.kind
    if kind in ("per_unit", "penalty"):
        per = dec(rule.points)
        mul = CONTEXT.multiply
        if rule.cap is None:
            return lambda values: list(map(mul, values, repeat(per)))
        if kind == "per_unit":
            cap = dec(rule.cap)
            return lambda values: list(map(min, map(mul, values, repeat(per)), repeat(cap)))
        floor = -dec(rule.cap)
        return lambda values: list(map(max, map(mul, values, repeat(per)), repeat(floor)))
    if kind == "fixed":
        yes = dec(rule.points)
        return lambda values: [yes if v else ZERO for v in values]
    if kind == "bands":
        starts = [dec(b.start) for b in rule.bands]
        ends = [None if b.end is None else dec(b.end) for b in rule.bands]
        contiguous = all(e is not None and e == s for e, s in zip(ends, starts[1:])) and \
            all(e is None or s < e for s, e in zip(starts, ends))
        if not contiguous:  # bands that `check` rejects still score as rule_working does: the first band that holds
            return lambda values: [rule_working(rule, v).points for v in values]
        # the points of the interval a value falls in: below the first band, each band, past a closed last band
        edges = starts + ([ends[-1]] if ends[-1] is not None else [])
        table = [ZERO] + [dec(b.points) for b in rule.bands] + ([ZERO] if ends[-1] is not None else [])
        return lambda values: list(map(table.__getitem__, map(bisect_right, repeat(edges), values)))
    raise ValueError(f"unknown rule kind {kind!r}")


def competition_ranks(keys: Sequence, highest_first: bool = True) -> list[int]:
    """Return the rank of each key, 1 for the best; equal keys share a rank and the next rank is skipped."""
    counts = Counter(keys)
    rank_of = {}
    rank = 1
    for key in sorted(counts, reverse=highest_first):
        rank_of[key] = rank
        rank += counts[key]
    return list(map(rank_of.__getitem__, keys))


def _ratio_values(ratio: m.Ratio, unit: str, numerators: Sequence[Decimal],
                  denominators: Sequence[Decimal]) -> list[Decimal]:
    """Return numerator / denominator (x 100 for percent) for a column; a zero denominator gives `on_zero`."""
    divide, multiply = CONTEXT.divide, CONTEXT.multiply
    safe = [d or ONE for d in denominators]
    if unit == "percent":
        numerators = map(multiply, numerators, repeat(HUNDRED))
    values = list(map(divide, numerators, safe))
    on_zero = dec(ratio.on_zero)
    for i, d in enumerate(denominators):
        if not d:
            values[i] = on_zero
    return values


def _sums(columns: Sequence[Sequence[Decimal]], n: int) -> list[Decimal]:
    """Return the sum of several columns, row by row."""
    if not columns:
        return [ZERO] * n
    if len(columns) == 1:
        return list(columns[0])
    return list(map(sum, zip(*columns)))


# ----- scoring ----------------------------------------------------------------------------------------------

def score(criteria: m.Criteria, evaluation: m.Evaluation | Iterable[m.Report], year: Optional[int] = None) -> Results:
    """Return the results of scoring every organisation's report under `criteria`.

    `evaluation` is an Evaluation (its year is used) or reports alone. Each report must hold every value of
    `value_ids(criteria)` (the loader ensures it); the order of reports does not matter.
    """
    with lasting():  # a million small objects that live on, and no reference cycle (regdoc.collector)
        return _score(criteria, evaluation, year)


def _score(criteria: m.Criteria, evaluation, year: Optional[int]) -> Results:
    if isinstance(evaluation, m.Evaluation):
        reports, year = evaluation.reports, evaluation.year if year is None else year
    else:
        reports = tuple(evaluation)
    reports = tuple(sorted(reports, key=operator.attrgetter("organisation")))
    organisations = tuple(r.organisation for r in reports)
    for a, b in zip(organisations, organisations[1:]):
        if a == b:
            raise RegdocError(_("organisation '{id}' has two reports").format(id=a))
    n = len(reports)
    needed = value_ids(criteria)
    try:
        getter = operator.itemgetter(*needed)
        rows = [getter(r.values) for r in reports]
    except KeyError as exc:
        who = next(r for r in reports if exc.args[0] not in r.values)
        raise RegdocError(_("the report of '{organisation}' has no value '{id}'").format(
                              organisation=who.organisation, id=exc.args[0]),
                          who.where.file, who.where.line, who.where.node) from None
    if len(needed) == 1:
        rows = [(row,) for row in rows]
    columns = dict(zip(needed, zip(*rows))) if n else {vid: () for vid in needed}

    indicator_scores: list[IndicatorScores] = []
    block_points: list[tuple[m.Block, list[Decimal]]] = []
    by_indicator: dict[str, list[Decimal]] = {}
    for block in criteria.blocks:
        in_block = []
        for ind in block.indicators:
            if ind.ratio is None:
                values = columns[ind.id]
            else:
                values = _ratio_values(ind.ratio, ind.unit, columns[ind.ratio.numerator.id],
                                       columns[ind.ratio.denominator.id])
            if ind.rule.kind == "rank":
                ranks = competition_ranks(values, ind.rule.order != "lowest_first")
                table = [ZERO] + [dec(p) for p in ind.rule.points]
                table += [ZERO] * (n + 1 - len(table))
                points = list(map(table.__getitem__, ranks))
            else:
                points = _points_function(ind.rule)(values)
                ranks = competition_ranks(points)
            in_block.append(points)
            by_indicator[ind.id] = points
            indicator_scores.append(IndicatorScores(block, ind, tuple(values), tuple(points), tuple(ranks)))
        block_points.append((block, _sums(in_block, n)))

    totals = _sums([points for _, points in block_points], n)
    main = _sums([points for block, points in block_points if block.main], n)

    standings = _places(criteria, organisations, totals, main, block_points, by_indicator)
    rewards, reward_tie = _rewards(criteria, standings)
    ties = tuple(t for t in (_prize_tie(criteria, standings), reward_tie) if t is not None)
    return Results(year if year is not None else 0, criteria, organisations, reports, tuple(indicator_scores),
                   standings, rewards, ties)


def _places(criteria: m.Criteria, organisations: tuple[str, ...], totals: list[Decimal], main: list[Decimal],
            block_points, by_indicator: dict[str, list[Decimal]]) -> tuple[Standing, ...]:
    """Return the standings in place order (clause 4.3: the highest sum of points first)."""
    n = len(organisations)
    tie_columns: list[tuple[str, list[Decimal]]] = []
    for key in criteria.tie_break:
        if key == "main_blocks":
            tie_columns.append((key, main))
        elif key in by_indicator:
            tie_columns.append((key, by_indicator[key]))
        else:
            raise RegdocError(_("tie_break names indicator '{key}', which is not in Appendix 1{suggestion}").format(
                key=key, suggestion=nearest(key, list(by_indicator))))
    # the sort key: every criterion negated so that one ascending sort puts the highest first, then the id
    negated = [list(map(operator.neg, totals))] + [list(map(operator.neg, col)) for _, col in tie_columns]
    keys = list(zip(*negated, organisations)) if n else []
    order = sorted(range(n), key=keys.__getitem__)
    places = [0] * n
    deciders: list[Optional[str]] = [None] * n
    for position, i in enumerate(order, 1):
        places[i] = position
    for a, b in zip(order, order[1:]):
        if totals[a] != totals[b]:
            continue
        decided = next((name for (name, _), x, y in zip(tie_columns, keys[a][1:-1], keys[b][1:-1]) if x != y),
                       None)
        if decided is None:
            decided = TIE_SHARED if criteria.share_equal_places else TIE_BY_ID
            if criteria.share_equal_places:
                places[b] = places[a]
        deciders[a] = deciders[a] or decided
        deciders[b] = decided
    counts = Counter(places)
    block_ids = [block.id for block, _ in block_points]
    per_org_blocks = list(map(tuple, map(zip, repeat(block_ids), zip(*(points for _, points in block_points)))))
    prize = criteria.prize_places
    return tuple(Standing(organisations[i], places[i], totals[i], main[i], per_org_blocks[i], places[i] <= prize,
                          counts[places[i]] > 1, deciders[i])
                 for i in order)


def _prize_tie(criteria: m.Criteria, standings: tuple[Standing, ...]) -> Optional[CutoffTie]:
    """Return the tie of equal totals across the last prize place, if there is one."""
    k = criteria.prize_places
    if k >= len(standings) or standings[k - 1].total != standings[k].total:
        return None
    total = standings[k].total
    tied = [s for s in standings if s.total == total]
    return CutoffTie("prize", tuple(s.organisation for s in tied), tuple(s.organisation for s in tied if s.prize),
                     total, standings[k].tie_break or TIE_BY_ID)


def _rewards(criteria: m.Criteria, standings: tuple[Standing, ...]) -> tuple[tuple[str, ...], Optional[CutoffTie]]:
    """Return the reward candidates of clause 5.2 (outside the prize places, the most main-block points first),
    and the tie of equal main-block points across the last reward place, if there is one.

    Equal main-block points are ordered by the total, then by organisation id; with `share_equal_places` every
    organisation still equal at the last reward place is a candidate (there are then more than `count`).
    """
    rule = criteria.rewards
    if rule.basis != "main_blocks":
        raise RegdocError(_("rewards basis '{basis}' is not known; known: {known}").format(
            basis=rule.basis, known="main_blocks"))
    floor = dec(rule.min_points) if rule.min_points is not None else None
    candidates = sorted((-s.main_blocks, -s.total, s.organisation) for s in standings
                        if not s.prize and (floor is None or s.main_blocks >= floor))
    count = rule.count
    chosen = [key[2] for key in candidates[:count]]
    if count == 0 or len(candidates) <= count or candidates[count - 1][0] != candidates[count][0]:
        return tuple(chosen), None
    last, first_out = candidates[count - 1], candidates[count]
    if last[1] != first_out[1]:
        decided_by = TIE_BY_TOTAL
    elif criteria.share_equal_places:
        decided_by = TIE_SHARED
        chosen += [key[2] for key in candidates[count:] if key[:2] == last[:2]]
    else:
        decided_by = TIE_BY_ID
    tied = tuple(key[2] for key in candidates if key[0] == last[0])
    return tuple(chosen), CutoffTie("reward", tied, tuple(org for org in tied if org in chosen), -last[0],
                                    decided_by)
