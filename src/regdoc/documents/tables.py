"""Tables of a rendered document: their grids and widths after docxtpl's loops.

- `fix_grid` (docxtpl's own rules, DocxTemplate.fix_tables of docxtpl 0.20, per table): the grid gets or loses
  columns as the rows' cells say;
- `fit_tables` / `fit_table` / `fit_rows`: each column the width its cell has in the template, scaled to the
  table's width (docxtpl spreads added columns evenly).

Both the tree path and the streaming writer of regdoc.documents.writer apply them, to a whole body or to a table
row by row.
"""
from __future__ import annotations

from functools import lru_cache

def fix_grids(body) -> None:
    """Fix the grid of every table of `body` after docxtpl's column loops, by docxtpl's own rules
    (DocxTemplate.fix_tables of docxtpl 0.20, on an element of the document rather than a tree of its own; child
    lookups through iterchildren rather than lxml's ElementPath)."""
    ns = "{" + body.nsmap["w"] + "}"
    for t in body.iter(ns + "tbl"):
        fix_grid(t, list(t.iter(ns + "tr")), next(t.iter(ns + "gridSpan"), None) is not None, ns)


@lru_cache(maxsize=4)
def cell_counter(ns: str):
    """Return the XPath that counts the w:tc children of a row (no element object made per cell)."""
    from lxml import etree

    return etree.XPath("count(w:tc)", namespaces={"w": ns[1:-1]})


def fix_grid(t, rows: list, spanned: bool, ns: str) -> tuple[int, int]:
    """Fix the grid of the table `t` by docxtpl's rules (fix_grids), `rows` being its rows (every w:tr under it,
    nested ones too) and `spanned` whether a cell under it spans columns; return (the most cells of a row, the most
    columns a row spans), the two figures the grid follows from."""
    from lxml import etree

    TBL_GRID, GRID_COL, TC, TC_PR, GRID_SPAN, W, VAL = (ns + t for t in (
        "tblGrid", "gridCol", "tc", "tcPr", "gridSpan", "w", "val"))
    count_cells = cell_counter(ns)
    tblGrid = t.find(TBL_GRID)
    columns = tblGrid.findall(GRID_COL)
    counts = [int(count_cells(r)) for r in rows]
    to_add = 0
    for cells in counts:
        if (len(columns) + to_add) < cells:
            to_add = cells - len(columns)
    if to_add > 0:
        width = 0.0
        for c in columns:
            if c.get(W) is not None:
                width += float(c.get(W))
        if width > 0:
            old_average = width / len(columns)
            new_average = width / (len(columns) + to_add)
            for c in columns:
                c.set(W, str(int(float(c.get(W)) * new_average / old_average)))
            for i in range(to_add):
                etree.SubElement(tblGrid, GRID_COL, {W: str(int(new_average))})
    columns = tblGrid.findall(GRID_COL)
    columns_len = len(columns)
    cells_len_max = 0
    if not spanned:  # no cell spans columns: a row spans as many as it has cells
        cells_len_max = max(counts, default=0)
    for r in rows if cells_len_max == 0 else ():
        cells_len_max = max(cells_len_max, spanned_columns(r, ns))
    to_remove = columns_len - cells_len_max
    if to_remove > 0:
        removed_width = 0.0
        for c in columns[-to_remove:]:
            removed_width += float(c.get(W))
            tblGrid.remove(c)
        columns_left = tblGrid.findall(GRID_COL)
        extra_space = 0
        if len(columns_left) > 0:
            extra_space = removed_width / len(columns_left)
            extra_space = int(extra_space)
        for c in columns_left:
            c.set(W, str(int(float(c.get(W)) + extra_space)))
    return max(counts, default=0), cells_len_max


def spanned_columns(r, ns: str) -> int:
    """Return the columns the row `r` spans by docxtpl's count (each cell its first w:tcPr's w:gridSpan, or 1)."""
    TC, TC_PR, GRID_SPAN, VAL = ns + "tc", ns + "tcPr", ns + "gridSpan", ns + "val"
    cells_len = 0
    for cell in r.iterchildren(TC):
        tc_pr = next(cell.iterchildren(TC_PR), None)
        grid_span = None if tc_pr is None else next(tc_pr.iterchildren(GRID_SPAN), None)
        cells_len += int(grid_span.get(VAL)) if grid_span is not None else 1
    return cells_len


