"""Evaluations as data: the columns an organisation reports, reading and checking reported values, and the
spreadsheet template in the shape organisations send (one row per organisation, one column per value).

Pure: the loaders (load.py, tables.py) hand in parsed YAML or spreadsheet rows; problems come back as
RegdocErrors naming the file, the row or line, and the column or key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Optional, Sequence

from regdoc.data import model as m
from regdoc.errors import RegdocError, nearest
from regdoc.files.spreadsheets import CellProblem, decimal_text
from regdoc.i18n import N_, _, ngettext
from regdoc.scoring.score import value_ids

ORGANISATION_COLUMN = "organisation"
NAME_COLUMN = "name"
HEADER_SEARCH_ROWS = 20
LIMIT = Decimal(10) ** 12  # no reported value reaches a trillion; larger ones are typing mistakes
MAX_DECIMALS = 6  # with LIMIT, what keeps every ratio comparison exact (see regdoc.scoring.score)
WHOLE_UNITS = ("count", "persons")
YES_WORDS = {"1", "yes", "y", "true", "иә", "ия", "да", "+"}
NO_WORDS = {"0", "no", "n", "false", "жоқ", "нет", "-"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


@dataclass(frozen=True)
class Column:
    """One value an organisation reports: a plain indicator, or an input of one or more ratios."""

    id: str
    title: m.Text
    unit: str
    missing: str  # error | zero: 'zero' only when every indicator using it says so
    indicators: tuple[str, ...]  # the indicators that use the value

    @property
    def is_input(self) -> bool:
        return "." not in self.id


def columns(criteria: m.Criteria) -> tuple[Column, ...]:
    """Return the columns of the reports under `criteria`, in the order of Appendix 1 (see score.value_ids)."""
    found: dict[str, dict] = {}
    for ind in criteria.indicators():
        parts = [(ind.id, ind.title, ind.unit)] if ind.ratio is None else [
            (i.id, i.title, i.unit) for i in (ind.ratio.numerator, ind.ratio.denominator)]
        for cid, title, unit in parts:
            entry = found.setdefault(cid, {"title": title, "unit": unit, "missing": ind.missing, "uses": []})
            entry["uses"].append(ind.id)
            if ind.missing == "error":
                entry["missing"] = "error"
    assert tuple(found) == value_ids(criteria)
    return tuple(Column(cid, e["title"], e["unit"], e["missing"], tuple(e["uses"])) for cid, e in found.items())


# ----- one value --------------------------------------------------------------------------------------------

def parse_value(raw: Any, unit: str) -> Optional[Decimal]:
    """Return a reported value as an exact Decimal (yes/no as 1/0), or None when it is empty.

    Raise ValueError with a message saying what is wrong: not a number, negative, not whole for a count,
    outside 0..100 for a percentage, not a yes/no answer, implausibly large, or more than 6 decimals. A float
    (from YAML or a spreadsheet cell) is read to 15 significant digits, as spreadsheets keep numbers.
    """
    if raw is None:
        return None
    if type(raw) is str:  # the common case of a spreadsheet: digits alone, answered without the general path
        text = raw.strip()
        if text.isdigit() and text.isascii() and len(text) <= _FAST_DIGITS:
            if unit in _FAST_UNITS or (unit == "percent" and int(text) <= 100) or (unit == "yes_no" and
                                                                                   text in ("0", "1")):
                return Decimal(text)
    return _parse_value(raw, unit)


_FAST_DIGITS = 12  # every whole number of at most 12 digits is below LIMIT (10 ** 12)
_FAST_UNITS = frozenset(WHOLE_UNITS + ("thousand_tenge",))


def _parse_value(raw: Any, unit: str) -> Optional[Decimal]:
    """parse_value's general path (every input; parse_value answers the common digits-only text before it)."""
    if raw is None:
        return None
    if isinstance(raw, CellProblem):
        raise ValueError(raw.message)
    if isinstance(raw, bool):
        if unit != "yes_no":
            raise ValueError(_not_a_number(str(raw).lower(), unit))
        return Decimal(int(raw))
    if isinstance(raw, YamlNumber) and (yaml_value := _yaml_number(str(raw))) is not None:
        value = yaml_value
    elif isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        if unit == "yes_no" and text.lower() in YES_WORDS | NO_WORDS:
            return Decimal(1 if text.lower() in YES_WORDS else 0)
        value = number_from_text(text)
        if value is None:
            raise ValueError(_not_a_number(f"'{raw}'", unit))
    elif isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError(_not_a_number(str(raw), unit))
        value = Decimal(format(raw, ".15g"))  # a spreadsheet's own precision: 0.1 * 123 is 12.3, not 12.300000000000001
    else:
        raise ValueError(_not_a_number(f"'{raw}'", unit))
    if not value.is_finite():
        raise ValueError(_not_a_number(f"'{raw}'", unit))
    if value < 0:
        if unit in WHOLE_UNITS:
            message = _("{value} is negative; a count cannot be below zero")
        else:
            message = _("{value} is negative; a reported value cannot be below zero")
        raise ValueError(message.format(value=_show(value)))
    if value >= LIMIT:
        raise ValueError(_("{value} is implausibly large (limit {limit}); check the figure").format(
            value=_show(value), limit=f"{LIMIT:,}"))
    if value != value.to_integral_value() and value.normalize().as_tuple().exponent < -MAX_DECIMALS:
        raise ValueError(_("{value} has more than {count} decimal places").format(value=_show(value),
                                                                                 count=MAX_DECIMALS))
    if unit in WHOLE_UNITS and value != value.to_integral_value():
        raise ValueError(_("{value} is not a whole number; a count of {unit} is whole").format(
            value=_show(value), unit=_(_COUNTED.get(unit, unit))))
    if unit == "percent" and value > 100:
        raise ValueError(_("{value} is not a percentage between 0 and 100").format(value=_show(value)))
    if unit == "yes_no" and value not in (0, 1):
        raise ValueError(_("{value} is not a yes/no answer; write 1 (yes) or 0 (no)").format(value=_show(value)))
    if unit in WHOLE_UNITS or unit == "yes_no":
        value = value.quantize(Decimal(1))
    return value


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[.,])\d{3}((?P=sep)\d{3})*")  # 1,234,567 or 1.234.567


