"""regdoc.evaluation and the loading of evaluations: values, YAML reports, spreadsheets, the template and its
round trip, and every bad input named by file, line or row, and key or column."""
from __future__ import annotations

import dataclasses
import random
from datetime import date
from decimal import Decimal as D
from functools import lru_cache
from pathlib import Path

import pytest
from datatree import REPO as ROOT
from datatree import edit

from regdoc.errors import CheckFailed
from regdoc.files.spreadsheets import read_rows, template_workbook, write_csv, write_workbook
from regdoc.scoring.evaluation import column_letter, columns, parse_value, template
from regdoc.tree.load import load_evaluation, load_tree
from regdoc.tree.read import criteria_for

EVALUATION = Path("evaluations/2025/evaluation.yaml")


def problems(root: Path, year: int = 2025, reports_from=None):
    with pytest.raises(CheckFailed) as caught:
        load_evaluation(root, year, reports_from=reports_from)
    return [p for p in caught.value.problems if p.severity == "error"]


@lru_cache(maxsize=None)
def shipped():
    tree = load_tree(ROOT)
    return tree, load_evaluation(ROOT, 2025, tree)


# ----- values -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,unit,value", [
    (12, "count", D(12)), ("12", "count", D(12)), (" 1 234 ", "persons", D(1234)), ("1\u00a0234", "persons", D(1234)),
    ("12,5", "thousand_tenge", D("12.5")), (12.5, "thousand_tenge", D("12.5")), ("0.1", "percent", D("0.1")),
    (100, "percent", D(100)), (True, "yes_no", D(1)), ("иә", "yes_no", D(1)), ("нет", "yes_no", D(0)),
    ("1", "yes_no", D(1)), (0, "yes_no", D(0)), (12.0, "count", D(12)), (None, "count", None), ("  ", "count", None),
    (0.1 * 123, "thousand_tenge", D("12.3")), ("0.123456", "thousand_tenge", D("0.123456")),
])
def test_parse_value(raw, unit, value):
    assert parse_value(raw, unit) == value


@pytest.mark.parametrize("raw,unit,message", [
    ("abc", "count", "is not a number"), ("-3", "count", "negative"), (-0.5, "thousand_tenge", "negative"),
    (12.5, "persons", "not a whole number"), (100.01, "percent", "between 0 and 100"), (2, "yes_no", "yes/no"),
    (True, "count", "is not a number"), ("1e15", "thousand_tenge", "implausibly large"),
    (float("nan"), "count", "is not a number"), ("0.1234567", "thousand_tenge", "more than 6 decimal places"), ("12,5,1", "count", "is not a number"), ("NaN", "count", "not a number"),
])
def test_parse_value_refuses(raw, unit, message):
    with pytest.raises(ValueError, match=message):
        parse_value(raw, unit)


def test_columns_follow_appendix_1_and_list_a_shared_input_once():
    tree, evaluation = shipped()
    ids = [c.id for c in columns(evaluation.criteria)]
    assert ids[:3] == ["members", "staff", "membership.new_members"]
    assert ids.count("members") == 1
    members = next(c for c in columns(evaluation.criteria) if c.id == "members")
    assert members.indicators == ("membership.coverage", "youth.young_members_share")
    assert column_letter(1) == "A" and column_letter(26) == "Z" and column_letter(27) == "AA"


# ----- which criteria ---------------------------------------------------------------------------------------

def test_criteria_default_to_the_end_of_the_year_and_can_be_chosen():
    tree = load_tree(ROOT)
    initial = tree.initial.appendix
    assert criteria_for(tree, 2025) == (initial, date(2023, 3, 1))
    new, in_force = criteria_for(tree, 2026)
    assert in_force == date(2026, 2, 20) and new != initial
    assert criteria_for(tree, 2025, as_of=date(2026, 2, 20)) == (new, in_force)
    assert criteria_for(tree, 2025, amendment="2026-02-20") == (new, in_force)


def test_shipped_evaluation_uses_the_criteria_of_its_resolution():
    tree, evaluation = shipped()
    assert evaluation.criteria == criteria_for(tree, 2025, amendment="2026-02-20")[0]
    assert evaluation.criteria_in_force == date(2026, 2, 20)
    assert evaluation.report("ulytau").not_reported == {"legal.draft_acts_reviewed", "social.health_recovery"}


