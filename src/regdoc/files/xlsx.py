"""Spreadsheets (.xlsx) through openpyxl: sheets of headings and rows in, the workbook's bytes out.

Every cell holds text or a date, never a formula: a text that starts with `=` stays text. Import this module only
where a workbook is written (openpyxl is heavy).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from regdoc.errors import RegdocError
from regdoc.files.spreadsheets import workbook_bytes as save_bytes
from regdoc.i18n import _

DATE_FORMAT = "DD.MM.YYYY"


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its tab name (at most 31 characters), a title line, the headings and the rows."""

    name: str
    title: str
    headings: Sequence[str]
    rows: Sequence[Sequence[str | date]]
    widths: Sequence[int]  # column widths in characters


def _text(value: str, where: str) -> str:
    bad = ILLEGAL_CHARACTERS_RE.search(value)
    if bad:
        raise RegdocError(_("holds the control character U+{ord:04X}, which a spreadsheet cannot hold").format(
                              ord=ord(bad.group())),
                          None, None, where)
    return value


def workbook_bytes(sheets: Sequence[Sheet], title: str = "") -> bytes:
    """Return the .xlsx file of the sheets, in order, each with a bold title, bold headings and frozen headings."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(_text(sheet.name, "sheet")[:31])
        ws.append([_text(sheet.title, "title")])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([_text(h, "heading") for h in sheet.headings])
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(sheet.rows, start=3):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, date):
                    cell.value = value
                    cell.number_format = DATE_FORMAT
                else:
                    cell.value = _text(value, f"sheet '{sheet.name}', row {r - 2}, column {c}")
                    cell.data_type = "s"  # text as text: never read as a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for c, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A3"
    return save_bytes(book, title or None)  # creator regdoc, fixed dates: reproducible bytes