def number_from_text(text: str) -> Optional[Decimal]:
    """Return the number written in `text` ('12 345', '12,5', '1,234.5', '-3'), or None when it is not one.

    Raise ValueError naming both readings when the text has two plausible ones: a single comma or point before
    exactly three digits after one to three digits ('80,161', '1,000') is a decimal comma or a thousands
    separator. A comma alone is otherwise the decimal comma of Kazakh and Russian, and a point alone the decimal
    point (as programs write); with both, the last one is the decimal sign and the other must group thousands
    (1,234.5 and 1.234,5); several of one kind group thousands (1,234,567).
    """
    compact = _SPACES.sub("", text)
    commas, points = compact.count(","), compact.count(".")
    grouped = _GROUPED.fullmatch(compact)
    if grouped and commas == 1 and not points and compact.lstrip("+-")[0] != "0":
        decimal, whole = _decimal(compact.replace(",", ".")), _decimal(compact.replace(",", ""))
        raise ValueError(_("'{raw}' has two readings: {decimal} (with a decimal comma) or {whole} (with a thousands "
                           "comma); write {whole_form} if it is {whole}, or {decimal_form} if it is "
                           "{decimal}").format(raw=text.strip(), decimal=_show(decimal), whole=_show(whole),
                                              whole_form=_grouped(whole), decimal_form=decimal_text(decimal, ",")))
    if grouped and commas + points > 1:
        return _decimal(compact.replace(",", "").replace(".", ""))
    if commas and points:
        last = max(compact.rfind(","), compact.rfind("."))
        sign, other = compact[last], "." if compact[last] == "," else ","
        head, tail = compact[:last], compact[last + 1:]
        if sign in head or not _GROUPED.fullmatch(head) or not tail.isdigit():
            return None
        return _decimal(head.replace(other, "") + "." + tail)
    if commas == 1:
        compact = compact.replace(",", ".")  # a decimal comma, as Kazakh and Russian write it
    if not _PLAIN_NUMBER.fullmatch(compact):
        return None
    return _decimal(compact)


