"""Property: every way reports reach regdoc reads them alike. Random valid reports of 2025, written as the
evaluation's YAML, as CSV in both dialects, as a whole-year workbook and as one workbook per organisation (imported,
and scored with `score --input`), give the same reports and the same scores; and a value typed as text that one
spreadsheet path refuses as ambiguous («80,161») every spreadsheet path refuses, while all read an unambiguous one
(«1 200,75», «12,5») as the same number. YAML takes numbers only (with a decimal point): a text there is refused.

Each example writes and reads some twenty workbooks, so the examples are few and not shrunk (time-bounded)."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from datatree import REPO, copy_tree
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from regdoc.app.scoring import Upload, import_returns, organisation_templates, reporting_template, score_year
from regdoc.app.workspace import data_tree
from regdoc.data import model as m
from regdoc.errors import CheckFailed
from regdoc.files.spreadsheets import csv_text, template_workbook, workbook_bytes
from regdoc.scoring.evaluation import ReturnSource, columns, evaluation_yaml, template
from regdoc.scoring.score import score
from regdoc.tree.read import criteria_for, evaluation_path, member_ids

YEAR, AMENDMENT = 2025, "2026-02-20"  # the shipped evaluation's year and criteria
CRITERIA = criteria_for(data_tree(REPO), YEAR, None, AMENDMENT)[0]
COLUMNS = columns(CRITERIA)
MEMBERS = member_ids(data_tree(REPO))
PERCENT_RATIOS = [(i.ratio.numerator.id, i.ratio.denominator.id) for i in CRITERIA.indicators()
                  if i.ratio is not None and i.unit == "percent"]
SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                phases=(Phase.explicit, Phase.generate))


def _value(unit: str):
    return _VALUES[unit]


def _made_value(unit: str):
    if unit in ("count", "persons"):
        return st.integers(0, 2_000_000).map(Decimal)
    if unit == "yes_no":
        return st.sampled_from([Decimal(0), Decimal(1)])
    if unit == "percent":
        return st.integers(0, 10_000).map(lambda n: Decimal(n).scaleb(-2))
    # amounts: up to three decimals, so that «80.161» (a thousands comma to the eye) comes up
    return st.integers(0, 10 ** 10).map(lambda n: Decimal(n).scaleb(-3))


# made once instead of for every value drawn (the same strategies, so the same examples)
_VALUES = {c.unit: _made_value(c.unit) for c in COLUMNS}
_ABSENT = st.booleans()


@st.composite
def reports(draw) -> tuple[m.Report, ...]:
    out = []
    for org in MEMBERS:
        values = {c.id: draw(_value(c.unit)) for c in COLUMNS}
        changed = True
        while changed:  # a share of a whole is at most the whole (members <= staff, young members <= members)
            changed = False
            for num, den in PERCENT_RATIOS:
                if values[num] > values[den]:
                    values[den], changed = values[num], True
        absent = frozenset(c.id for c in COLUMNS if c.missing == "zero" and draw(_ABSENT))
        out.append(m.Report(org, {k: (Decimal(0) if k in absent else v) for k, v in values.items()}, absent))
    return tuple(sorted(out, key=lambda r: r.organisation))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the shipped data tree whose 2025 evaluation each example writes."""
    return copy_tree(tmp_path_factory.mktemp("paths") / "data")


def _write_yaml(tree: Path, reps) -> None:
    text = evaluation_yaml(YEAR, "sample", CRITERIA, reps, [ReturnSource("hypothesis", "0" * 64, tuple(MEMBERS))],
                           None, AMENDMENT)
    (tree / evaluation_path(YEAR)).write_text(text, encoding="utf-8")


def _imported(tree: Path, name: str, data: bytes) -> m.Evaluation:
    result = import_returns(tree, YEAR, [(name, data)], dry_run=True, sample=True, replace=True)
    assert result.ok, [str(p) for p in result.problems]
    return result.evaluation


def _standings(results):
    return [(s.organisation, s.place, s.total, s.main_blocks, s.blocks, s.prize) for s in results.standings]


@settings(max_examples=3, **SETTINGS)
@given(reports())
def test_every_input_path_gives_the_same_reports_and_scores(tree, reps):
    _write_yaml(tree, reps)
    from_yaml = score_year(tree, YEAR)
    assert from_yaml.evaluation.reports == reps
    sheet = template(CRITERIA, data_tree(tree).organisations, YEAR, reps)
    sources = {
        "plain.csv": csv_text(sheet.rows, "plain").encode("utf-8"),
        "excel.csv": ("\ufeff" + csv_text(sheet.rows, "excel")).encode("utf-8"),
        "whole.xlsx": reporting_template(tree, YEAR, "xlsx", filled=True),
    }
    expected = _standings(from_yaml.results)
    for name, data in sources.items():
        evaluation = _imported(tree, name, data)
        assert evaluation.reports == reps, name
        assert _standings(score(CRITERIA, evaluation)) == expected, name
        assert _standings(score_year(tree, YEAR, Upload(name, data)).results) == expected, name  # score --input
    per_organisation = import_returns(tree, YEAR, organisation_templates(tree, YEAR, filled=True), dry_run=True,
                                      sample=True, replace=True)
    assert per_organisation.ok and per_organisation.evaluation.reports == reps
    assert _standings(score(CRITERIA, per_organisation.evaluation)) == expected