# ----- bad YAML input ---------------------------------------------------------------------------------------

YAML_CASES = [
    ("negative", "    legal.inspections: 133", "    legal.inspections: -3",
     "reports.astana-akmola.legal.inspections", "negative"),
    ("not whole", "    legal.inspections: 133", "    legal.inspections: 133.5",
     "reports.astana-akmola.legal.inspections", "not a whole number"),
    ("not a number", "    legal.inspections: 133", '    legal.inspections: "many"',
     "reports.astana-akmola.legal.inspections", "expected a number, got text"),
    ("empty", "    legal.inspections: 133", "    legal.inspections: null",
     "reports.astana-akmola.legal.inspections", "no value for 'legal.inspections'"),
    ("percent", "    info_finance.dues_transfer: 100", "    info_finance.dues_transfer: 100.5",
     "reports.astana-akmola.info_finance.dues_transfer", "percentage between 0 and 100"),
    ("yes/no", "    membership.e_register: true", "    membership.e_register: 2",
     "reports.astana-akmola.membership.e_register", "yes/no"),
    ("unknown indicator", "    legal.inspections: 133", "    legal.inspection: 133",
     "reports.astana-akmola.legal.inspection", "did you mean 'legal.inspections'"),
    ("ratio given", "    legal.inspections: 133", "    legal.inspections: 133\n    membership.coverage: 94",
     "reports.astana-akmola.membership.coverage", "computed as members / staff"),
    ("unknown organisation", "  astana-city:", "  astana-sity:", "reports.astana-sity",
     "did you mean 'astana-city'"),
    ("the union", "  astana-city:", "  union:", "reports.union", "unknown organisation 'union'"),
]