def _decimal(text: str) -> Optional[Decimal]:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _grouped(value: Decimal) -> str:
    """Return a whole number grouped by thousands with spaces, as Kazakh and Russian write it: 80 161."""
    return format(int(value), ",").replace(",", " ")


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


_WANTED = {"count": N_("a whole number of 0 or more"), "persons": N_("a whole number of persons, 0 or more"),
           "percent": N_("a percentage from 0 to 100"), "thousand_tenge": N_("an amount in thousand tenge, 0 or more"),
           "yes_no": N_("1 (yes) or 0 (no)")}
_COUNTED = {"count": N_("count"), "persons": N_("persons")}


def _wanted(unit: str) -> str:
    return _(_WANTED.get(unit, N_("a number")))


def _not_a_number(shown: str, unit: str) -> str:
    return _("{value} is not a number; this column takes {wanted}").format(value=shown, wanted=_wanted(unit))


# ----- reports from YAML ------------------------------------------------------------------------------------

class YamlNumber(str):
    """The text of a number as written in YAML (`12.50`, `0133`): read exactly from its text, not as YAML 1.1
    reads it (`0133` is octal 91 there, `1:21` is 81, a float loses digits)."""


_YAML_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _yaml_number(text: str) -> Optional[Decimal]:
    """Return the exact Decimal of a YAML number's text, or None for text to read as typed ('12,5'); raise
    ValueError for the forms YAML 1.1 reads as other numbers (leading zero, base 60, base prefixes)."""
    body = text.lstrip("+-")
    if ":" in body:
        raise ValueError(_("'{text}' is read by YAML as a base-60 number; write the value as a plain decimal number "
                           "(or in quotes if it is text)").format(text=text))
    if body[:2].lower() in ("0x", "0o", "0b"):
        raise ValueError(_("'{text}' is a number with a base prefix; write the value as a plain decimal "
                           "number").format(text=text))
    if "_" in body:
        raise ValueError(_("'{text}' has underscores; write the digits alone").format(text=text))
    if len(body) > 1 and body[0] == "0" and body[1].isdigit():
        raise ValueError(_("'{text}' starts with a zero, which YAML reads as an octal number; write it without the "
                           "leading zero").format(text=text))
    if not _YAML_PLAIN.fullmatch(text):
        return None  # read as typed text: '12,5', '1 200'
    return Decimal(text)


def reports_from_mapping(data: dict, criteria: m.Criteria, members: Sequence[str], file: str,
                         line_of=lambda path: None, key_lines=lambda path: (), base: tuple = ("reports",),
                         text_of=lambda path: None) -> tuple[tuple[m.Report, ...], list[RegdocError]]:
    """Return the reports written in YAML as {organisation: {value id: number}}, and the problems found.

    `line_of(path)` and `key_lines(path)` give the lines of the YAML nodes, `text_of(path)` the text written for
    a number (yamldoc.Document's methods): a number is read exactly from its text.
    """
    problems: list[RegdocError] = []

    def where(path: tuple) -> m.Where:
        from regdoc.data.yamldoc import dotted

        return m.Where(file, line_of(path), dotted(path), tuple(key_lines(path)))

    rows = []
    for org, values in data.items():
        path = base + (org,)
        if isinstance(values, dict):
            values = {key: YamlNumber(text_of(path + (key,))) if not isinstance(raw, bool) and
                      text_of(path + (key,)) is not None else raw for key, raw in values.items()}
        rows.append((org, where(path), values, lambda key, p=path: where(p + (key,))))
    return _reports(rows, criteria, members, problems, where(base), yaml=True), problems


