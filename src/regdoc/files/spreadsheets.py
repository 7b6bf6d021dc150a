"""Spreadsheets in and out: rows read from .csv and .xlsx files, and tables written atomically.

Reading gives (row number, cell values) pairs as a person sees them in the file; writing goes through
regdoc.files.write.replacing, which puts the file in place only when complete, so a failed run leaves no partial output.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator, Sequence

from regdoc.errors import RegdocError
from regdoc.files.read import Source, read_bounded

# Limits on a spreadsheet read (bounds on the time and memory a hostile file can cost). A year's reports are
# one row per member organisation and one column per reported value: far below these.
MAX_BYTES = 50 * 1024 * 1024  # the file itself
MAX_ROWS = 100_000  # rows read, empty ones included
MAX_COLUMNS = 1_000  # cells up to the last non-empty one of a row
MAX_CELLS = 3_000_000  # cells kept, all rows together
MAX_UNPACKED = 100 * 1024 * 1024  # an .xlsx: what its parts unpack to, all together
MAX_SHARED_STRINGS = 20 * 1024 * 1024  # an .xlsx: its table of texts (openpyxl holds it in memory whole)
FORMATS = ("csv", "xlsx")


def table_format(path: Path | str) -> str:
    """Return 'csv' or 'xlsx' from a file's extension; raise RegdocError for anything else."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise RegdocError(f"'{Path(path).name}' is not a spreadsheet regdoc reads; use a .csv or .xlsx file", path)
    return suffix


def read_rows(path: Path, display: str | Path | None = None, root: Path | str | None = None
              ) -> list[tuple[int, list[Any]]]:
    """Return the rows of the first sheet of an .xlsx file, or of a .csv file, as (row number, cells)."""
    return read_table(path, display, root)[0]


def read_table(path: Path, display: str | Path | None = None, root: Path | str | None = None
               ) -> tuple[list[tuple[int, list[Any]]], Source]:
    """Return the rows of a .csv or .xlsx file, and the bytes they were read from with their digest.

    The file is read once, as a regular file of at most MAX_BYTES (inside the data tree `root` when given)."""
    shown = str(display if display is not None else path)
    kind = table_format(path)
    source = read_bounded(root, path, MAX_BYTES, shown)
    rows = _read_xlsx(source.data, shown) if kind == "xlsx" else _read_csv(source.data, shown)
    return rows, source


