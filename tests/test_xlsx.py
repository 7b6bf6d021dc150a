"""Workbooks through openpyxl: dates as dates, text never a formula, control characters refused."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from regdoc.errors import RegdocError
from regdoc.files.xlsx import Sheet, workbook_bytes


def read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_titles_headings_and_cells():
    data = workbook_bytes([
        Sheet("Қаулылар тізілімі", "Тізілім", ["Күні", "Атауы"], [[date(2026, 2, 20), "«Сынақ» & <тест>"]], [12, 40]),
        Sheet("Реестр постановлений", "Реестр", ["Дата", "Наименование"], [], [12, 40]),
    ], "Тізілім")
    book = read(data)
    assert book.sheetnames == ["Қаулылар тізілімі", "Реестр постановлений"]
    ws = book["Қаулылар тізілімі"]
    assert [c.value for c in ws[1]][:1] == ["Тізілім"] and ws["A1"].font.bold
    assert [c.value for c in ws[2]] == ["Күні", "Атауы"]
    assert ws["A3"].value == datetime(2026, 2, 20) and ws["A3"].number_format == "DD.MM.YYYY"
    assert ws["B3"].value == "«Сынақ» & <тест>"
    assert ws.freeze_panes == "A3" and ws.column_dimensions["B"].width == 40
    assert book.properties.title == "Тізілім"


def test_text_that_looks_like_a_formula_stays_text():
    ws = read(workbook_bytes([Sheet("s", "t", ["a"], [["=HYPERLINK(\"http://x\")"], ["+1"]], [10])])).active
    assert ws["A3"].value == "=HYPERLINK(\"http://x\")" and ws["A3"].data_type == "s"
    assert ws["A4"].value == "+1" and ws["A4"].data_type == "s"


def test_a_control_character_is_refused():
    with pytest.raises(RegdocError, match="sheet 's', row 1, column 1: holds the control character U\\+0007"):
        workbook_bytes([Sheet("s", "t", ["a"], [["bell\x07"]], [10])])