# ----- reports from a spreadsheet ---------------------------------------------------------------------------

def reports_from_rows(rows: Iterable[tuple[int, Sequence[Any]]], criteria: m.Criteria, members: Sequence[str],
                      file: str, sheet: Optional[str] = None, partial: bool = False,
                      seen: Optional[set] = None) -> tuple[tuple[m.Report, ...], list[RegdocError]]:
    """Return the reports in spreadsheet rows (row number, cell values), and the problems found.

    `sheet` (the worksheet's name, given when the workbook has several) is named in the problems' places.
    With `partial` (one of several returns of a year) the rows need not cover every member organisation and a
    row without any value is taken as absent; `seen` then receives the organisations the file gives a row for.

    The header row is the one whose first cell is `organisation` (the ids row of the template); the columns are
    matched by the ids in it, so their order does not matter. Rows above it (titles, units) are ignored, and so
    is the `name` column.
    """
    cols = {c.id: c for c in columns(criteria)}
    problems: list[RegdocError] = []
    iterator = iter(rows)
    header: Optional[tuple[int, Sequence[Any]]] = None
    for number, cells in iterator:
        if cells and _cell_text(cells[0]) == ORGANISATION_COLUMN:
            header = (number, cells)
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        return (), [RegdocError(_("no header row: the row of ids must start with '{organisation}' in column A "
                                  "within the first {count} rows (write a template with `regdoc evaluation "
                                  "template YEAR`)").format(organisation=ORGANISATION_COLUMN,
                                                            count=HEADER_SEARCH_ROWS), file, 1)]
    header_row, header_cells = header
    positions: dict[str, int] = {}  # value id -> 0-based column index
    unnamed: set[int] = set()  # columns without an id: they must stay empty
    for index, cell in enumerate(header_cells[1:], 1):
        cid = _cell_text(cell)
        node = _("column {letter}").format(letter=column_letter(index + 1))
        if cid is None:
            unnamed.add(index)
        elif cid == NAME_COLUMN:
            continue
        elif cid in positions:
            problems.append(RegdocError(_("'{id}' is given twice (first in column {letter})").format(
                id=cid, letter=column_letter(positions[cid] + 1)), file, header_row, node))
        elif cid not in cols:
            problems.append(RegdocError(_unknown_column(cid, criteria, cols), file, header_row, node))
        else:
            positions[cid] = index
    letters = {cid: column_letter(i + 1) for cid, i in positions.items()}
    in_sheet = _("sheet '{sheet}', ").format(sheet=sheet) if sheet else ""

    def cell_where(number: int):
        return lambda cid: m.Where(file, number, in_sheet + _("column {letter} ({id})").format(
            letter=letters[cid], id=cid))

    table = []
    for number, cells in iterator:
        if all(_cell_text(c) is None for c in cells):
            continue
        for index, cell in enumerate(cells) if unnamed or len(cells) > len(header_cells) else ():
            if (index in unnamed or index >= len(header_cells)) and _cell_text(cell) is not None:
                letter = column_letter(index + 1)
                problems.append(RegdocError(_("a value stands in column {letter}, which has no id in the header "
                                              "row {row}").format(letter=letter, row=header_row), file, number,
                                            _("column {letter}").format(letter=letter)))
        org = _cell_text(cells[0]) if cells else None
        values = {cid: (cells[i] if i < len(cells) else None) for cid, i in positions.items()}
        table.append((org, m.Where(file, number, in_sheet + _("column {letter} ({id})").format(
            letter="A", id=ORGANISATION_COLUMN)), values,
                      cell_where(number)))
    absent = [c for c in cols.values() if c.id not in positions]
    for column in absent:
        if column.missing == "error":
            problems.append(RegdocError(_("no column '{id}' ({kk} / {ru}): it must be reported").format(
                id=column.id, kk=column.title.kk, ru=column.title.ru), file, header_row, "header"))
    reports = _reports(table, criteria, members, problems, m.Where(file, header_row), yaml=False, partial=partial,
                       seen=seen)
    return reports, problems


