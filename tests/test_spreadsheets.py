"""regdoc.tables: spreadsheets read as rows, and outputs written atomically, never among the sources."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from regdoc.errors import RegdocError
from regdoc.spreadsheets import atomic_output, csv_text, read_rows, refuse_source, results_workbook, write_csv, \
    write_workbook


def test_csv_rows_keep_their_line_numbers_across_quoted_line_breaks(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('organisation,name\n"x","two\nlines"\ny,z\n', encoding="utf-8")
    assert read_rows(path) == [(1, ["organisation", "name"]), (2, ["x", "two\nlines"]), (4, ["y", "z"])]


def test_csv_text_writes_decimals_exactly():
    assert csv_text([["a", D("12.50"), D("100201.0"), None, 3]]) == "a,12.5,100201,,3\n"


def test_write_csv_has_a_byte_order_mark_for_excel(tmp_path):
    write_csv(tmp_path / "x.csv", [["қ", 1]])
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_rows(tmp_path / "x.csv") == [(1, ["қ", "1"])]


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary_one(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_output(target, binary=False) as f:
            f.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("rel", ["evaluations/2025/x.xlsx", "regulation/versions/2026-02-20.yaml",
                                 "resolutions/r.csv", "organisations"])
def test_outputs_are_refused_among_the_sources(tmp_path, rel):
    with pytest.raises(RegdocError, match="refusing to write"):
        refuse_source(tmp_path, tmp_path / rel)


def test_outputs_elsewhere_are_allowed(tmp_path):
    refuse_source(tmp_path, tmp_path / "out" / "score.xlsx")
    refuse_source(tmp_path, tmp_path / "evaluations.xlsx")


def test_workbook_numbers_are_numbers(tmp_path):
    from openpyxl import load_workbook

    write_workbook(tmp_path / "r.xlsx", results_workbook([("Итоги: 2025/26", [("a", "b", "c", "d"),
                                                                              (1, "x", "y", D("12.5"))], 1)]))
    sheet = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    assert sheet.title == "Итоги  2025 26" and sheet["D2"].value == 12.5 and sheet["A2"].value == 1