@pytest.mark.parametrize("case,old,new,node,message", YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_bad_yaml_reports_name_file_line_and_key(tree, case, old, new, node, message):
    line = edit(tree / EVALUATION, old, new)
    if case == "ratio given":
        line += 1
    found = [p for p in problems(tree) if p.node == node]
    assert found, problems(tree)
    assert message in found[0].message
    assert found[0].file == EVALUATION.as_posix() and found[0].line == line


def test_absent_required_value_is_named_at_its_organisation(tree):
    edit(tree / EVALUATION, "    legal.inspections: 133\n", "")
    [p] = problems(tree)
    assert (p.file, p.line, p.node) == (EVALUATION.as_posix(), 22, "reports.astana-akmola")
    assert "no value for 'legal.inspections'" in p.message


def test_absent_value_counts_as_zero_where_the_criteria_say_so(tree):
    edit(tree / EVALUATION, "    legal.consultations: 1938\n", "")
    report = load_evaluation(tree, 2025).report("astana-akmola")
    assert report.values["legal.consultations"] == 0 and "legal.consultations" in report.not_reported


def test_duplicate_organisation_is_refused(tree):
    line = edit(tree / EVALUATION, "  astana-city:", "  kyzylorda:")
    [p] = problems(tree)
    assert p.line == line and "duplicate key 'kyzylorda' (first given on line 49)" in p.message


def test_unknown_organisation_also_leaves_a_member_without_report(tree):
    edit(tree / EVALUATION, "  astana-city:", "  astana-sity:")
    messages = [p.message for p in problems(tree)]
    assert any("no report for member organisation 'astana-city'" in msg for msg in messages)


@pytest.mark.parametrize("old,new,node,message", [
    ("year: 2025", "year: 2024", "year", "stands in the folder of 2025"),
    ("criteria_amendment: 2026-02-20", "criteria_amendment: 2026-02-21", "criteria_amendment",
     "did you mean '2026-02-20'"),
    ("criteria_amendment: 2026-02-20", "criteria_amendment: 2026-02-20\ncriteria_as_of: 2025-12-31",
     "criteria_amendment", "not both"),
    ("criteria_amendment: 2026-02-20", "criteria_as_of: 2019-01-01", "criteria_as_of", "no edition in force"),
    ("source: sample", "source: invented", "source", "allowed: issued, sample"),
])
def test_bad_evaluation_header(tree, old, new, node, message):
    edit(tree / EVALUATION, old, new)
    found = [p for p in problems(tree) if p.node == node]
    assert found and message in found[0].message, problems(tree)
    assert found[0].file == EVALUATION.as_posix() and found[0].line


def test_missing_evaluation_year():
    [p] = problems(ROOT, 2019)
    assert "no evaluation of 2019" in p.message and "evaluations: 2025" in p.message


# ----- spreadsheets: the template and its round trip --------------------------------------------------------

def sheet_rows(filled: bool = True):
    tree, evaluation = shipped()
    sheet = template(evaluation.criteria, tree.organisations, 2025, evaluation.reports if filled else None)
    return sheet, [list(r) for r in sheet.rows]


def same_reports(root: Path, path: Path):
    _, evaluation = shipped()
    read = load_evaluation(root, 2025, reports_from=path)
    assert read.reports == evaluation.reports
    assert dataclasses.replace(read, reports_file=None) == evaluation
    return read


def test_template_has_bilingual_headings_units_ids_and_one_row_per_member():
    tree, evaluation = shipped()
    sheet, rows = sheet_rows(filled=False)
    assert rows[0][0] == "Мүшелік ұйымдардың 2025 жылғы көрсеткіштері / Показатели членских организаций за 2025 год"
    assert rows[1][:3] == ["Ұйымның коды", "Мүшелік ұйым", "Кәсіподақ мүшелерінің саны"]
    assert rows[2][:3] == ["Код организации", "Членская организация", "Численность членов Профсоюза"]
    assert rows[3][2] == "адам / чел."
    assert rows[4][:3] == ["organisation", "name", "members"] and sheet.ids_row == 5
    members = [o.id for o in tree.organisations if o.kind != "union"]
    assert [r[0] for r in rows[5:]] == members
    assert all(v is None for r in rows[5:] for v in r[2:])


def test_csv_round_trip_gives_the_same_evaluation(tmp_path):
    _, rows = sheet_rows()
    write_csv(tmp_path / "reports.csv", rows)
    same_reports(ROOT, tmp_path / "reports.csv")


def test_xlsx_round_trip_gives_the_same_evaluation(tmp_path):
    sheet, _ = sheet_rows()
    write_workbook(tmp_path / "reports.xlsx", template_workbook(sheet, "2025", {}))
    same_reports(ROOT, tmp_path / "reports.xlsx")


def test_column_and_row_order_do_not_matter(tmp_path):
    _, rows = sheet_rows()
    rnd = random.Random(4)
    order = [0] + rnd.sample(range(1, len(rows[4])), len(rows[4]) - 1)
    body = rows[5:]
    rnd.shuffle(body)
    shuffled = [[r[i] if i < len(r) else None for i in order] for r in rows[:5] + body]
    write_csv(tmp_path / "shuffled.csv", shuffled)
    same_reports(ROOT, tmp_path / "shuffled.csv")


def test_reports_file_named_in_the_evaluation(tree):
    _, rows = sheet_rows()
    write_csv(tree / "evaluations/2025/reports.csv", rows)
    path = tree / EVALUATION
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("reports:\n")] + "reports_file: reports.csv\n", encoding="utf-8")
    _, evaluation = shipped()
    read = load_evaluation(tree, 2025)
    assert read.reports == evaluation.reports and read.reports_file == "reports.csv"


def test_semicolons_decimal_commas_and_spaces_as_organisations_type_them(tmp_path):
    _, rows = sheet_rows()
    lines = []
    for row in rows:
        lines.append(";".join("" if v is None else str(v).replace(".", ",") if isinstance(v, (int, D)) else str(v)
                              for v in row))
    (tmp_path / "excel.csv").write_text("\n".join(lines), encoding="utf-8-sig")
    same_reports(ROOT, tmp_path / "excel.csv")


# ----- bad spreadsheets -------------------------------------------------------------------------------------

def first_row_with(rows, org):
    return next(i for i, r in enumerate(rows) if r[0] == org)


def column_of(rows, cid):
    return rows[4].index(cid)


def bad_csv(tmp_path, change) -> list:
    _, rows = sheet_rows()
    change(rows)
    write_csv(tmp_path / "bad.csv", rows)
    return problems(ROOT, reports_from=tmp_path / "bad.csv")


def set_cell(org, cid, value):
    def change(rows):
        rows[first_row_with(rows, org)][column_of(rows, cid)] = value
    return change