def _unknown_column(cid: str, criteria: m.Criteria, cols: dict[str, Column]) -> str:
    ind = criteria.indicator(cid)
    if ind is not None and ind.ratio is not None:
        return _("'{id}' is computed as {numerator} / {denominator}: report those two columns instead").format(
            id=cid, numerator=ind.ratio.numerator.id, denominator=ind.ratio.denominator.id)
    return _("unknown indicator '{id}'; the criteria ask for: {known}{suggestion}").format(
        id=cid, known=", ".join(cols), suggestion=nearest(cid, cols))


def _blank(raw: Any) -> bool:
    return isinstance(raw, str) and not raw.strip()


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 1-based column index: 1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_text(cell: Any) -> Optional[str]:
    if isinstance(cell, CellProblem):
        cell = cell.value
    if cell is None:
        return None
    text = str(cell).strip()
    return text or None


# ----- both -------------------------------------------------------------------------------------------------

def _reports(rows, criteria: m.Criteria, members: Sequence[str], problems: list[RegdocError],
             where_all: m.Where, yaml: bool, partial: bool = False, seen: Optional[set] = None
             ) -> tuple[m.Report, ...]:
    """Check rows of (organisation, where, {id: raw value}, where_of(id)) and return the reports, sorted by id;
    with `partial`, rows without any value are absent and members may be missing (`seen` gets the others)."""
    cols = {c.id: c for c in columns(criteria)}
    given: dict[str, m.Where] = {}
    reports = []
    member_set = set(members)
    required = [cid for cid, c in cols.items() if c.missing == "error"]
    shares = [ind for ind in criteria.indicators() if ind.ratio is not None and ind.unit == "percent"]
    for org, where, values, where_of in rows:
        if partial and isinstance(values, dict) and \
                not any(raw is not None and not _blank(raw) for raw in values.values()):
            continue  # a row left empty: this file does not give the organisation's return
        if org is None:
            problems.append(RegdocError(_("no organisation id in this row"), where.file, where.line, where.node))
            continue
        if org not in member_set:
            problems.append(RegdocError(_("unknown organisation '{id}'; member organisations: {known}{suggestion}")
                                        .format(id=org, known=", ".join(members), suggestion=nearest(org, members)),
                                        where.file, where.line, where.node))
            continue
        if org in given:
            first = given[org]
            message = (_("organisation '{id}' is given twice (first on line {line})") if yaml else
                       _("organisation '{id}' is given twice (first on row {line})"))
            problems.append(RegdocError(message.format(id=org, line=first.line), where.file, where.line, where.node))
            continue
        given[org] = where
        if seen is not None:
            seen.add(org)
        if not isinstance(values, dict):
            problems.append(where.error(_("expected a mapping of value ids to numbers")))
            continue
        if required and not any(raw is not None and not _blank(raw) for raw in values.values()):
            problems.append(RegdocError(ngettext("no values reported for '{id}': the row is empty ({count} value "
                                                 "is required)", "no values reported for '{id}': the row is empty "
                                                 "({count} values are required)", len(required)).format(
                id=org, count=len(required)), where.file, where.line, where.node))
            continue
        clean: dict[str, Decimal] = {}
        not_reported = []
        bad = False
        for cid, raw in values.items():
            column = cols.get(cid)
            if column is None:
                w = where_of(cid)
                problems.append(RegdocError(_unknown_column(cid, criteria, cols), w.file, w.line, w.node))
                bad = True
                continue
            try:
                value = parse_value(raw, column.unit)
            except ValueError as exc:
                w = where_of(cid)
                problems.append(RegdocError(str(exc), w.file, w.line, w.node))
                bad = True
                continue
            if value is not None:
                clean[cid] = value
        for cid, column in cols.items():
            if cid in clean or (cid in values and values[cid] is not None and not _blank(values[cid])):
                continue  # reported (or reported wrongly, which is already a problem)
            if column.missing == "zero":
                clean[cid] = Decimal(0)
                not_reported.append(cid)
                continue
            bad = True
            message = _("no value for '{id}' ({kk} / {ru}); the criteria require it (write 0 if there is none)").format(
                id=cid, kk=column.title.kk, ru=column.title.ru)
            if cid in values:  # given but empty
                w = where_of(cid)
                problems.append(RegdocError(message, w.file, w.line, w.node))
            elif yaml:
                problems.append(where.error(message))
            # a spreadsheet without the column: reported once, at the header row
        for ind in shares:
            num_id, den_id = ind.ratio.numerator.id, ind.ratio.denominator.id
            num, den = clean.get(num_id), clean.get(den_id)
            if num is None or den is None or not den or num <= den:
                continue
            bad = True
            w_num, w_den = where_of(num_id), where_of(den_id)
            problems.append(RegdocError(_(
                "'{indicator}' computes to {share} %, above 100 %: {numerator} = {num} ({num_place}) is larger than "
                "{denominator} = {den} ({den_place}); check the two values (are they swapped?)").format(
                indicator=ind.id, share=_show(round((num * 100 / den), 2)), numerator=num_id, num=_show(num),
                num_place=_place(w_num, yaml), denominator=den_id, den=_show(den), den_place=_place(w_den, yaml)),
                w_num.file, w_num.line, w_num.node))
        if not bad:
            reports.append(m.Report(org, clean, frozenset(not_reported), where))
    for org in () if partial else members:
        if org not in given:
            problems.append(RegdocError(_("no report for member organisation '{id}'").format(id=org), where_all.file,
                                        where_all.line, where_all.node))
    return tuple(sorted(reports, key=lambda r: r.organisation))


