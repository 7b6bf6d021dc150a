"""regdoc.evaluation and the loading of evaluations: values, YAML reports, spreadsheets, the template and its
round trip, and every bad input named by file, line or row, and key or column."""
from __future__ import annotations

import dataclasses
import random
import re
from datetime import date
from decimal import Decimal as D
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.from_regex(r"\A\s?[0-9]{1,14}\s?\Z"), st.text(alphabet="0123456789 .,-+²٢\u00a0", max_size=16)),
       unit=st.sampled_from(["count", "persons", "percent", "thousand_tenge", "yes_no"]))
def test_parse_value_answers_as_its_general_path(text, unit):
    """parse_value's shortcut for digits alone gives what the general path gives, value and exponent alike (or the
    same refusal)."""
    from regdoc.scoring.evaluation import _parse_value

    try:
        expected = _parse_value(text, unit)
    except ValueError as err:
        with pytest.raises(ValueError, match=re.escape(str(err))):
            parse_value(text, unit)
        return
    got = parse_value(text, unit)
    assert got == expected and (got is None or got.as_tuple() == expected.as_tuple())


@pytest.mark.parametrize("raw,readings", [
    ("80,161", "80.161 (with a decimal comma) or 80161 (with a thousands comma); write 80 161 if it is 80161, or "
               "80,1610 if it is 80.161"),
    ("1,000", "1 (with a decimal comma) or 1000 (with a thousands comma); write 1 000 if it is 1000, or 1 if it is 1"),
    (" 12,345 ", "12.345 (with a decimal comma) or 12345"),
])
def test_a_number_with_two_readings_is_refused_naming_both(raw, readings):
    for unit in ("persons", "thousand_tenge"):
        with pytest.raises(ValueError) as caught:
            parse_value(raw, unit)
        assert f"'{raw.strip()}' has two readings: {readings}" in str(caught.value)


@pytest.mark.parametrize("raw,value", [
    ("12,5", D("12.5")), ("1 200", D(1200)), ("1 200,75", D("1200.75")), ("1\u00a0200,75", D("1200.75")),
    ("1\u202f200", D(1200)), ("0,161", D("0.161")), ("80,1610", D("80.161")), ("80.161", D("80.161")),
    ("1,234.5", D("1234.5")), ("1.234,5", D("1234.5")), ("1,234,567", D(1234567)), ("1.234.567", D(1234567)),
    ("1234,567", D("1234.567")),
])
def test_unambiguous_numbers_stay_accepted(raw, value):
    assert parse_value(raw, "thousand_tenge") == value


def test_yaml_numbers_are_read_exactly_from_their_text(tree):
    edit(tree / EVALUATION, "    legal.returned_funds: 80161.75", "    legal.returned_funds: 123456789.123456")
    evaluation = load_evaluation(tree, 2025)
    report = next(r for r in evaluation.reports if r.organisation == "astana-akmola")
    assert str(report.values["legal.returned_funds"]) == "123456789.123456"


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
    ("leading zero", "    legal.inspections: 133", "    legal.inspections: 0133",
     "reports.astana-akmola.legal.inspections", "'0133' starts with a zero"),
    ("base 60", "    legal.inspections: 133", "    legal.inspections: 1:21",
     "reports.astana-akmola.legal.inspections", "'1:21' is read by YAML as a base-60 number"),
    ("base prefix", "    legal.inspections: 133", "    legal.inspections: 0x85",
     "reports.astana-akmola.legal.inspections", "'0x85' is a number with a base prefix"),
    ("too many decimals", "    legal.returned_funds: 80161.75", "    legal.returned_funds: 123456789.1234567",
     "reports.astana-akmola.legal.returned_funds", "more than 6 decimal places"),
    ("percent above 100", "    primary_orgs: 1531", "    primary_orgs: 1499",
     "reports.astana-akmola.primary_orgs_with_agreement",
     "'social.agreement_coverage' computes to 100.07 %, above 100 %: primary_orgs_with_agreement = 1500 (line 30) "
     "is larger than primary_orgs = 1499 (line 31)"),
]