def _read_csv(raw: bytes, shown: str) -> list[tuple[int, list[Any]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RegdocError("not UTF-8 text; save the sheet as «CSV UTF-8» (Kazakh letters need it)", shown,
                          line) from None
    sample = "\n".join(text[:100_000].splitlines()[:20])
    delimiter = max(",;\t", key=sample.count)  # the separator used most in the heading rows; a comma on a tie
    reader = csv.reader(_lines(text), delimiter=delimiter)
    limits = _Limits(shown)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, limits.row(start, cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RegdocError(f"not a readable CSV file: {exc}", shown, reader.line_num) from None
    return rows


def _lines(text: str) -> Iterator[str]:
    """Yield the lines of `text` with their endings, one at a time (no copy of the whole text)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


class _Limits:
    """Counts what a spreadsheet read keeps and refuses it past MAX_ROWS, MAX_COLUMNS or MAX_CELLS."""

    def __init__(self, shown: str):
        self.shown, self.rows, self.cells = shown, 0, 0

    def row(self, number: int, cells) -> list[Any]:
        """Return the row's cells up to the last non-empty one, counted against the limits."""
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise RegdocError(f"more than {MAX_ROWS:,} rows; a year's reports have one row per member "
                              "organisation", self.shown, number)
        end = len(cells)
        while end and (cells[end - 1] is None or cells[end - 1] == ""):
            end -= 1
        if end > MAX_COLUMNS:
            raise RegdocError(f"a value stands in column {end}, beyond the {MAX_COLUMNS:,} columns regdoc reads",
                              self.shown, number)
        self.cells += end
        if self.cells > MAX_CELLS:
            raise RegdocError(f"more than {MAX_CELLS:,} cells in all", self.shown, number)
        return list(cells[:end])


def _read_xlsx(raw: bytes, shown: str) -> list[tuple[int, list[Any]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from regdoc.files.archives import check_package

    unreadable = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError,
                  AttributeError, SyntaxError, EOFError)  # SyntaxError: ElementTree's ParseError
    check_package(io.BytesIO(raw), shown, ".xlsx workbook", MAX_UNPACKED, {"xl/sharedStrings.xml": MAX_SHARED_STRINGS})
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except unreadable as exc:
        raise RegdocError(f"not a readable .xlsx workbook ({type(exc).__name__}); save it from Excel or "
                          "LibreOffice as .xlsx", shown) from None
    limits = _Limits(shown)
    try:
        if not workbook.worksheets:
            raise RegdocError("the workbook has no worksheet", shown)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers declare a wrong used range; read every row that is there
        return [(number, limits.row(number, cells)) for number, cells in
                enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)]
    except unreadable as exc:  # a part damaged past the workbook's opening
        raise RegdocError(f"not a readable .xlsx workbook ({type(exc).__name__} in its sheet); save it from "
                          "Excel or LibreOffice as .xlsx", shown) from None
    finally:
        workbook.close()


# ----- writing ----------------------------------------------------------------------------------------------

def csv_text(rows: Sequence[Sequence[Any]]) -> str:
    """Return rows as CSV text (comma-separated, UTF-8 friendly); Decimals are written with all their digits."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if c is None else _plain(c) for c in row])
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return value


def write_csv(out: Path | str, rows: Sequence[Sequence[Any]]) -> None:
    """Write rows to a CSV file atomically (UTF-8 with a byte order mark, so Excel shows Kazakh letters)."""
    from regdoc.files.write import replacing

    with replacing(out, text=True) as f:
        f.write("\ufeff" + csv_text(rows))


def write_workbook(out: Path | str, workbook) -> None:
    """Save an openpyxl workbook atomically."""
    from regdoc.files.write import replace_atomic

    try:
        data = workbook_bytes(workbook)
    except RegdocError as err:
        err.file = str(out)
        raise
    replace_atomic(out, data)


def workbook_bytes(workbook) -> bytes:
    """Return the .xlsx file of an openpyxl workbook; raise RegdocError when openpyxl cannot make it.

    openpyxl writes each sheet to a temporary file of its own first (in the system's temporary folder), so a
    full or unwritable temporary folder fails here; its half-written streams, collected afterwards, would print
    tracebacks ("Exception ignored in ..."), which are silenced while they are collected.
    """
    import gc
    import sys
    import tempfile

    try:
        from lxml.etree import LxmlError
    except ImportError:  # openpyxl without lxml reports such faults as OSError
        LxmlError = ()
    buffer = io.BytesIO()
    failure = None
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        try:
            workbook.save(buffer)
        except OSError as exc:
            failure = exc.strerror or str(exc)
        except LxmlError as exc:
            failure = str(exc)
        gc.collect()
    finally:
        sys.unraisablehook = hook
    if failure is not None:
        raise RegdocError(f"cannot make the workbook: writing its sheets to the temporary folder "
                          f"{tempfile.gettempdir()} failed ({failure}); free some space there or set TMPDIR to "
                          "another folder; nothing was written")
    return buffer.getvalue()


# ----- workbooks --------------------------------------------------------------------------------------------

def _sheet_title(title: str) -> str:
    """Return a valid worksheet title: at most 31 characters, none of []:*?/\\."""
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):  # written exactly: openpyxl keeps a Decimal's digits
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


def results_workbook(sheets: Sequence[tuple[str, Sequence[Sequence[Any]], int]]):
    """Return a workbook with one sheet per (title, rows, heading rows): headings bold, frozen, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, heading_rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title))
        for row in rows:
            sheet.append([_cell(v) for v in row])
        bold = Font(bold=True)
        for r in range(1, heading_rows + 1):
            for cell in sheet[r]:
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if heading_rows > 1 and rows:  # a title over several columns spans them (value, points, rank)
            top = list(rows[0])
            for start, value in enumerate(top):
                if value:
                    end = start
                    while end + 1 < len(top) and not top[end + 1]:
                        end += 1
                    if end > start:
                        sheet.merge_cells(start_row=1, start_column=start + 1, end_row=1, end_column=end + 1)
            sheet.row_dimensions[1].height = 60
        sheet.freeze_panes = sheet.cell(row=heading_rows + 1, column=4)
        for index in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 60 if index == 3 else 14
    return workbook


def template_workbook(sheet, sheet_title: str, hints: dict[str, str]):
    """Return the reporting template (an evaluation.Sheet) as a workbook: headings bold and frozen, the ids row
    greyed, and each column checked as Excel enters it (whole numbers, percentages, 1/0 answers); `hints` holds
    the message shown for a wrong entry, by unit."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    ws = workbook.active
    ws.title = _sheet_title(sheet_title)
    for row in sheet.rows:
        ws.append([_cell(v) for v in row])
    ws["A1"].font = Font(bold=True, size=13)
    for r in range(2, sheet.header_rows + 1):
        for cell in ws[r]:
            cell.font = Font(bold=r < sheet.ids_row, italic=r == sheet.ids_row, color="666666" if r >= 4 else None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[sheet.ids_row]:
        cell.fill = PatternFill("solid", start_color="EEEEEE")
    ws.freeze_panes = ws.cell(row=sheet.header_rows + 1, column=3)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60
    last = sheet.header_rows + max(len(sheet.rows) - sheet.header_rows, 1) + 200
    rules = {
        "count": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
        "persons": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
        "percent": DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True),
        "thousand_tenge": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                         allow_blank=True),
        "yes_no": DataValidation(type="list", formula1='"1,0"', allow_blank=True),
    }
    for unit, validation in rules.items():
        validation.error = hints.get(unit, "")
        validation.showErrorMessage = True
        ws.add_data_validation(validation)
    for index, unit in enumerate(sheet.units, 1):
        letter = get_column_letter(index)
        if index > 2:
            ws.column_dimensions[letter].width = 16
        if unit in rules:
            rules[unit].add(f"{letter}{sheet.header_rows + 1}:{letter}{last}")
    return workbook
