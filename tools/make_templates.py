#!/usr/bin/env python3
"""Generate the first version of regdoc's docxtpl templates with python-docx (a developer tool).

The shipped files under templates/ are the source of truth: a person may restyle them in Word or LibreOffice.
This script only regenerates them from scratch; it never runs during `regdoc render` or `regdoc build`, and it
refuses to overwrite an existing template unless given --force.

    python tools/make_templates.py [--out templates] [--force] [--only DOCUMENT ...]

Layout (the Kazakhstan rules of documentation as the department applies them): A4; margins left 30 mm,
right 10 mm, top 20 mm, bottom 20 mm; Times New Roman 14 pt (Liberation Serif, metric-compatible, where Times is
absent); single spacing; justified body with a 1.25 cm first-line indent; page numbers at the top centre from the
second page on. Everything is a named style, nothing is direct formatting; each Jinja tag sits in one run.
Texts (headings, column titles) come from the contexts, i.e. from regdoc.phrasing; templates hold layout only.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from regdoc.documents.writer import reproducible_zip
from regdoc.files.write import replace_atomic as write_atomic

FONT = "Times New Roman"
FALLBACK_FONT = "Liberation Serif"
LANG_TAGS = {"kk": "kk-KZ", "ru": "ru-RU"}
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGINS = {"left": Mm(30), "right": Mm(10), "top": Mm(20), "bottom": Mm(20)}
TEXT_W_PORTRAIT = 170  # mm: 210 - 30 - 10
TEXT_W_LANDSCAPE = 257  # mm: 297 - 30 - 10
LETTERHEAD_MM = 45  # the printed top of a letterhead blank below the top margin: 20 + 45 mm from the page's edge
J = WD_ALIGN_PARAGRAPH


# ----- the base document: page, fonts, styles, page numbers ---------------------------------------------------

def _set_fonts(rpr) -> None:
    """Set Times New Roman for every script on an rPr element, replacing theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for key in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{key}"), FONT)


def _defaults(doc, lang: str) -> None:
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    for tag, value in (("w:sz", "28"), ("w:szCs", "28")):
        rpr.find(qn(tag)).set(qn("w:val"), value)
    lang_el = rpr.find(qn("w:lang"))
    lang_el.set(qn("w:val"), LANG_TAGS.get(lang, "kk-KZ"))
    lang_el.set(qn("w:eastAsia"), LANG_TAGS.get(lang, "kk-KZ"))
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    for attr in list(spacing.attrib):
        del spacing.attrib[attr]
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    # every style that names a theme font (headings, titles ...) gets Times New Roman instead
    for fonts in styles.iter(qn("w:rFonts")):
        if any(a.endswith("Theme") or a.endswith("theme") for a in fonts.attrib):
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for key in ("ascii", "hAnsi", "cs", "eastAsia"):
                fonts.set(qn(f"w:{key}"), FONT)


def _font_table(doc) -> None:
    """Name Liberation Serif as the alternative of Times New Roman in the font table."""
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            root = parse_xml(part.blob)
            for font in root.findall(qn("w:font")):
                if font.get(qn("w:name")) == FONT:
                    font.insert(0, parse_xml(f'<w:altName {nsdecls("w")} w:val="{FALLBACK_FONT}"/>'))
                    font.find(qn("w:family")).set(qn("w:val"), "roman")
            from lxml import etree
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_thumbnail(doc) -> None:
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rid]


