"""The context of the register of a year's resolutions (Қаулылар тізілімі / Реестр постановлений).

Pure: the register's rows (regdoc.registry.register.register_rows) -> plain dicts of strings. Layout in
templates/<lang>/register.docx (landscape, the heading row repeated on every page):

    title       «Атқару комитетінің 2026 жылғы қаулыларының тізілімі» / «Реестр постановлений ... за 2026 год»
    columns     {date, number, title, amendments, evaluation}: the column headings (REGISTER_HEADINGS)
    rows[]      {date, number, title, amendments, evaluation}: one per resolution of the year, in number order
                (date, meeting, item); a draft's title is marked «(жоба)» / «(проект)», the number of a resolution
                whose data are a sample is marked «*»; several amendments are one line each
    sample      the note under the table when a row is marked «*», else ""

The cells are the ones `regdoc resolution list` shows (regdoc.registry.register.row_cells), so the two never differ.
"""
from __future__ import annotations

from regdoc.data import model as m
from regdoc.phrasing import for_lang, typeset
from regdoc.registry.register import RegisterRow, row_cells

COLUMNS = ("date", "number", "title", "amendments", "evaluation")


def register_context(tree: m.DataTree, rows: tuple[RegisterRow, ...], year: int, lang: str) -> dict:
    """Return the template context of the register of `year` in `lang`, from its `rows`."""
    ph = for_lang(lang)
    sample = {r.id for r in tree.resolutions if r.source == "sample"}
    body = []
    for row in rows:
        cells = row_cells(row, lang)
        if row.id in sample:
            cells["number"] = f"{cells['number']} {ph.REGISTER_SAMPLE_MARK}"
        body.append({key: cells[key] for key in COLUMNS})
    return typeset({
        "lang": lang,
        "title": ph.register_title(year),
        "columns": {key: ph.REGISTER_HEADINGS[key] for key in COLUMNS},
        "rows": body,
        "sample": ph.REGISTER_SAMPLE_NOTE if any(r.id in sample for r in rows) else "",
    }, lang)
