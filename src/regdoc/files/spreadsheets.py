"""Spreadsheets in and out: rows read from .csv and .xlsx files, and tables written atomically.

Reading gives (row number, cell values) pairs as a person sees them in the file; writing goes through
regdoc.files.write.replacing, which puts the file in place only when complete, so a failed run leaves no partial output.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Sequence

from regdoc.errors import RegdocError, os_reason
from regdoc.files.read import Source, read_bounded
from regdoc.i18n import N_, _
from regdoc.kept import Kept

# Limits on a spreadsheet read (bounds on the time and memory a hostile file can cost). A year's reports are
# one row per member organisation and one column per reported value: far below these.
MAX_BYTES = 50 * 1024 * 1024  # the file itself
MAX_ROWS = 100_000  # rows read, empty ones included
MAX_COLUMNS = 1_000  # cells up to the last non-empty one of a row
MAX_CELLS = 3_000_000  # cells kept, all rows together
MAX_UNPACKED = 100 * 1024 * 1024  # an .xlsx: what its parts unpack to, all together
MAX_SHARED_STRINGS = 20 * 1024 * 1024  # an .xlsx: its table of texts (openpyxl holds it in memory whole)
FORMATS = ("csv", "xlsx")
_QUOTED = re.compile(r'"[^"]*"|\\.')  # literal text in a number format: a '%' there is not the percent format


def table_format(path: Path | str) -> str:
    """Return 'csv' or 'xlsx' from a file's extension; raise RegdocError for anything else."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise RegdocError(_("'{name}' is not a spreadsheet regdoc reads; use a .csv or .xlsx file").format(
                              name=Path(path).name), path)
    return suffix


class CellProblem:
    """A cell whose value cannot be taken as it reads: a formula without a computed value, or a cell of a merged
    range. `value` is what the cell holds (None for a formula without a value); `message` says what is wrong."""

    __slots__ = ("value", "message")

    def __init__(self, value: Any, message: str):
        self.value, self.message = value, message

    def __repr__(self) -> str:
        return f"CellProblem({self.value!r}, {self.message!r})"


@dataclass(frozen=True)
class Table:
    """The rows read from a spreadsheet, the sheet they come from (None for a .csv file), how many worksheets the
    workbook has, and the bytes they were read from with their digest."""

    rows: list[tuple[int, list[Any]]]
    source: Source
    sheet: Optional[str] = None
    sheets: int = 1


def read_rows(path: Path, display: str | Path | None = None, root: Path | str | None = None
              ) -> list[tuple[int, list[Any]]]:
    """Return the rows of the first sheet of an .xlsx file, or of a .csv file, as (row number, cells)."""
    return read_table(path, display, root).rows


def read_table(path: Path, display: str | Path | None = None, root: Path | str | None = None,
               ids: Optional[str] = None, search_rows: int = 20) -> Table:
    """Return the rows of a .csv file, or of one sheet of an .xlsx file, as (row number, cells), as Excel shows
    them, with the bytes they were read from. The file is read once, as a regular file of at most MAX_BYTES
    (inside the data tree `root` when given).

    With `ids`, the sheet read is the one whose column A holds `ids` within its first `search_rows` rows (the
    ids row of a template); a workbook with several such sheets, or whose only such sheet is hidden, is refused.
    Without such a sheet (or without `ids`) the first visible sheet is read. A percent-formatted number is read
    as the percentage it shows (1.0 shown as 100% is Decimal 100); a formula without a computed value, and every
    cell of a merged range below the ids row that holds a value, is a CellProblem.
    """
    shown = str(display if display is not None else path)
    kind = table_format(path)
    source = read_bounded(root, path, MAX_BYTES, shown)
    return _table(source, kind, shown, ids, search_rows)


def table_from_bytes(data: bytes, name: str, ids: Optional[str] = None, search_rows: int = 20) -> Table:
    """Return the rows of a spreadsheet sent as bytes (an upload, a return sent by mail), `name` its file name
    (.csv or .xlsx: the format), as read_table reads a file; refused past MAX_BYTES."""
    import hashlib

    kind = table_format(name)
    if len(data) > MAX_BYTES:
        raise RegdocError(_("file is {size} bytes, larger than the limit of {limit} bytes").format(
                              size=len(data), limit=MAX_BYTES), name)
    return _table(Source(data, hashlib.sha256(data).hexdigest()), kind, name, ids, search_rows)