def _page(section, landscape: bool = False) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_H, PAGE_W
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_W, PAGE_H
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def pstyle(doc, name: str, base: str = "Normal", *, size=None, bold=None, italic=None, align=None,
           first_line=None, left=None, right=None, before=None, after=None, keep_next=None, tabs=(), outline=None):
    """Add a paragraph style and return it; `outline` (0 = level 1) makes it a heading that Word's navigation
    pane and a PDF's bookmarks show."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    font, fmt = style.font, style.paragraph_format
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if align is not None:
        fmt.alignment = align
    if first_line is not None:
        fmt.first_line_indent = first_line
    if left is not None:
        fmt.left_indent = left
    if right is not None:
        fmt.right_indent = right
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep_next is not None:
        fmt.keep_with_next = keep_next
    for pos, kind in tabs:
        fmt.tab_stops.add_tab_stop(Mm(pos), kind)
    if outline is not None:
        level = parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>')
        style.element.get_or_add_pPr().insert_element_before(level, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                                                             "w:pPrChange")
    return style


def cstyle(doc, name: str, *, bold=None, italic=None):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.quick_style = True
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    return style


def tstyle(doc, name: str, borders: bool = True, margin_mm: float = 1.5):
    """Add a table style (borders, cell margins) and return it."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    twips = int(margin_mm * 56.7)
    value = "single" if borders else "nil"
    sides = "".join(f'<w:{side} w:val="{value}" w:sz="4" w:space="0" w:color="000000"/>'
                    for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    style.element.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblBorders>{sides}</w:tblBorders>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{twips}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{twips}" w:type="dxa"/></w:tblCellMar></w:tblPr>'))
    return style


def base_document(lang: str):
    """Return an empty A4 document with regdoc's fonts, defaults and page-number header."""
    doc = Document()
    _defaults(doc, lang)
    _font_table(doc)
    _drop_thumbnail(doc)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fmt = normal.paragraph_format
    fmt.alignment = J.JUSTIFY
    fmt.first_line_indent = Cm(1.25)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = True
    pstyle(doc, "Page Number", align=J.CENTER, first_line=Cm(0), size=12)
    section = doc.sections[0]
    _page(section)
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    para = header.paragraphs[0]
    para.style = doc.styles["Page Number"]
    para._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>'))
    section.first_page_header.paragraphs[0].style = doc.styles["Page Number"]
    for item in doc.settings.element.iter(qn("w:compatSetting")):  # Word 2013 and later, not compatibility mode
        if item.get(qn("w:name")) == "compatibilityMode":
            item.set(qn("w:val"), "15")
    cp = doc.core_properties
    cp.title = ""
    cp.author = ""
    cp.last_modified_by = ""
    cp.comments = "regdoc template (docxtpl): restyle freely; retype a Jinja tag in one go so that it stays in one run"
    cp.revision = 1
    from datetime import datetime
    cp.created = cp.modified = datetime(2026, 1, 1)
    return doc


def para(doc_or_cell, text: str, style: str):
    """Add a paragraph holding `text` as one run (one Jinja tag never spans runs)."""
    p = doc_or_cell.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def para_runs(doc, style: str, *runs: tuple[str, str | None]):
    """Add a paragraph of several runs, each (text, character style or None)."""
    p = doc.add_paragraph(style=style)
    for text, char_style in runs:
        run = p.add_run(text)
        if char_style:
            run.style = doc.styles[char_style]
    return p


def branch(container, var: str, kinds: list[tuple[str, str]], default: str, text) -> None:
    """Add `{%p if var == kind %}` ... paragraphs: one paragraph of `text` in the style of each kind (`text`: one
    run, or a list of runs (text, character style or None))."""
    def add(style: str) -> None:
        if isinstance(text, str):
            para(container, text, style)
            return
        p = container.add_paragraph(style=style)
        for run_text, char_style in text:
            run = p.add_run(run_text)
            if char_style:
                run.style = char_style
    for i, (kind, style) in enumerate(kinds):
        para(container, f'{{%p {"if" if i == 0 else "elif"} {var} == "{kind}" %}}', "Normal")
        add(style)
    para(container, "{%p else %}", "Normal")
    add(default)
    para(container, "{%p endif %}", "Normal")


def _widths(table, widths_mm: list[float], total_mm: float) -> None:
    """Set the cells' widths (relative where a column loop adds columns) and a grid as wide as `total_mm`.

    regdoc's writer (fit_tables) rescales the columns to the grid's total once loops have added their columns.
    """
    table.autofit = False
    grid = table._tbl.tblGrid
    scale = total_mm / sum(widths_mm)
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(Mm(w * scale).twips)))
    for tr in table._tbl.findall(qn("w:tr")):
        tr.get_or_add_trPr().insert(0, parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))  # a row stays on one page
        position = 0
        for tc in tr.findall(qn("w:tc")):
            span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
            n = int(span.get(qn("w:val"))) if span is not None else 1
            tc.width = Mm(sum(widths_mm[position:position + n]))
            position += n


