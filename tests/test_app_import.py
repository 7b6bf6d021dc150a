"""Importing the organisations' returns (regdoc.app.scoring.import_returns): per-organisation workbooks,
whole-year sheets and CSV files in any mix; every problem of every file at once; nothing written on any problem;
the year's evaluation written atomically with its sources; an evaluation written or edited by hand never replaced
silently."""
from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from datatree import digest, edit

from regdoc.app.scoring import import_returns, reporting_template, score_year
from regdoc.app.workspace import evaluation
from regdoc.tree.load import load_evaluation
from regdoc.tree.read import evaluation_path

YEAR = 2025


@pytest.fixture
def returns(shipped_returns):
    """The shipped evaluation's values as the twenty organisations send them back: one workbook each."""
    return lambda tree: list(shipped_returns)


def set_cell(data: bytes, org: str, column_id: str, value) -> bytes:
    """Return a per-organisation or whole-year workbook with `org`'s cell of `column_id` set to `value`, saved
    as a person saves it in Excel."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    ids = next(r for r in rows if r[0].value == "organisation")
    column = next(c.column for c in ids if c.value == column_id)
    row = next(r for r in rows if r[0].value == org)
    sheet.cell(row=row[0].row, column=column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_twenty_workbooks_import_to_the_evaluation_they_were_made_from(tree: Path, returns):
    before = digest(tree)
    result = import_returns(tree, YEAR, returns(tree), dry_run=True, sample=True)
    assert result.ok and result.unchanged and not result.written
    assert digest(tree) == before
    shipped = load_evaluation(tree, YEAR)
    assert result.evaluation.reports == shipped.reports
    assert result.evaluation.criteria_amendment == shipped.criteria_amendment == "2026-02-20"
    assert "criteria_amendment: \"2026-02-20\"" in result.text


def test_an_import_writes_the_evaluation_with_the_file_and_digest_of_each_value(tree: Path, returns):
    books = returns(tree)
    edit(tree / evaluation_path(YEAR), "source: sample", "source: issued")
    text = (tree / evaluation_path(YEAR)).read_text(encoding="utf-8")
    (tree / evaluation_path(YEAR)).write_text(text[:text.index("reports:")] + "reports: {}\n", encoding="utf-8")
    result = import_returns(tree, YEAR, books)  # a header alone: nothing in it to lose
    assert result.ok and result.written and result.replaced
    written = (tree / evaluation_path(YEAR)).read_text(encoding="utf-8")
    assert written == result.text
    assert (tree / result.kept).read_text(encoding="utf-8").endswith("reports: {}\n")
    from regdoc.data.yamldoc import parse_document

    data = parse_document(written.encode(), "evaluation.yaml").data
    assert [(s["file"], s["sha256"], s["organisations"]) for s in data["sources"]] == \
        [(name, hashlib.sha256(b).hexdigest(), [name[len("evaluation-2025-"):-len(".xlsx")]]) for name, b in books]
    assert set(data["reports"]) == {o for s in data["sources"] for o in s["organisations"]}
    from regdoc.app.check import check

    assert [p for p in check(tree).problems if p.severity == "error"] == []
    assert evaluation(tree, YEAR).reports == result.evaluation.reports


def test_a_year_without_an_evaluation_gets_one_under_its_default_criteria(tree: Path, returns):
    from regdoc.app.workspace import data_tree
    from regdoc.data import model as m
    from regdoc.files.spreadsheets import csv_text
    from regdoc.scoring.evaluation import columns, template
    from regdoc.tree.read import criteria_for, member_ids

    year = 2026
    t = data_tree(tree)
    criteria = criteria_for(t, year)[0]
    reports = [m.Report(org, {c.id: Decimal(1 if c.unit == "yes_no" else 40 + i) for c in columns(criteria)})
               for i, org in enumerate(member_ids(t))]
    sheet = template(criteria, t.organisations, year, reports)
    half = 5 + 10  # the title, headings, units and ids, then ten organisations
    first = csv_text(sheet.rows[:half], "excel").encode("utf-8-sig")
    second = csv_text(sheet.rows[:5] + sheet.rows[half:], "plain").encode("utf-8")
    result = import_returns(tree, year, [("first.csv", first), ("second.csv", second)])
    assert result.ok and result.written and not result.replaced, result.problems
    assert "criteria_" not in result.text and "source: issued" in result.text
    loaded = evaluation(tree, year)
    assert loaded.reports == tuple(sorted(reports, key=lambda r: r.organisation))
    assert score_year(tree, year).results.standings


def test_every_problem_of_every_file_is_reported_and_nothing_is_written(tree: Path, returns):
    books = dict(returns(tree))
    books["evaluation-2025-abai.xlsx"] = set_cell(books["evaluation-2025-abai.xlsx"], "abai", "members", "80,161")
    books["evaluation-2025-aktobe.xlsx"] = set_cell(books["evaluation-2025-aktobe.xlsx"], "aktobe",
                                                    "legal.inspections", "=1+1")  # a formula Excel never computed
    books["evaluation-2025-atyrau.xlsx"] = set_cell(books["evaluation-2025-atyrau.xlsx"], "atyrau",
                                                    "organisation", "atyrau-city")
    del books["evaluation-2025-zhetisu.xlsx"]
    books["notes.txt"] = b"hello"
    before = digest(tree)
    result = import_returns(tree, YEAR, list(books.items()), replace=True)
    assert not result.ok and not result.written and result.text is None
    assert digest(tree) == before
    lines = [str(p) for p in result.problems]
    assert len(lines) == 6, lines
    assert any(s.startswith("evaluation-2025-abai.xlsx:6: sheet '") and "column C (members)" in s and "two readings" in s for s in lines)
    assert any(s.startswith("evaluation-2025-aktobe.xlsx:6: sheet '") and "formula without a computed value" in s
               for s in lines)
    assert any("evaluation-2025-atyrau.xlsx:6" in s and "unknown organisation 'atyrau-city'" in s for s in lines)
    assert any("notes.txt" in s and "not a spreadsheet" in s for s in lines)
    assert sorted(s for s in lines if "no return for member organisation" in s) == \
        ["error: no return for member organisation 'atyrau' in the files given",
         "error: no return for member organisation 'zhetisu' in the files given"]


def test_two_files_giving_an_organisation_differently_are_both_named(tree: Path, returns):
    books = returns(tree)
    whole = reporting_template(tree, YEAR, "xlsx", filled=True)
    changed = set_cell(whole, "aktobe", "staff", 99999)
    result = import_returns(tree, YEAR, books + [("all.xlsx", changed)], dry_run=True, sample=True)
    [problem] = result.problems
    assert problem.file == "all.xlsx" and problem.line == 9
    assert "'aktobe' is given differently by evaluation-2025-aktobe.xlsx (sheet 'Көрсеткіштер 2025', row 6) and by all.xlsx (row 9)" in \
        problem.message and "staff " in problem.message and " / 99999" in problem.message
    agreeing = import_returns(tree, YEAR, books + [("all.xlsx", whole)], dry_run=True, sample=True)
    assert agreeing.ok
    by_file = {s.file: s.organisations for s in agreeing.sources}
    assert len(by_file["all.xlsx"]) == 20 and by_file["evaluation-2025-aktobe.xlsx"] == ("aktobe",)


def test_a_hand_written_evaluation_is_replaced_only_with_replace_and_is_kept(tree: Path, returns):
    path = tree / evaluation_path(YEAR)
    shipped = path.read_bytes()
    books = dict(returns(tree))
    books["evaluation-2025-abai.xlsx"] = set_cell(books["evaluation-2025-abai.xlsx"], "abai", "staff", 30000)
    refused = import_returns(tree, YEAR, list(books.items()), sample=True)
    [problem] = refused.problems
    assert "organisations: abai" in problem.message and "--replace" in problem.message
    assert path.read_bytes() == shipped and sorted(p.name for p in path.parent.iterdir()) == ["evaluation.yaml"]
    done = import_returns(tree, YEAR, list(books.items()), sample=True, replace=True)
    assert done.ok and done.written and done.changed == ("abai",)
    assert done.kept == "evaluations/2025/evaluation.before-import-1.yaml"
    assert (tree / done.kept).read_bytes() == shipped
    assert dict(evaluation(tree, YEAR).reports[0].values)["staff"] == 30000


def test_an_evaluation_an_import_wrote_is_updated_by_the_next_import_unless_edited_by_hand(tree: Path, returns):
    path = tree / evaluation_path(YEAR)
    books = dict(returns(tree))
    assert import_returns(tree, YEAR, list(books.items()), sample=True, replace=True).written
    first = path.read_bytes()
    again = import_returns(tree, YEAR, list(books.items()), sample=True)
    assert again.ok and again.unchanged and not again.written and path.read_bytes() == first
    books["evaluation-2025-abai.xlsx"] = set_cell(books["evaluation-2025-abai.xlsx"], "abai", "staff", 30000)
    corrected = import_returns(tree, YEAR, list(books.items()), sample=True)  # written by an import: no flag
    assert corrected.ok and corrected.written and corrected.kept.endswith("before-import-2.yaml")
    assert (tree / corrected.kept).read_bytes() == first
    edit(path, "    staff: 30000\n", "    staff: 30001\n")  # a clerk's correction by hand
    edited = path.read_bytes()
    books["evaluation-2025-abai.xlsx"] = set_cell(books["evaluation-2025-abai.xlsx"], "abai", "staff", 30002)
    refused = import_returns(tree, YEAR, list(books.items()), sample=True)
    assert not refused.ok and "edited since" in refused.problems[0].message and path.read_bytes() == edited


def test_a_dry_run_writes_nothing(tree: Path, returns):
    (tree / evaluation_path(YEAR)).unlink()
    (tree / evaluation_path(YEAR)).parent.rmdir()
    before = digest(tree)
    whole = reporting_template(tree, 2026, "csv", csv_dialect="excel")
    result = import_returns(tree, 2026, [("blank.csv", whole.encode())], dry_run=True)
    assert not result.ok and digest(tree) == before
    assert "every row under the ids row is empty" in str(result.problems[0])


def test_no_returns_is_an_error(tree: Path, returns):
    from regdoc.errors import RegdocError

    with pytest.raises(RegdocError, match="no returns given"):
        import_returns(tree, YEAR, [])