# ----- text values: ambiguous everywhere or nowhere ------------------------------------------------------------

AMOUNT = next(c.id for c in COLUMNS if c.unit == "thousand_tenge")
SENTINEL = Decimal(987654321)


def _digits(n: int, k: int) -> str:
    return str(n).zfill(k)


texts = st.one_of(
    # a comma before three digits after one to three digits: a decimal comma or a thousands comma
    st.builds(lambda a, b: f"{a},{_digits(b, 3)}", st.integers(1, 999), st.integers(0, 999)),
    st.builds(lambda a, b: f"{a},{b}", st.integers(0, 99_999), st.integers(1, 99)),  # 12,5
    st.builds(lambda a, b, c: f"{a} {_digits(b, 3)},{c}", st.integers(1, 999), st.integers(0, 999),
              st.integers(1, 99)),  # 1 200,75
    st.builds(lambda a, b: f"{a} {_digits(b, 3)}", st.integers(1, 999), st.integers(0, 999)),  # 1 200
    st.builds(lambda a, b: f"{a},{_digits(b, 3)}0", st.integers(1, 999), st.integers(0, 999)),  # 80,1610
)


def _outcome(problems) -> str:
    """'ambiguous' when the problems say the value has two readings, else the problems themselves."""
    lines = [str(p) for p in problems]
    return "ambiguous" if any("two readings" in line for line in lines) else "; ".join(lines)


@settings(max_examples=3, **SETTINGS)
@given(reports().map(lambda r: r[:1]), texts)
def test_a_text_value_is_refused_as_ambiguous_by_every_path_or_read_alike_by_all(tree, first, text):
    org = MEMBERS[0]
    report = next(iter(first))
    values = dict(report.values)
    values[AMOUNT] = SENTINEL
    base = [m.Report(org, values, report.not_reported - {AMOUNT})] + \
        [m.Report(o, {c.id: Decimal(0) for c in COLUMNS}) for o in MEMBERS[1:]]
    outcomes, read = {}, {}

    def place(rows):
        return tuple(tuple(text if cell == int(SENTINEL) else cell for cell in row) for row in rows)

    # YAML, as a person types it: numbers only, so a text is refused whatever it says
    valid = evaluation_yaml(YEAR, "sample", CRITERIA, base, [], None, AMENDMENT)
    typed = re.sub(rf"^(    {re.escape(AMOUNT)}): {SENTINEL}$", rf"\1: {text}", valid, count=1, flags=re.MULTILINE)
    assert typed != valid
    (tree / evaluation_path(YEAR)).write_text(typed, encoding="utf-8")
    with pytest.raises(CheckFailed):
        score_year(tree, YEAR)
    (tree / evaluation_path(YEAR)).write_text(valid, encoding="utf-8")  # the criteria of the imports below
    sheet = template(CRITERIA, data_tree(tree).organisations, YEAR, base)
    rows = place(sheet.rows)
    one = template(CRITERIA, data_tree(tree).organisations, YEAR, base, only=org)
    returns = {
        "plain.csv": csv_text(rows, "plain").encode("utf-8"),
        "excel.csv": csv_text(rows, "excel").encode("utf-8-sig"),
        "whole.xlsx": workbook_bytes(template_workbook(type(sheet)(sheet.title, rows, sheet.header_rows,
                                                                  sheet.ids_row, sheet.units), "S", {})),
        "one.xlsx": workbook_bytes(template_workbook(type(one)(one.title, place(one.rows), one.header_rows,
                                                              one.ids_row, one.units), "S", {}, protect=True)),
    }
    others = ("others.csv", csv_text(sheet.rows[:sheet.header_rows] + sheet.rows[sheet.header_rows + 1:]).encode())
    for name, data in returns.items():
        given = [(name, data)] + ([others] if name == "one.xlsx" else [])  # one organisation's return: and the rest
        result = import_returns(tree, YEAR, given, dry_run=True, sample=True, replace=True)
        if result.problems:
            outcomes[name] = _outcome(result.problems)
        else:
            outcomes[name] = "read"
            read[name] = tuple(r for r in result.evaluation.reports if r.organisation == org)
    assert len(set(outcomes.values())) == 1, (text, outcomes)
    assert outcomes["plain.csv"] in ("read", "ambiguous"), outcomes
    if outcomes["plain.csv"] == "read":
        amounts = {name: [dict(r.values)[AMOUNT] for r in got] for name, got in read.items()}
        assert len({tuple(a) for a in amounts.values()}) == 1 and len(amounts["plain.csv"]) == 1, (text, amounts)
