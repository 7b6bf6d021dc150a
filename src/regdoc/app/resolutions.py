"""Application functions on resolutions: assign the next number and create the resolution's file, and the
register of resolutions (as data, text, Markdown, JSON or an xlsx workbook)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Callable, Optional

from regdoc.app.workspace import data_tree
from regdoc.registry.register import RegisterRow, register_rows, row_cells, row_data
from regdoc.tree.assign import Assigned, assign_resolution

REGISTER_FORMATS = ("text", "md", "json", "xlsx")
REGISTER_COLUMNS = ("date", "number", "title", "amendments", "evaluation")
TEXT_WIDTHS = (None, None, 60, 34, 24)  # columns wider than this wrap in the terminal table
XLSX_WIDTHS = (12, 24, 70, 36, 30)


def new_resolution(root: Path | str, when: date, meeting: Optional[int] = None,
                   title: Optional[dict[str, str]] = None, item: Optional[int] = None) -> Assigned:
    """Return the new resolution of the meeting of `when` after creating its skeleton file exclusively under the
    registry's numbering rules (`meeting` overrides the meeting found, `item` the next free item; `title` maps
    kk/ru to titles)."""
    return assign_resolution(Path(root), when, meeting, title, item)


def register(root: Path | str, year: Optional[int] = None) -> tuple[RegisterRow, ...]:
    """Return the register's rows (every resolution, or those of `year`), in number order."""
    return register_rows(data_tree(root), year)


def register_report(root: Path | str, year: Optional[int], fmt: str, lang: Optional[str] = None,
                    bold: Callable[[str], str] = str) -> str | bytes:
    """Return the register as text or md (in `lang`, default kk), json (both languages) or xlsx (one sheet per
    language, both unless `lang`)."""
    from regdoc.phrasing import for_lang

    tree = data_tree(root)
    rows = register_rows(tree, year)
    if fmt == "json":
        numbering = tree.registry.numbering if tree.registry else None
        return json.dumps({"numbering": numbering, "year": year, "resolutions": [row_data(r) for r in rows]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "xlsx":
        from regdoc.files.xlsx import Sheet, workbook_bytes

        sheets = []
        for sheet_lang in ([lang] if lang else ["kk", "ru"]):
            phrasing = for_lang(sheet_lang)
            cells = [[r.id.date] + [row_cells(r, sheet_lang)[c] for c in REGISTER_COLUMNS[1:]] for r in rows]
            sheets.append(Sheet(phrasing.REGISTER_SHEET, phrasing.register_title(year),
                                [phrasing.REGISTER_HEADINGS[c] for c in REGISTER_COLUMNS], cells, XLSX_WIDTHS))
        return workbook_bytes(sheets, sheets[0].title)
    lang = lang or "kk"
    phrasing = for_lang(lang)
    headings = [phrasing.REGISTER_HEADINGS[c] for c in REGISTER_COLUMNS]
    cells = [[row_cells(r, lang)[c] for c in REGISTER_COLUMNS] for r in rows]
    if fmt == "md":
        from regdoc.views.tables import markdown_table

        return f"## {phrasing.register_title(year)}\n\n" + markdown_table(headings, cells)
    from regdoc.views.tables import text_table

    return f"{bold(phrasing.register_title(year))}\n\n" + text_table(headings, cells, list(TEXT_WIDTHS), bold)