@pytest.mark.parametrize("case,old,new,node,message", YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_bad_yaml_reports_name_file_line_and_key(tree, case, old, new, node, message):
    line = edit(tree / EVALUATION, old, new)
    if case == "ratio given":
        line += 1
    if case == "percent above 100":
        line -= 1
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
    assert read.source == "file"  # labelled by the file scored, not by the year's sample flag
    assert dataclasses.replace(read, reports_file=None, source=evaluation.source) == evaluation
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
    assert read.source == "sample"  # a reports file of the year's evaluation keeps its flag


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


# ----- workbooks as Excel shows them ------------------------------------------------------------------------

def filled_workbook():
    """The filled template as an openpyxl workbook, with the (row, column) of every organisation and value id."""
    sheet, rows = sheet_rows()
    book = template_workbook(sheet, "2025", {})
    return book, rows


def cell_of(rows, org, cid):
    return first_row_with(rows, org) + 1, column_of(rows, cid) + 1


def test_a_percent_formatted_cell_is_read_as_the_percentage_it_shows(tmp_path):
    book, rows = filled_workbook()
    ws = book.active
    for org in ("astana-akmola", "zhambyl"):
        r, c = cell_of(rows, org, "info_finance.dues_transfer")
        ws.cell(r, c).value = float(D(str(ws.cell(r, c).value)) / 100)  # 100 shown as 100%, 98.5 as 98.5%
        ws.cell(r, c).number_format = "0.0%"
    write_workbook(tmp_path / "percent.xlsx", book)
    same_reports(ROOT, tmp_path / "percent.xlsx")


def test_a_formula_without_a_computed_value_is_refused_naming_the_cell(tmp_path):
    book, rows = filled_workbook()
    r, c = cell_of(rows, "abai", "legal.inspections")
    book.active.cell(r, c).value = "=100+31"  # written by a program: no cached value
    write_workbook(tmp_path / "formula.xlsx", book)
    [p] = problems(ROOT, reports_from=tmp_path / "formula.xlsx")
    assert p.message == ("formula without a computed value: open and save the file in Excel or LibreOffice")
    assert (p.line, p.node) == (r, f"column {column_letter(c)} (legal.inspections)")


def test_merged_value_cells_are_refused(tmp_path):
    book, rows = filled_workbook()
    r, c = cell_of(rows, "abai", "legal.inspections")
    book.active.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
    write_workbook(tmp_path / "merged.xlsx", book)
    found = problems(ROOT, reports_from=tmp_path / "merged.xlsx")
    ref = f"{column_letter(c)}{r}:{column_letter(c + 1)}{r}"
    assert {p.node for p in found} == {f"column {column_letter(c + i)} ({rows[4][c - 1 + i]})" for i in (0, 1)}
    assert all(p.message == f"merged cells {ref}: unmerge them and give each cell its own value" for p in found)


def test_merged_headings_are_fine(tmp_path):
    book, rows = filled_workbook()
    book.active.merge_cells("A1:F1")
    write_workbook(tmp_path / "headings.xlsx", book)
    same_reports(ROOT, tmp_path / "headings.xlsx")


def test_the_sheet_read_is_the_one_with_the_ids_row(tmp_path):
    book, rows = filled_workbook()
    notes = book.create_sheet("Notes", 0)  # a first sheet without ids, hidden; the returns are active
    notes.append(["organisation list"])
    notes.sheet_state = "hidden"
    book.active = 1
    write_workbook(tmp_path / "second.xlsx", book)
    read = same_reports(ROOT, tmp_path / "second.xlsx")
    assert read.reports_file == str(tmp_path / "second.xlsx")


def test_a_hidden_sheet_of_returns_is_refused(tmp_path):
    book, rows = filled_workbook()
    book.active.title = "Returns"
    book.active.sheet_state = "hidden"
    visible = book.create_sheet("Draft")
    visible.append(["nothing here"])
    book.active = 1
    write_workbook(tmp_path / "hidden.xlsx", book)
    [p] = problems(ROOT, reports_from=tmp_path / "hidden.xlsx")
    assert p.message == ("the sheet 'Returns' holds the ids row but is hidden; unhide it or copy its rows to a visible "
                         "sheet (sheets: 'Returns', 'Draft')")


def test_two_sheets_of_returns_are_refused_naming_both(tmp_path):
    book, rows = filled_workbook()
    book.active.title = "Old"
    book.active.sheet_state = "hidden"
    copy = book.copy_worksheet(book.active)
    copy.title = "New"
    copy.sheet_state = "visible"
    book.active = 1
    write_workbook(tmp_path / "two.xlsx", book)
    [p] = problems(ROOT, reports_from=tmp_path / "two.xlsx")
    assert "the sheets 'Old', 'New' each hold an ids row ('organisation' in column A)" in p.message


def test_cells_in_a_workbook_of_several_sheets_name_the_sheet(tmp_path):
    book, rows = filled_workbook()
    book.create_sheet("Notes").append(["a note"])
    r, c = cell_of(rows, "abai", "legal.inspections")
    book.active.cell(r, c).value = "many"
    write_workbook(tmp_path / "named.xlsx", book)
    [p] = problems(ROOT, reports_from=tmp_path / "named.xlsx")
    assert p.node == f"sheet '{book.active.title}', column {column_letter(c)} (legal.inspections)"


def test_a_computed_percentage_above_100_names_both_cells(tmp_path):
    _, rows = sheet_rows()
    r = first_row_with(rows, "abai")
    m, s = column_of(rows, "members"), column_of(rows, "staff")
    rows[r][m], rows[r][s] = rows[r][s], rows[r][m]  # entered the wrong way round
    write_csv(tmp_path / "swapped.csv", rows)
    [p] = problems(ROOT, reports_from=tmp_path / "swapped.csv")
    assert p.message.startswith("'membership.coverage' computes to 106.38 %, above 100 %: members = 23553 "
                                f"(row {r + 1}, column {column_letter(m + 1)}) is larger than staff = 22140 "
                                f"(row {r + 1}, column {column_letter(s + 1)})")
    assert (p.line, p.node) == (r + 1, f"column {column_letter(m + 1)} (members)")


def test_ambiguous_text_in_a_csv_names_the_cell_and_both_readings(tmp_path):
    _, rows = sheet_rows()
    r = first_row_with(rows, "abai")
    c = column_of(rows, "legal.returned_funds")
    rows[r][c] = "80,161"
    write_csv(tmp_path / "ambiguous.csv", rows)
    [p] = problems(ROOT, reports_from=tmp_path / "ambiguous.csv")
    assert "'80,161' has two readings: 80.161 (with a decimal comma) or 80161 (with a thousands comma)" in p.message
    assert (p.line, p.node) == (r + 1, f"column {column_letter(c + 1)} (legal.returned_funds)")