@pytest.mark.parametrize("org,cid,value,message", [
    ("kyzylorda", "legal.inspections", None, "no value for 'legal.inspections'"),
    ("kyzylorda", "legal.inspections", "abc", "'abc' is not a number"),
    ("kyzylorda", "legal.inspections", -5, "negative"),
    ("kyzylorda", "staff", 1.5, "not a whole number"),
    ("zhambyl", "info_finance.dues_transfer", 101, "not a percentage"),
    ("zhambyl", "youth.council", "maybe", "'maybe' is not a number"),
])
def test_bad_cell_names_file_row_and_column(tmp_path, org, cid, value, message):
    _, rows = sheet_rows()
    row = first_row_with(rows, org) + 1
    letter = column_letter(column_of(rows, cid) + 1)
    [p] = bad_csv(tmp_path, set_cell(org, cid, value))
    assert message in p.message
    assert (p.file, p.line, p.node) == (str(tmp_path / "bad.csv"), row, f"column {letter} ({cid})")


def test_unknown_column(tmp_path):
    def change(rows):
        rows[4][column_of(rows, "legal.inspections")] = "legal.inspection"
    found = bad_csv(tmp_path, change)
    unknown = next(p for p in found if "unknown indicator" in p.message)
    assert unknown.line == 5 and unknown.node.startswith("column ") and "did you mean 'legal.inspections'" in \
        unknown.message
    assert any("no column 'legal.inspections'" in p.message for p in found)


def test_unknown_organisation_row(tmp_path):
    found = bad_csv(tmp_path, lambda rows: rows[first_row_with(rows, "pavlodar")].__setitem__(0, "pavlodr"))
    unknown = next(p for p in found if "unknown organisation" in p.message)
    assert unknown.node == "column A (organisation)" and "did you mean 'pavlodar'" in unknown.message
    assert any("no report for member organisation 'pavlodar'" in p.message for p in found)


def test_duplicate_row(tmp_path):
    _, rows = sheet_rows()
    first = first_row_with(rows, "aktobe") + 1
    [p] = bad_csv(tmp_path, lambda rows: rows.append(list(rows[first - 1])))
    assert f"organisation 'aktobe' is given twice (first on row {first})" in p.message and p.line == len(rows) + 1


def test_duplicate_column(tmp_path):
    def change(rows):
        k = column_of(rows, "staff")
        for r in rows[1:]:
            r.append(r[k])
    [p] = bad_csv(tmp_path, change)
    assert "'staff' is given twice (first in column D)" in p.message and p.line == 5


def test_value_under_no_heading(tmp_path):
    def change(rows):
        rows[7].append(42)
    [p] = bad_csv(tmp_path, change)
    assert "which has no id in the header row" in p.message and p.line == 8


def test_empty_row_is_one_error(tmp_path):
    def change(rows):
        r = rows[first_row_with(rows, "abai")]
        r[2:] = [None] * (len(r) - 2)
    [p] = bad_csv(tmp_path, change)
    assert "no values reported for 'abai'" in p.message


def test_no_header_row(tmp_path):
    (tmp_path / "plain.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    [p] = problems(ROOT, reports_from=tmp_path / "plain.csv")
    assert "no header row" in p.message and p.line == 1


def test_not_utf8_csv_and_not_a_workbook(tmp_path):
    (tmp_path / "cp1251.csv").write_bytes("organisation,name\nабай,х\n".encode("cp1251"))
    [p] = problems(ROOT, reports_from=tmp_path / "cp1251.csv")
    assert "not UTF-8" in p.message
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    [p] = problems(ROOT, reports_from=tmp_path / "fake.xlsx")
    assert "not a readable .xlsx workbook" in p.message
    (tmp_path / "reports.ods").write_bytes(b"")
    [p] = problems(ROOT, reports_from=tmp_path / "reports.ods")
    assert "use a .csv or .xlsx file" in p.message


def test_xlsx_errors_name_the_row_and_column(tmp_path):
    sheet, rows = sheet_rows()
    r = first_row_with(rows, "turkestan")
    c = column_of(rows, "legal.court_cases_won")
    rows[r][c] = "many"
    bad = dataclasses.replace(sheet, rows=tuple(tuple(x) for x in rows))
    write_workbook(tmp_path / "bad.xlsx", template_workbook(bad, "2025", {}))
    [p] = problems(ROOT, reports_from=tmp_path / "bad.xlsx")
    assert (p.line, p.node) == (r + 1, f"column {column_letter(c + 1)} (legal.court_cases_won)")
    assert read_rows(tmp_path / "bad.xlsx")[r][1][c] == "many"