def _place(where: m.Where, yaml: bool) -> str:
    """Return where a value stands, for a message that names two: 'line 12' or 'row 7, column D'."""
    if yaml:
        return _("line {line}").format(line=where.line)
    column = (where.node or "").split(" (")[0]
    return _("row {row}, {column}").format(row=where.line, column=column)


# ----- the template -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    """A spreadsheet as rows of cells; `header_rows` rows of headings come first, `ids_row` (1-based) is the ids."""

    title: str
    rows: tuple[tuple[Any, ...], ...]
    header_rows: int
    ids_row: int
    units: tuple[str, ...]  # the unit of every column (empty for organisation and name)


def template(criteria: m.Criteria, organisations: Sequence[m.Organisation], year: int,
             reports: Optional[Sequence[m.Report]] = None, only: Optional[str] = None) -> Sheet:
    """Return the reporting spreadsheet of `year`: bilingual headings (Kazakh first), units, ids, one row per member.

    With `reports`, the rows are filled with their values (an export that reads back to the same reports);
    values counted as zero because they were not reported stay empty. With `only` (an organisation id), the
    sheet holds that organisation's row alone.
    """
    from datetime import date

    from regdoc.phrasing import kk, ru

    cols = columns(criteria)
    end = date(year, 12, 31)
    title = f"{kk.evaluation_title(year)} / {ru.evaluation_title(year)}"
    header_kk = (kk.label("organisation_id"), kk.label("organisation")) + tuple(c.title.kk for c in cols)
    header_ru = (ru.label("organisation_id"), ru.label("organisation")) + tuple(c.title.ru for c in cols)
    units = ("", "") + tuple(c.unit for c in cols)
    unit_row = ("", "") + tuple(f"{kk.unit(c.unit)} / {ru.unit(c.unit)}" for c in cols)
    ids = (ORGANISATION_COLUMN, NAME_COLUMN) + tuple(c.id for c in cols)
    by_org = {r.organisation: r for r in reports or ()}
    body = []
    for org in organisations:
        if org.kind == "union" or (only is not None and org.id != only):
            continue
        report = by_org.get(org.id)
        cells: list[Any] = [org.id, org.name_at(end).kk]
        for c in cols:
            if report is None or c.id in report.not_reported:
                cells.append(None)
            else:
                cells.append(_cell_value(report.values[c.id]))
        body.append(tuple(cells))
    rows = ((title,), header_kk, header_ru, unit_row, ids) + tuple(body)
    return Sheet(title, rows, 5, 5, units)