def _header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def _cell(cell, text: str, style: str) -> None:
    p = cell.paragraphs[0]
    p.style = style
    if text:
        p.add_run(text)


def _control_row(table, tag: str) -> None:
    """Add a row holding only a `{%tr ... %}` tag (docxtpl removes the row)."""
    row = table.add_row()
    _cell(row.cells[0], tag, "Table Text")


def table_styles(doc, size: int = 12) -> None:
    tstyle(doc, "Grid Table Regdoc")
    pstyle(doc, "Table Text", align=J.LEFT, first_line=Cm(0), size=size)
    pstyle(doc, "Table Heading", align=J.CENTER, first_line=Cm(0), size=size, bold=True)
    pstyle(doc, "Table Number", align=J.CENTER, first_line=Cm(0), size=size)
    pstyle(doc, "Table Block", align=J.LEFT, first_line=Cm(0), size=size, bold=True, keep_next=True)


# ----- the documents -------------------------------------------------------------------------------------------

def resolution(lang: str):
    doc = base_document(lang)
    right_tab = [(TEXT_W_PORTRAIT, WD_TAB_ALIGNMENT.RIGHT)]
    pstyle(doc, "Date Line", align=J.LEFT, first_line=Cm(0), after=18, tabs=right_tab)
    pstyle(doc, "Resolution Title", align=J.LEFT, first_line=Cm(0), right=Mm(TEXT_W_PORTRAIT - 85), bold=True,
           after=18, keep_next=True, outline=0)
    pstyle(doc, "Preamble")
    cstyle(doc, "Resolves", bold=True)
    pstyle(doc, "Item", before=6)
    pstyle(doc, "Item Text")
    pstyle(doc, "Place")
    pstyle(doc, "Dash Item")
    pstyle(doc, "Sub-item", before=6)
    pstyle(doc, "Amending Quote")
    pstyle(doc, "Signature", align=J.LEFT, first_line=Cm(0), before=42, bold=True, tabs=right_tab)
    # the letterhead: printed on plain paper; on a pre-printed blank (the default) an empty paragraph as high as
    # the blank's printed top (restyle «Letterhead Space» in Word to fit another blank)
    pstyle(doc, "Letterhead Name", align=J.CENTER, first_line=Cm(0), size=12, bold=True)
    pstyle(doc, "Letterhead Title", align=J.CENTER, first_line=Cm(0), bold=True, before=12)
    pstyle(doc, "Letterhead City", align=J.CENTER, first_line=Cm(0), size=12, before=6, after=18)
    space = pstyle(doc, "Letterhead Space", first_line=Cm(0))
    space.paragraph_format.line_spacing = Mm(LETTERHEAD_MM)
    tstyle(doc, "Letterhead Table", borders=False)

    para(doc, '{%p if letterhead.paper == "plain" %}', "Normal")
    table = doc.add_table(rows=3, cols=2)
    table.style = doc.styles["Letterhead Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (key, style) in zip(table.rows, (("name", "Letterhead Name"), ("title", "Letterhead Title"),
                                                ("city", "Letterhead City"))):
        for cell, language in zip(row.cells, ("kk", "ru")):
            _cell(cell, f"{{{{ letterhead.{key}.{language} }}}}", style)
    _widths(table, [85, 85], TEXT_W_PORTRAIT)
    para(doc, "{%p else %}", "Normal")
    para(doc, "", "Letterhead Space")
    para(doc, "{%p endif %}", "Normal")
    para(doc, "{{ date }}\t{{ number }}", "Date Line")
    para(doc, "{{ title }}", "Resolution Title")
    para(doc, "{%p for text in preamble %}", "Normal")
    para(doc, "{{ text }}", "Preamble")
    para(doc, "{%p endfor %}", "Normal")
    para_runs(doc, "Preamble", ("{{ preamble_last }}", None), (" ", None), ("{{ resolves }}", "Resolves"))
    para(doc, "{%p for item in items %}", "Normal")
    para(doc, "{%p for line in item.lines %}", "Normal")
    branch(doc, "line.kind", [("item", "Item"), ("place", "Place"), ("dash", "Dash Item"),
                              ("subitem", "Sub-item"), ("quote", "Amending Quote")], "Item Text", "{{ line.text }}")
    para(doc, "{%p endfor %}", "Normal")
    para(doc, "{%p endfor %}", "Normal")
    para(doc, "{{ signature.position }}\t{{ signature.name }}", "Signature")
    return doc