def _table(source: Source, kind: str, shown: str, ids: Optional[str], search_rows: int) -> Table:
    if kind == "xlsx":
        rows, sheet, sheets = _kept_xlsx(source, shown, ids, search_rows)
        return Table(rows, source, sheet, sheets)
    return Table(_read_csv(source.data, shown), source)


KEPT_WORKBOOKS = 32  # the workbooks read last whose rows a process keeps (_kept_xlsx)
KEPT_CELLS = 20_000  # a workbook of more cells is not kept (a return has some hundreds; at most some 50 MB kept)
_kept = Kept(KEPT_WORKBOOKS)  # (regdoc.kept)


def _kept_xlsx(source: Source, shown: str, ids: Optional[str], search_rows: int
               ) -> tuple[list[tuple[int, list[Any]]], str, int]:
    """Return _read_xlsx's rows of `source`, kept for the last KEPT_WORKBOOKS workbooks this process read: the
    browser workspace reads an upload of returns three times (its preview, then the acceptance's check and its
    import), the same bytes each time, and openpyxl takes some 20 ms for each. Kept by the bytes' digest, how the
    sheet is chosen and the limits read with; rows holding a CellProblem also by the interface language (its
    message's words), the others in every language. Not by the name shown, which only a refusal names (a
    RegdocError, never kept): the same bytes under another name (a return written by `evaluation template`, then
    imported from another folder or sent as an upload) are the same rows. Only a workbook read without error is
    kept, and each caller gets lists of its own."""
    from regdoc import i18n
    from regdoc.files import archives

    key = (source.sha256, ids, search_rows, MAX_ROWS, MAX_COLUMNS, MAX_CELLS, MAX_UNPACKED, MAX_SHARED_STRINGS,
           archives.MAX_ENTRIES)
    keys = (key + (None,), key + (i18n.current(),))  # rows without a CellProblem; rows with one, in this language
    kept = _kept.get(keys[0])
    if kept is None:
        kept = _kept.get(keys[1])
    if kept is None:
        kept = _read_xlsx(source.data, shown, ids, search_rows)
        if sum(len(cells) for _number, cells in kept[0]) <= KEPT_CELLS:
            worded = any(type(value) is CellProblem for _number, cells in kept[0] for value in cells)
            _kept.keep(keys[worded], kept)
    rows, sheet, sheets = kept
    return [(number, list(cells)) for number, cells in rows], sheet, sheets