def fit_tables(document) -> None:
    """Give every table a grid that matches its cells after column loops (`{%tc for %}`).

    docxtpl spreads the columns a loop adds evenly over the table, so a column's width no longer matches its
    cells. Here each column takes the width its cell has in the template (the row with the most cells decides),
    scaled so that the table keeps its total width; every cell then gets the width of the columns it spans.
    """
    from docx.oxml.ns import qn

    TBL, TR, SPAN = qn("w:tbl"), qn("w:tr"), qn("w:gridSpan")
    for tbl in document.element.body.iter(TBL):
        fit_table(tbl, tbl.findall(TR), next(tbl.iter(SPAN), None) is not None)


@lru_cache(maxsize=1)
def _fit_names():
    """Return the names and XPaths fit_tables works with."""
    from docx.oxml.ns import qn
    from lxml import etree

    names = tuple(qn(t) for t in ("w:tblGrid", "w:gridCol", "w:tc", "w:w", "w:type", "w:val", "w:tcPr", "w:tcW",
                                  "w:gridSpan"))
    namespaces = {"w": qn("w:tc")[1:].partition("}")[0]}
    count_cells = etree.XPath("count(w:tc)", namespaces=namespaces)  # XPath: no element object made per cell
    cell_widths = etree.XPath("w:tc/w:tcPr[1]/w:tcW[1]", namespaces=namespaces)  # each cell's, as cell_properties
    return names, count_cells, cell_widths


def _cell_properties(tc):
    """Return (w:tcW, w:gridSpan) of the cell `tc`, None when missing (lxml's find, a Python ElementPath, costs a
    microsecond or two per call here)."""
    (_grid, _col, _tc, _w, _type, _val, TC_PR, TC_W, SPAN), _count, _widths = _fit_names()
    props = next(tc.iterchildren(TC_PR), None)
    if props is None:
        return None, None
    return next(props.iterchildren(TC_W), None), next(props.iterchildren(SPAN), None)


def fit_table(tbl, rows: list, spans: bool):
    """Fit the table `tbl` whose rows are `rows` (its w:tr children; `spans`: whether a cell under it spans
    columns) as fit_tables does; return None when its cells are left as they are, else (the columns' widths, the
    width texts by (position, span)) for fit_rows."""
    from docx.oxml import OxmlElement

    (GRID, GRID_COL, TC, W, TYPE, _val, _pr, _tcw, _span), count_cells, _widths = _fit_names()
    grid = tbl.find(GRID)
    if grid is None:
        return None
    cols = grid.findall(GRID_COL)
    total = sum(int(c.get(W, "0")) for c in cols)
    counts = [int(count_cells(r)) for r in rows]
    widest = rows[counts.index(max(counts))] if rows else None  # the first row with the most cells
    if widest is None or total <= 0:
        return None
    widths = []
    for tc in widest.findall(TC):
        tcw, span = _cell_properties(tc)
        if tcw is None or tcw.get(TYPE, "dxa") != "dxa" or span is not None:
            widths = []
            break
        widths.append(int(tcw.get(W)))
    if not widths or sum(widths) <= 0:
        return None
    if len(widths) == len(cols) and all(abs(w - int(c.get(W, "0"))) <= 1 for w, c in zip(widths, cols)):
        return None  # no column loop changed this table
    scale = total / sum(widths)
    widths = [int(w * scale) for w in widths]
    for col in cols:
        grid.remove(col)
    for w in widths:
        col = OxmlElement("w:gridCol")
        col.set(W, str(w))
        grid.append(col)
    texts = {}  # the width text of each (position, span): the same for every row
    fit_rows(zip(rows, counts), widths, texts, spans)
    return widths, texts


def fit_rows(rows, widths: list, texts: dict, spans: bool) -> None:
    """Give every cell of `rows` ((row, its number of cells) pairs) the width of the columns it spans (`widths`;
    `texts` caches the width texts); `spans`: whether a cell may span columns (else the quicker way is tried)."""
    (_grid, _col, TC, W, TYPE, VAL, _pr, _tcw, _span), _count, cell_widths = _fit_names()
    for row, cells in rows:
        if not spans:  # every cell spans one column: when each has its w:tcW, they are set in one go
            tcws = cell_widths(row)
            if len(tcws) == cells:
                for position, tcw in enumerate(tcws):
                    text = texts.get((position, 1))
                    if text is None:
                        text = texts[position, 1] = str(sum(widths[position:position + 1]))
                    tcw.set(W, text)
                    tcw.set(TYPE, "dxa")
                continue
        position = 0
        for tc in row.iterchildren(TC):
            tcw, span_el = _cell_properties(tc)
            span = int(span_el.get(VAL)) if span_el is not None else 1
            if tcw is not None:
                text = texts.get((position, span))
                if text is None:
                    text = texts[position, span] = str(sum(widths[position:position + span]))
                tcw.set(W, text)
                tcw.set(TYPE, "dxa")
            position += span