def appendix_table(doc, prefix: str) -> None:
    """Add the table of Appendix 1: a heading row, a merged row per block, a row per indicator (`prefix`: where
    the context holds columns and rows, e.g. «appendix.»)."""
    widths = [16, 100, 30, 72, 39]
    table = doc.add_table(rows=1, cols=5)
    table.style = doc.styles["Grid Table Regdoc"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, key in zip(table.rows[0].cells, ("number", "indicator", "unit", "rule", "max_points")):
        _cell(cell, f"{{{{ {prefix}columns.{key} }}}}", "Table Heading")
    _header_row(table.rows[0])
    _control_row(table, f"{{%tr for row in {prefix}rows %}}")
    _control_row(table, "{%tr if row.block %}")
    block = table.add_row()
    merged = block.cells[0].merge(block.cells[4])
    _cell(merged, "{{ row.title }}", "Table Block")
    _control_row(table, "{%tr else %}")
    ind = table.add_row()
    for cell, (key, style) in zip(ind.cells, (("number", "Table Number"), ("indicator", "Table Text"),
                                              ("unit", "Table Number"), ("rule", "Table Text"),
                                              ("max_points", "Table Number"))):
        _cell(cell, f"{{{{ row.{key} }}}}", style)
    _control_row(table, "{%tr endif %}")
    _control_row(table, "{%tr endfor %}")
    _widths(table, widths, TEXT_W_LANDSCAPE)


def regulation(lang: str):
    doc = base_document(lang)
    pstyle(doc, "Approval", align=J.LEFT, first_line=Cm(0), left=Mm(95))
    pstyle(doc, "Regulation Title", align=J.CENTER, first_line=Cm(0), bold=True, before=18, after=6,
           keep_next=True, outline=0)
    pstyle(doc, "As Of", align=J.CENTER, first_line=Cm(0), after=12)
    pstyle(doc, "Section Heading", align=J.CENTER, first_line=Cm(0), bold=True, before=12, after=6,
           keep_next=True, outline=1)
    pstyle(doc, "Clause")
    pstyle(doc, "Subclause")
    pstyle(doc, "Deleted Unit")
    pstyle(doc, "Note", size=12, italic=True)
    pstyle(doc, "Appendix Ref", align=J.LEFT, first_line=Cm(0), left=Mm(TEXT_W_LANDSCAPE - 95))
    pstyle(doc, "Appendix Title", align=J.CENTER, first_line=Cm(0), bold=True, before=12, after=12,
           keep_next=True, outline=1)
    table_styles(doc)

    para(doc, "{{ approval }}", "Approval")
    para(doc, "{%p if amended_by %}", "Normal")
    para(doc, "{{ amended_by }}", "Approval")
    para(doc, "{%p endif %}", "Normal")
    para(doc, "{{ title }}", "Regulation Title")
    para(doc, "{{ as_of }}", "As Of")
    para(doc, "{%p for unit in units %}", "Normal")
    para(doc, "{%p for text in unit.paragraphs %}", "Normal")
    branch(doc, "unit.kind", [("section", "Section Heading"), ("subclause", "Subclause"),
                              ("deleted", "Deleted Unit")], "Clause", "{{ text }}")
    para(doc, "{%p endfor %}", "Normal")
    para(doc, "{%p for note in unit.notes %}", "Normal")
    para(doc, "{{ note }}", "Note")
    para(doc, "{%p endfor %}", "Normal")
    para(doc, "{%p endfor %}", "Normal")

    appendix = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(appendix, landscape=True)
    appendix.different_first_page_header_footer = False
    para(doc, "{{ appendix.ref }}", "Appendix Ref")
    para(doc, "{{ appendix.title }}", "Appendix Title")
    para(doc, "{%p for note in appendix.notes %}", "Normal")
    para(doc, "{{ note }}", "Note")
    para(doc, "{%p endfor %}", "Normal")
    appendix_table(doc, "appendix.")
    return doc


def results(lang: str):
    doc = base_document(lang)
    _page(doc.sections[0], landscape=True)
    pstyle(doc, "Annex Ref", align=J.LEFT, first_line=Cm(0), left=Mm(TEXT_W_LANDSCAPE - 95))
    pstyle(doc, "Results Title", align=J.CENTER, first_line=Cm(0), bold=True, before=12, after=12,
           keep_next=True, outline=0)
    pstyle(doc, "Table Caption", align=J.LEFT, first_line=Cm(0), bold=True, before=18, after=6, keep_next=True,
           outline=1)
    # a legend is kept together and with the table it explains (keep with next, down to the table's heading row)
    pstyle(doc, "Legend Heading", align=J.LEFT, first_line=Cm(0), size=11, bold=True, before=6, keep_next=True)
    pstyle(doc, "Legend", align=J.LEFT, first_line=Cm(0), size=11, keep_next=True)
    table_styles(doc, size=11)
    pstyle(doc, "Table Small Heading", base="Table Heading", size=9)
    pstyle(doc, "Table Small Number", base="Table Number", size=9)

    pstyle(doc, "Results Subtitle", align=J.CENTER, first_line=Cm(0), after=12, keep_next=True)
    pstyle(doc, "Sample Note", align=J.CENTER, first_line=Cm(0), size=11, italic=True, after=12)
    pstyle(doc, "Reward Line", size=12)
    pstyle(doc, "Tie Note", align=J.LEFT, first_line=Cm(0), size=11, bold=True, before=12)
    para(doc, "{{ annex }}", "Annex Ref")
    para(doc, "{{ title }}", "Results Title")
    para(doc, "{%p if subtitle %}", "Normal")
    para(doc, "{{ subtitle }}", "Results Subtitle")
    para(doc, "{%p endif %}", "Normal")
    para(doc, "{%p if sample %}", "Normal")
    para(doc, "{{ sample }}", "Sample Note")
    para(doc, "{%p endif %}", "Normal")
    # table 1: places, organisations, block points, main-block points and totals; the blocks' legend above it
    para(doc, "{{ blocks_legend.title }}", "Legend Heading")
    para(doc, "{%p for line in blocks_legend.lines %}", "Normal")
    para(doc, "{{ line }}", "Legend")
    para(doc, "{%p endfor %}", "Normal")
    table = doc.add_table(rows=1, cols=7)
    table.style = doc.styles["Grid Table Regdoc"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0].cells
    _cell(head[0], "{{ columns.place }}", "Table Heading")
    _cell(head[1], "{{ columns.organisation }}", "Table Heading")
    _cell(head[2], "{%tc for block in blocks %}", "Table Small Heading")
    _cell(head[3], "{{ block }}", "Table Small Heading")
    _cell(head[4], "{%tc endfor %}", "Table Small Heading")
    _cell(head[5], "{{ columns.main_sum }}", "Table Heading")
    _cell(head[6], "{{ columns.total }}", "Table Heading")
    _header_row(table.rows[0])
    _control_row(table, "{%tr for row in rows %}")
    body = table.add_row().cells
    _cell(body[0], "{{ row.place }}", "Table Number")
    _cell(body[1], "{{ row.organisation }}", "Table Text")
    _cell(body[2], "{%tc for points in row.blocks %}", "Table Number")
    _cell(body[3], "{{ points }}", "Table Number")
    _cell(body[4], "{%tc endfor %}", "Table Number")
    _cell(body[5], "{{ row.main_sum }}", "Table Number")
    _cell(body[6], "{{ row.total }}", "Table Number")
    _control_row(table, "{%tr endfor %}")
    _widths(table, [17, 72, 5, 20, 5, 30, 27], TEXT_W_LANDSCAPE)
    para(doc, "{%p if rewards.lines %}", "Normal")
    para(doc, "{{ rewards.title }}", "Table Caption")
    para(doc, "{%p for line in rewards.lines %}", "Normal")
    para(doc, "{{ line }}", "Reward Line")
    para(doc, "{%p endfor %}", "Normal")
    para(doc, "{%p endif %}", "Normal")
    para(doc, "{%p for tie in ties %}", "Normal")  # a tie at the last prize or reward place, for the Committee
    para(doc, "{{ tie }}", "Tie Note")
    para(doc, "{%p endfor %}", "Normal")
    # table 2: places by indicator, the legend of the indicators' numbers between its caption and the table
    para(doc, "{{ ranks.title }}", "Table Caption")
    para(doc, "{{ ranks.legend_title }}", "Legend Heading")
    para(doc, "{%p for line in ranks.legend %}", "Normal")
    para(doc, "{{ line }}", "Legend")
    para(doc, "{%p endfor %}", "Normal")
    table = doc.add_table(rows=1, cols=5)
    table.style = doc.styles["Grid Table Regdoc"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0].cells
    _cell(head[0], "{{ columns.organisation }}", "Table Heading")
    _cell(head[1], "{%tc for number in ranks.indicators %}", "Table Small Heading")
    _cell(head[2], "{{ number }}", "Table Small Heading")
    _cell(head[3], "{%tc endfor %}", "Table Small Heading")
    _cell(head[4], "{{ columns.place }}", "Table Heading")
    _header_row(table.rows[0])
    _control_row(table, "{%tr for row in ranks.rows %}")
    body = table.add_row().cells
    _cell(body[0], "{{ row.organisation }}", "Table Text")
    _cell(body[1], "{%tc for rank in row.ranks %}", "Table Small Number")
    _cell(body[2], "{{ rank }}", "Table Small Number")
    _cell(body[3], "{%tc endfor %}", "Table Small Number")
    _cell(body[4], "{{ row.place }}", "Table Number")
    _control_row(table, "{%tr endfor %}")
    _widths(table, [52, 5, 8, 5, 19], TEXT_W_LANDSCAPE)
    return doc


def appendix(lang: str):
    """Appendix 1 as an annex of the resolution that approves it in new wording: the resolution's annex stamp,
    the appendix's own stamp, its title and the table of criteria (landscape)."""
    doc = base_document(lang)
    _page(doc.sections[0], landscape=True)
    pstyle(doc, "Annex Ref", align=J.LEFT, first_line=Cm(0), left=Mm(TEXT_W_LANDSCAPE - 95))
    pstyle(doc, "Appendix Ref", align=J.LEFT, first_line=Cm(0), left=Mm(TEXT_W_LANDSCAPE - 95), before=6)
    pstyle(doc, "Appendix Title", align=J.CENTER, first_line=Cm(0), bold=True, before=12, after=12,
           keep_next=True, outline=0)
    pstyle(doc, "Sample Note", align=J.CENTER, first_line=Cm(0), size=11, italic=True, after=12)
    table_styles(doc)
    para(doc, "{{ annex }}", "Annex Ref")
    para(doc, "{{ ref }}", "Appendix Ref")
    para(doc, "{{ title }}", "Appendix Title")
    para(doc, "{%p if sample %}", "Normal")
    para(doc, "{{ sample }}", "Sample Note")
    para(doc, "{%p endif %}", "Normal")
    appendix_table(doc, "")
    return doc


def comparison(lang: str):
    """The comparison table of an amendment: landscape, one row per operation (RichText wordings)."""
    doc = base_document(lang)
    _page(doc.sections[0], landscape=True)
    table_styles(doc)
    pstyle(doc, "Comparison Title", align=J.CENTER, first_line=Cm(0), bold=True, after=6, keep_next=True, outline=0)
    pstyle(doc, "Comparison Subject", align=J.CENTER, first_line=Cm(0), after=12, keep_next=True)
    pstyle(doc, "Sample Note", align=J.LEFT, first_line=Cm(0), size=11, italic=True, before=6)
    para(doc, "{{ title }}", "Comparison Title")
    para(doc, "{{ subject }}", "Comparison Subject")
    table = doc.add_table(rows=1, cols=5)
    table.style = doc.styles["Grid Table Regdoc"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, key in zip(table.rows[0].cells, ("number", "unit", "current", "proposed", "justification")):
        _cell(cell, f"{{{{ columns.{key} }}}}", "Table Heading")
    _header_row(table.rows[0])
    _control_row(table, "{%tr for row in rows %}")
    body = table.add_row().cells
    _cell(body[0], "{{ row.number }}", "Table Number")
    _cell(body[1], "{{ row.unit }}", "Table Text")
    _cell(body[2], "{{r row.current }}", "Table Text")
    _cell(body[3], "{{r row.proposed }}", "Table Text")
    _cell(body[4], "{{ row.justification }}", "Table Text")
    _control_row(table, "{%tr endfor %}")
    _widths(table, [13, 34, 87, 87, 36], TEXT_W_LANDSCAPE)
    para(doc, "{%p if sample %}", "Normal")
    para(doc, "{{ sample }}", "Sample Note")
    para(doc, "{%p endif %}", "Normal")
    return doc


def register(lang: str):
    """The register of a year's resolutions: landscape, one row per resolution, the heading row on every page."""
    doc = base_document(lang)
    _page(doc.sections[0], landscape=True)
    table_styles(doc)
    pstyle(doc, "Register Title", align=J.CENTER, first_line=Cm(0), bold=True, after=12, keep_next=True, outline=0)
    pstyle(doc, "Sample Note", align=J.LEFT, first_line=Cm(0), size=11, italic=True, before=6)
    para(doc, "{{ title }}", "Register Title")
    keys = ("date", "number", "title", "amendments", "evaluation")
    table = doc.add_table(rows=1, cols=len(keys))
    table.style = doc.styles["Grid Table Regdoc"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, key in zip(table.rows[0].cells, keys):
        _cell(cell, f"{{{{ columns.{key} }}}}", "Table Heading")
    _header_row(table.rows[0])
    _control_row(table, "{%tr for row in rows %}")
    body = table.add_row().cells
    for cell, key, style in zip(body, keys, ("Table Number", "Table Text", "Table Text", "Table Text",
                                             "Table Text")):
        _cell(cell, f"{{{{ row.{key} }}}}", style)
    _control_row(table, "{%tr endfor %}")
    _widths(table, [24, 50, 103, 45, 35], TEXT_W_LANDSCAPE)
    para(doc, "{%p if sample %}", "Normal")
    para(doc, "{{ sample }}", "Sample Note")
    para(doc, "{%p endif %}", "Normal")
    return doc


def parallel():
    doc = base_document("kk")
    _page(doc.sections[0], landscape=True)
    table_styles(doc)
    pstyle(doc, "Parallel Heading", base="Table Heading", keep_next=False, outline=0)
    pstyle(doc, "Parallel Text", base="Table Text", align=J.JUSTIFY)
    pstyle(doc, "Parallel Bold", base="Table Text", align=J.LEFT, bold=True)
    pstyle(doc, "Parallel Right", base="Table Text", align=J.RIGHT)
    pstyle(doc, "Parallel Note", base="Table Text", italic=True, size=11, align=J.JUSTIFY)
    cstyle(doc, "Strong Words", bold=True)
    table = doc.add_table(rows=1, cols=2)
    table.style = doc.styles["Grid Table Regdoc"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell(table.rows[0].cells[0], "{{ header.kk }}", "Table Heading")
    _cell(table.rows[0].cells[1], "{{ header.ru }}", "Table Heading")
    _header_row(table.rows[0])
    _control_row(table, "{%tr for row in rows %}")
    row = table.add_row()
    for cell, lang in zip(row.cells, ("kk", "ru")):
        cell.paragraphs[0].style = doc.styles["Table Text"]
        cell.paragraphs[0].add_run(f"{{%p for p in row.{lang} %}}")
        # a paragraph: its text, then its words in bold (`strong`: «ҚАУЛЫ ЕТЕДІ:» after the preamble), each in
        # the style of its kind
        branch(cell, "p.kind", [("heading", "Parallel Heading"), ("right", "Parallel Right"),
                                ("note", "Parallel Note"), ("bold", "Parallel Bold")], "Parallel Text",
               [("{{ p.text }}", None), ("{{ p.strong }}", "Strong Words")])
        para(cell, "{%p endfor %}", "Table Text")
    _control_row(table, "{%tr endfor %}")
    _widths(table, [TEXT_W_LANDSCAPE / 2] * 2, TEXT_W_LANDSCAPE)
    for tr in table._tbl.findall(qn("w:tr"))[1:]:  # a long row breaks across pages (no blank half page before it)
        trpr = tr.find(qn("w:trPr"))
        if trpr is not None:
            trpr.remove(trpr.find(qn("w:cantSplit")))
    return doc


BUILDERS = {"resolution": resolution, "regulation": regulation, "results": results, "appendix": appendix,
            "comparison": comparison, "register": register}
ALWAYS_KEPT = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
DROPPED_PARTS = ("/stylesWithEffects", "/customXml")


def slim(doc) -> None:
    """Drop what python-docx's default template carries but the documents never use: the 160 unused styles
    (Word lists them anyway, from its own defaults), the Word 2010 stylesWithEffects copy and the customXml
    item. Smaller templates render and convert faster."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(DROPPED_PARTS):
            del part.rels[rid]
    roots = [part.element] + [rel.target_part.element for rel in part.rels.values()
                              if rel.reltype.endswith(("/header", "/footer"))]
    used = set(ALWAYS_KEPT)
    for root in roots:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used |= {el.get(qn("w:val")) for el in root.iter(qn(tag))}
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    used |= {sid for sid, s in by_id.items() if s.get(qn("w:customStyle")) == "1"}
    todo = list(used)
    while todo:  # keep what a kept style is based on, links to or is followed by
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:link", "w:next"):
            el = style.find(qn(tag))
            if el is not None and el.get(qn("w:val")) not in used:
                used.add(el.get(qn("w:val")))
                todo.append(el.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in used:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)


def save(doc, path: Path) -> None:
    slim(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, reproducible_zip(buffer.getvalue()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates", help="templates folder (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="overwrite existing templates (they may hold a "
                                                            "person's restyling)")
    parser.add_argument("--only", choices=sorted(BUILDERS) + ["parallel"], action="append", metavar="DOCUMENT",
                        help="make only this document's templates (repeatable; default: all)")
    args = parser.parse_args(argv)
    targets = {args.out / lang / f"{name}.docx": (build, lang)
               for lang in ("kk", "ru") for name, build in BUILDERS.items() if not args.only or name in args.only}
    if not args.only or "parallel" in args.only:
        targets[args.out / "parallel.docx"] = (lambda _lang: parallel(), "kk")
    existing = [p for p in targets if p.exists()]
    if existing and not args.force:
        print("make_templates: refusing to overwrite " + ", ".join(str(p) for p in existing) +
              " (the shipped templates are the source of truth; pass --force to regenerate)", file=sys.stderr)
        return 1
    for path, (build, lang) in targets.items():
        save(build(lang), path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