def _read_csv(raw: bytes, shown: str) -> list[tuple[int, list[Any]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RegdocError(_("not UTF-8 text; save the sheet as «CSV UTF-8» (Kazakh letters need it)"), shown,
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
        raise RegdocError(_("not a readable CSV file: {exc}").format(exc=exc), shown, reader.line_num) from None
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

    def too_many_rows(self, number: int):
        raise RegdocError(_("more than {max_rows:,} rows; a year's reports have one row per member organisation"
                            ).format(max_rows=MAX_ROWS), self.shown, number)

    def row(self, number: int, cells) -> list[Any]:
        """Return the row's cells up to the last non-empty one, counted against the limits."""
        self.rows += 1
        if self.rows > MAX_ROWS:
            self.too_many_rows(number)
        end = len(cells)
        while end and (cells[end - 1] is None or cells[end - 1] == ""):
            end -= 1
        if end > MAX_COLUMNS:
            raise RegdocError(_("a value stands in column {end}, beyond the {max_columns:,} columns regdoc reads").format(
                                  end=end, max_columns=MAX_COLUMNS),
                              self.shown, number)
        self.cells += end
        if self.cells > MAX_CELLS:
            raise RegdocError(_("more than {max_cells:,} cells in all").format(max_cells=MAX_CELLS), self.shown, number)
        return list(cells[:end])


def _read_xlsx(raw: bytes, shown: str, ids: Optional[str], search_rows: int
               ) -> tuple[list[tuple[int, list[Any]]], str, int]:
    import zipfile

    from regdoc.files.archives import check_package

    check_package(io.BytesIO(raw), shown, N_(".xlsx workbook"), MAX_UNPACKED, {"xl/sharedStrings.xml": MAX_SHARED_STRINGS})
    # openpyxl only for a package that passed (importing it takes some 90 ms of CPU: a zip bomb is refused sooner)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError,
                  AttributeError, SyntaxError, EOFError)  # SyntaxError: ElementTree's ParseError
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except unreadable as exc:
        raise RegdocError(_("not a readable .xlsx workbook ({kind}); save it from Excel or LibreOffice as .xlsx")
                          .format(kind=type(exc).__name__), shown) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise RegdocError(_("the workbook has no worksheet"), shown)
        chosen, header_row = None, None
        if ids is not None:
            holders = []
            for sheet in sheets:
                top = _sheet_rows(workbook, sheet, shown, search_rows)[0]
                found = next((n for n, cells in top if cells and str(cells[0]).strip() == ids), None)
                if found is not None:
                    holders.append((sheet, found))
            if len(holders) > 1:
                raise RegdocError(_("the sheets {sheets} each hold an ids row ('{ids}' in column A); keep the "
                                    "returns in one sheet and delete the others").format(
                    sheets=", ".join(f"'{s.title}'" for s, _row in holders), ids=ids), shown)
            if holders:
                chosen, header_row = holders[0]
                if chosen.sheet_state != "visible":
                    raise RegdocError(_("the sheet '{sheet}' holds the ids row but is hidden; unhide it or copy its "
                                        "rows to a visible sheet (sheets: {sheets})").format(
                        sheet=chosen.title, sheets=", ".join(f"'{s.title}'" for s in sheets)), shown)
        if chosen is None:
            chosen = next((s for s in sheets if s.sheet_state == "visible"), sheets[0])
        rows, merges = _sheet_rows(workbook, chosen, shown)
        if header_row is not None:
            _mark_merged(rows, merges, header_row)
        return rows, chosen.title, len(sheets)
    except unreadable as exc:  # a part damaged past the workbook's opening
        raise RegdocError(_("not a readable .xlsx workbook ({name} in its sheet); save it from Excel or LibreOffice "
                            "as .xlsx").format(name=type(exc).__name__), shown) from None
    finally:
        workbook.close()


def _sheet_rows(workbook, sheet, shown: str, max_row: Optional[int] = None):
    """Return the rows of a read-only worksheet as (row number, values), up to `max_row`, and its merged ranges.

    openpyxl's read-only cells give either the computed value (data_only) or the formula, not both, and no merged
    ranges; its sheet parser gives all three in one pass, so the sheet is parsed here with it.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            cell["formula"] = element.find(FORMULA_TAG) is not None
            return cell

    percent_styles: dict[int, bool] = {}

    def is_percent(style_id: int) -> bool:
        if style_id not in percent_styles:
            fmt_id = workbook._cell_styles[style_id].numFmtId if style_id < len(workbook._cell_styles) else 0
            fmt = BUILTIN_FORMATS.get(fmt_id, "General") if fmt_id < BUILTIN_FORMATS_MAX_SIZE else \
                workbook._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
            percent_styles[style_id] = "%" in _QUOTED.sub("", fmt)
        return percent_styles[style_id]

    limits = _Limits(shown)
    rows: list[tuple[int, list[Any]]] = []
    with workbook._archive.open(sheet._worksheet_path) as source:
        parser = Parser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                        date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            if max_row is not None and number > max_row:
                return rows, None
            if number > MAX_ROWS:  # a sheet's row past the limit stands below as many rows, empty or not
                limits.too_many_rows(MAX_ROWS + 1)
            held = [c for c in cells if c["value"] is not None or c["formula"]]
            width = max((c["column"] for c in held), default=0)
            if width > MAX_COLUMNS:
                raise RegdocError(_("a value stands in column {column}, beyond the {count} columns regdoc reads")
                                  .format(column=width, count=f"{MAX_COLUMNS:,}"), shown, number)
            values: list[Any] = [None] * width
            for c in held:
                value = c["value"]
                if value is None:
                    value = CellProblem(None, _("formula without a computed value: open and save the file in Excel "
                                                "or LibreOffice"))
                elif isinstance(value, (int, float)) and not isinstance(value, bool) and c["style_id"] and \
                        is_percent(c["style_id"]):
                    value = Decimal(format(value, ".15g")) * 100  # 1.0 shown as 100%
                values[c["column"] - 1] = value
            rows.append((number, limits.row(number, values)))
        merges = [r.ref for r in parser.merged_cells.mergeCell] if parser.merged_cells is not None else []
    return rows, merges


def _mark_merged(rows: list[tuple[int, list[Any]]], merges: Sequence[str], header_row: int) -> None:
    """Make every cell of a merged range that reaches below the ids row, and holds a value, a CellProblem: Excel
    keeps the value in the top-left cell only, so the others would read as empty."""
    from openpyxl.utils.cell import range_boundaries

    by_number = {number: cells for number, cells in rows}
    for ref in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if max_row <= header_row:
            continue  # merged headings
        top = by_number.get(min_row, [])
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        if value is None:
            continue  # an empty range reads as empty cells
        problem = CellProblem(value, _("merged cells {cells}: unmerge them and give each cell its own value").format(
            cells=ref))
        for number in range(max(min_row, header_row + 1), min(max_row, MAX_ROWS) + 1):
            cells = by_number.get(number)
            if cells is None:
                continue
            last = min(max_col, MAX_COLUMNS)
            cells.extend([None] * (last - len(cells)))
            for col in range(min_col, last + 1):
                cells[col - 1] = problem


# ----- writing ----------------------------------------------------------------------------------------------

#: CSV dialects regdoc writes: `plain` (comma-separated, decimal point: for programs) and `excel` (what Excel opens
#: as a table in a Kazakh or Russian locale: semicolon-separated, decimal comma). Both are UTF-8; a CSV *file*
#: starts with a byte order mark (Excel needs it for Kazakh letters), standard output never does.
CSV_DIALECTS = ("plain", "excel")
BOM = "\ufeff"


def csv_text(rows: Sequence[Sequence[Any]], dialect: str = "plain") -> str:
    """Return rows as CSV text in `dialect` (see CSV_DIALECTS), without a byte order mark; Decimals are written
    with all their digits, in the `excel` dialect with a decimal comma that reads back unambiguously (80,1610)."""
    if dialect not in CSV_DIALECTS:
        raise RegdocError(_("unknown CSV dialect '{dialect}'; known: {known}").format(
            dialect=dialect, known=", ".join(CSV_DIALECTS)))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", delimiter=";" if dialect == "excel" else ",")
    sign = "," if dialect == "excel" else "."
    for row in rows:
        writer.writerow(["" if c is None else _plain(c, sign) for c in row])
    return buffer.getvalue()


def csv_file_text(rows: Sequence[Sequence[Any]], dialect: str = "plain") -> str:
    """Return the text of a CSV file: csv_text after a byte order mark."""
    return BOM + csv_text(rows, dialect)


def _plain(value: Any, sign: str = ".") -> Any:
    if isinstance(value, float) and not isinstance(value, bool):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return decimal_text(value, sign)
    return value


def decimal_text(value: Decimal, sign: str = ".") -> str:
    """Return a number as text that reads back to it unambiguously: all its digits, no exponent; with `sign` ','
    a fraction of exactly three digits after one to three digits gets a fourth, zero, digit (80,1610), since
    80,161 could be a thousands comma."""
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.normalize(), "f")
    if sign == ",":
        head, tail = text.split(".")
        digits = head.lstrip("-")
        if len(tail) == 3 and len(digits) <= 3 and digits != "0":
            tail += "0"
        text = f"{head},{tail}"
    return text


def write_csv(out: Path | str, rows: Sequence[Sequence[Any]], dialect: str = "plain") -> None:
    """Write rows to a CSV file atomically (UTF-8 with a byte order mark, so Excel shows Kazakh letters)."""
    from regdoc.files.write import replacing

    with replacing(out, text=True) as f:
        f.write(csv_file_text(rows, dialect))


def write_workbook(out: Path | str, workbook) -> None:
    """Save an openpyxl workbook atomically."""
    from regdoc.files.write import replace_atomic

    try:
        data = workbook_bytes(workbook)
    except RegdocError as err:
        err.file = str(out)
        raise
    replace_atomic(out, data)


def workbook_bytes(workbook, title: Optional[str] = None) -> bytes:
    """Return the .xlsx file of an openpyxl workbook, byte-reproducible; raise RegdocError when openpyxl cannot
    make it.

    Its properties name regdoc as the creator and `title` (when given) as the title, have no "last modified by",
    and are created and modified at the fixed moment archives.ZIP_TIME, which its zip entries carry too: the
    same workbook gives the same bytes on any machine, at any time. (openpyxl's own save stamps the present time
    as "modified", so the workbook is written with its ExcelWriter directly; and openpyxl 3.1 cannot write a
    property date left empty, so the dates are fixed rather than left out.)

    openpyxl writes each sheet to a temporary file of its own first (in the system's temporary folder), so a
    full or unwritable temporary folder fails here; its half-written streams, collected afterwards, would print
    tracebacks ("Exception ignored in ..."), which are silenced while they are collected.
    """
    import gc
    import sys
    import tempfile
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    from datetime import datetime

    from regdoc.files.archives import ZIP_TIME, reproducible_zip

    props = workbook.properties
    props.creator, props.lastModifiedBy = "regdoc", None
    props.created = props.modified = datetime(*ZIP_TIME)
    if title is not None:
        props.title = title

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
            ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
        except OSError as exc:
            failure = os_reason(exc)
        except LxmlError as exc:
            failure = str(exc)
        if failure is not None:  # only a failed save leaves streams behind; a full collection is not free (it
            gc.collect()         # took 0.05-0.15 s in a long-running process such as the web server)
    finally:
        sys.unraisablehook = hook
    if failure is not None:
        raise RegdocError(_("cannot make the workbook: writing its sheets to the temporary folder {gettempdir} "
                            "failed ({failure}); free some space there or set TMPDIR to another folder; nothing was "
                            "written").format(gettempdir=tempfile.gettempdir(), failure=failure))
    return reproducible_zip(buffer.getvalue())


# ----- workbooks --------------------------------------------------------------------------------------------

def _sheet_title(title: str) -> str:
    """Return a valid worksheet title: at most 31 characters, none of []:*?/\\."""
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]


_STYLE_KEYS = {"font": "fontId", "fill": "fillId", "alignment": "alignmentId", "protection": "protectionId",
               "number_format": "numFmtId"}  # a cell's style attribute -> its index in the cell's style array


def style_cells(cells, **styles: Any) -> None:
    """Give every cell of `cells` each style of `styles` (font=, fill=, alignment=, protection=, number_format=)
    as `cell.font = font` ... does, cell by cell: openpyxl adds the style to the workbook's list of styles and
    keeps its index in the cell's style array (StyleDescriptor, NumberFormatDescriptor). Here the first cell is
    given the styles so and the others the same indexes: the same workbook, without hashing the same style object
    field by field for every cell (openpyxl's IndexedList.add: about half of making a reporting template)."""
    from openpyxl.styles.cell_style import StyleArray

    first = None
    for cell in cells:
        if first is None:
            for name, value in styles.items():
                setattr(cell, name, value)
            first = cell
            continue
        if not cell._style:
            cell._style = StyleArray()
        for name in styles:
            key = _STYLE_KEYS[name]
            setattr(cell._style, key, getattr(first._style, key))


def append_row(ws, values: Sequence[Any]) -> None:
    """Append a row to a worksheet with every text stored as text: openpyxl makes a text that starts with '='
    a formula, so each text cell is typed as a string (a name like «=Ұйым» or «+7 ...» stays what it says)."""
    ws.append([_cell(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):  # written exactly: openpyxl keeps a Decimal's digits
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


SHOWN_DECIMALS = 2  # a computed ratio is shown to two decimals, as the documents show it (phrasing approx)


def number_format(values: Sequence[Any], rounded: bool = False) -> Optional[str]:
    """Return the number format of a column holding `values`: thousands grouped, as many decimals as its most
    precise number (one number of decimals per column, as the documents show them: phrasing.column_numbers);
    `rounded` (a computed ratio) shows SHOWN_DECIMALS, the cell keeping the exact value. None when the column
    holds no number."""
    numbers = [Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in values
               if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)]
    if not numbers:
        return None
    places = max(max(0, -v.normalize().as_tuple().exponent) for v in numbers if v.is_finite())
    if rounded:
        places = min(places, SHOWN_DECIMALS)
    return "#,##0" + ("." + "0" * places if places else "")


def results_workbook(sheets: Sequence[tuple], title: Optional[str] = None):
    """Return a workbook with one sheet per (title, rows, heading rows[, rounded columns]): headings bold and
    frozen, numbers as numbers with a number format per column (see number_format; `rounded columns` are the
    0-based indexes of computed ratios, shown rounded), printing landscape, fitted to the page width, with the
    headings repeated on every page; `title` is the workbook's title."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    if title:
        workbook.properties.title = title
    for name, rows, heading_rows, *more in sheets:
        rounded = set(more[0]) if more else set()
        sheet = workbook.create_sheet(_sheet_title(name))
        for row in rows:
            append_row(sheet, row)
        body = [row for row in rows[heading_rows:] if len(row) > 1]  # notes below the table are single cells
        for index in range(max((len(r) for r in body), default=0)):
            fmt = number_format([r[index] if index < len(r) else None for r in body], index in rounded)
            if fmt is None:
                continue
            for r, row in enumerate(rows[heading_rows:], heading_rows + 1):
                cell = sheet.cell(row=r, column=index + 1)
                if len(row) > 1 and isinstance(cell.value, (int, float, Decimal)):
                    cell.number_format = fmt
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = f"1:{heading_rows}"
        bold = Font(bold=True)
        for r in range(1, heading_rows + 1):
            style_cells(sheet[r], font=bold, alignment=Alignment(wrap_text=True, vertical="top"))
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


def template_workbook(sheet, sheet_title: str, hints: dict[str, str], instructions: Sequence[str] = (),
                      protect: bool = False, instructions_title: str = ""):
    """Return the reporting template (an evaluation.Sheet) as a workbook: headings bold and frozen, the ids row
    greyed, and each column checked as Excel enters it (whole numbers, percentages, 1/0 answers); `hints` holds
    the message shown on entering a cell and for a wrong entry, by unit. It prints landscape, fitted to the
    page width, with the headings repeated on every page. `instructions` (lines) make a second sheet; `protect`
    locks the sheet but its value cells (headings, ids and names cannot be changed)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    ws = workbook.active
    ws.title = _sheet_title(sheet_title)
    for row in sheet.rows:
        append_row(ws, row)
    ws["A1"].font = Font(bold=True, size=13)
    for r in range(2, sheet.header_rows + 1):
        style_cells(ws[r], font=Font(bold=r < sheet.ids_row, italic=r == sheet.ids_row,
                                     color="666666" if r >= 4 else None),
                    alignment=Alignment(wrap_text=True, vertical="top"))
    style_cells(ws[sheet.ids_row], fill=PatternFill("solid", start_color="EEEEEE"))
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
        validation.prompt = hints.get(unit, "")
        validation.showInputMessage = bool(validation.prompt)
        ws.add_data_validation(validation)
    body = sheet.rows[sheet.header_rows:]
    for index, unit in enumerate(sheet.units, 1):
        letter = get_column_letter(index)
        if index > 2:
            ws.column_dimensions[letter].width = 16
        if unit in rules:
            rules[unit].add(f"{letter}{sheet.header_rows + 1}:{letter}{last}")
        # whole numbers grouped by thousands; other values with the decimals the column's values have
        fmt = "#,##0" if unit in ("count", "persons") else "0" if unit == "yes_no" else \
            number_format([row[index - 1] if index - 1 < len(row) else None for row in body]) if unit else None
        if fmt:
            style_cells((ws.cell(row=r, column=index) for r in range(sheet.header_rows + 1, len(sheet.rows) + 1)),
                        number_format=fmt)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{sheet.header_rows}"
    if protect:
        style_cells((cell for row in ws.iter_rows(min_row=sheet.header_rows + 1, max_row=len(sheet.rows), min_col=3,
                                                 max_col=len(sheet.units)) for cell in row),
                    protection=Protection(locked=False))
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # widths may still be changed
    if instructions:
        notes = workbook.create_sheet(_sheet_title(instructions_title or "Instructions"))
        for line in instructions:
            append_row(notes, [line])
        notes.column_dimensions["A"].width = 120
        style_cells(notes["A"], alignment=Alignment(wrap_text=True, vertical="top"))
        notes.protection.sheet = protect
    return workbook