def _cell_value(value: Decimal):
    """Return an int for a whole value, else a Decimal (written exactly by the writers)."""
    return int(value) if value == value.to_integral_value() else value


# ----- the evaluation file written from imported returns ----------------------------------------------------

@dataclass(frozen=True)
class ReturnSource:
    """One return a year's reports were imported from: its file name, the SHA-256 of its bytes, and the
    organisations whose values it gave."""

    file: str
    sha256: str
    organisations: tuple[str, ...]


_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_.-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _key(text: str) -> str:
    """Return `text` as a YAML key or list item: plain when YAML reads it back as that text, else quoted."""
    import json

    if _PLAIN_KEY.fullmatch(text) and text not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def evaluation_yaml(year: int, source: str, criteria: m.Criteria, reports: Sequence[m.Report],
                    sources: Sequence[ReturnSource], criteria_as_of=None, criteria_amendment: Optional[str] = None
                    ) -> str:
    """Return the text of evaluations/YEAR/evaluation.yaml holding `reports` (in their order) imported from
    `sources`: every number written exactly as its digits, yes/no as true/false, values counted as zero because
    they were not reported left out (as the organisation left them empty); each organisation's values came from
    the returns that list it under `sources`. Its `import_sha256` line holds the digest of the rest of the text
    (see edited_since_import)."""
    import json

    cols = columns(criteria)
    units = {c.id: c.unit for c in cols}
    lines = [f"# The evaluation of {year}: the returns of the member organisations as imported by",
             "# `regdoc evaluation import`. Each organisation's values come from the files that name it under",
             "# `sources` (file name and SHA-256 of the bytes read). Import again rather than edit by hand:",
             "# import_sha256 shows whether the file was edited since, and an edited file is replaced only with",
             "# `regdoc evaluation import --replace`, which keeps it beside the new one.",
             f"year: {year}", f"source: {source}"]
    if criteria_as_of is not None:
        lines.append(f"criteria_as_of: {criteria_as_of.isoformat()}")
    if criteria_amendment is not None:
        lines.append(f"criteria_amendment: {json.dumps(criteria_amendment)}")
    lines.append("sources:" if sources else "sources: []")
    for src in sources:
        lines += [f"  - file: {json.dumps(src.file, ensure_ascii=False)}", f"    sha256: \"{src.sha256}\"",
                  f"    organisations: [{', '.join(_key(o) for o in src.organisations)}]"]
    lines.append(f"{IMPORT_DIGEST}: \"{{digest}}\"")
    lines.append("reports:")
    for report in reports:
        lines.append(f"  {_key(report.organisation)}:")
        for cid in (c.id for c in cols):
            if cid in report.not_reported or cid not in report.values:
                continue
            value = report.values[cid]
            text = ("true" if value else "false") if units[cid] == "yes_no" else decimal_text(value)
            lines.append(f"    {_key(cid)}: {text}")
    text = "\n".join(lines) + "\n"
    return text.replace("{digest}", import_digest(text))


IMPORT_DIGEST = "import_sha256"
_DIGEST_LINE = re.compile(rf'^{IMPORT_DIGEST}: "(?P<digest>[^"\n]*)"\n', re.MULTILINE)


def import_digest(text: str) -> str:
    """Return the SHA-256 of an imported evaluation's text without its `import_sha256` line (the digest the
    import records in that line): a file edited since it was imported no longer gives it."""
    import hashlib

    return hashlib.sha256(_DIGEST_LINE.sub("", text, count=1).encode("utf-8")).hexdigest()


def edited_since_import(text: str) -> bool:
    """Return whether an evaluation's text is not exactly what an import wrote: it has no `import_sha256` line,
    or its text no longer gives the digest recorded there."""
    found = _DIGEST_LINE.search(text)
    return found is None or found["digest"] != import_digest(text)
