"""The .docx writer of a redline: every change a native Word revision.

- words inserted: `w:ins` around the runs; words deleted: `w:del` around runs holding `w:delText`;
- a paragraph inserted or deleted whole: its runs so, and its paragraph mark too (`w:pPr/w:rPr/w:ins` or
  `w:rPr/w:del`), so that accepting (or rejecting) removes the paragraph itself, not only its words;
- a table row inserted or deleted: `w:trPr/w:ins` or `w:trPr/w:del`, with its runs marked as well;
- every revision carries the author (the adopting resolution) and the date (its in-force date, as
  YYYY-MM-DDT00:00:00Z), and an id unique in the document (numbered in document order, so the same redline gives
  the same bytes).

The styles, page layout and headers come from the Regulation's template (templates/<lang>/regulation.docx): its
body is emptied and refilled, its section break kept (the Regulation portrait, Appendix 1 landscape), its table
properties and column widths reused for Appendix 1. Without a template, a plain base with the same style names
is made with python-docx.
"""
from __future__ import annotations

import copy
import io
import re
from pathlib import Path
from typing import Optional

from .redline import DEL, INS, Block, Para, Redline, Revision, Row, Table

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
FALLBACK_WIDTHS_MM = (16, 105, 28, 78, 30)  # the columns of Appendix 1: №, indicator, unit, rule, max points


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


class _Writer:
    """Turns the redline's values into WordprocessingML elements, numbering the revisions as it goes."""

    def __init__(self, doc):
        self.doc = doc
        self.next_id = 1
        self.style_ids = {}
        for style in doc.styles:
            self.style_ids[style.name] = style.style_id

    def revision(self, tag: str, revision: Revision):
        from lxml import etree

        el = etree.Element(_qn(f"w:{tag}"))
        el.set(_qn("w:id"), str(self.next_id))
        el.set(_qn("w:author"), _NOT_XML.sub("\ufffd", revision.author))
        el.set(_qn("w:date"), f"{revision.when.isoformat()}T00:00:00Z")
        self.next_id += 1
        return el

    def paragraph(self, p: Para):
        from lxml import etree

        el = etree.Element(_qn("w:p"))
        ppr = etree.SubElement(el, _qn("w:pPr"))
        style_id = self.style_ids.get(p.style)
        if style_id:
            etree.SubElement(ppr, _qn("w:pStyle")).set(_qn("w:val"), style_id)
        if p.mark:
            etree.SubElement(ppr, _qn("w:rPr")).append(self.revision(p.mark, p.revision))
        for run in p.runs:
            parent = el
            if run.change:
                parent = self.revision(run.change, p.revision)
                el.append(parent)
            r = etree.SubElement(parent, _qn("w:r"))
            t = etree.SubElement(r, _qn("w:delText" if run.change == DEL else "w:t"))
            t.text = _NOT_XML.sub("\ufffd", run.text)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return el

    def table(self, table: Table, tbl_pr, widths: list[int]):
        from lxml import etree

        tbl = etree.Element(_qn("w:tbl"))
        tbl.append(copy.deepcopy(tbl_pr))
        grid = etree.SubElement(tbl, _qn("w:tblGrid"))
        for w in widths:
            etree.SubElement(grid, _qn("w:gridCol")).set(_qn("w:w"), str(w))
        for row in table.rows:
            tbl.append(self.row(row, widths))
        return tbl

    def row(self, row: Row, widths: list[int]):
        from lxml import etree

        tr = etree.Element(_qn("w:tr"))
        if row.header or row.change:
            trpr = etree.SubElement(tr, _qn("w:trPr"))
            if row.header:
                etree.SubElement(trpr, _qn("w:tblHeader"))
            if row.change:
                trpr.append(self.revision(row.change, row.revision))
        position = 0
        for cell in row.cells:
            tc = etree.SubElement(tr, _qn("w:tc"))
            tcpr = etree.SubElement(tc, _qn("w:tcPr"))
            tcw = etree.SubElement(tcpr, _qn("w:tcW"))
            tcw.set(_qn("w:w"), str(sum(widths[position:position + cell.span])))
            tcw.set(_qn("w:type"), "dxa")
            if cell.span > 1:
                etree.SubElement(tcpr, _qn("w:gridSpan")).set(_qn("w:val"), str(cell.span))
            position += cell.span
            for p in cell.paras:
                tc.append(self.paragraph(p))
        return tr


def _first_section_paragraph(body):
    """Return the paragraph that ends the first section (it holds a w:sectPr), or None."""
    for p in body.iterchildren(_qn("w:p")):
        if p.find(f"{_qn('w:pPr')}/{_qn('w:sectPr')}") is not None:
            return p
    return None


def _table_layout(doc, body) -> tuple[Optional[object], Optional[list[int]]]:
    """Return the properties and column widths of the template's first five-column table (Appendix 1)."""
    for tbl in body.iter(_qn("w:tbl")):
        cols = tbl.findall(f"{_qn('w:tblGrid')}/{_qn('w:gridCol')}")
        if len(cols) == 5:
            return copy.deepcopy(tbl.find(_qn("w:tblPr"))), [int(c.get(_qn("w:w"), "0")) for c in cols]
    return None, None


def _default_tbl_pr(writer: _Writer):
    from lxml import etree

    pr = etree.Element(_qn("w:tblPr"))
    style = writer.style_ids.get("Grid Table Regdoc") or writer.style_ids.get("Table Grid")
    if style:
        etree.SubElement(pr, _qn("w:tblStyle")).set(_qn("w:val"), style)
    width = etree.SubElement(pr, _qn("w:tblW"))
    width.set(_qn("w:w"), "5000")
    width.set(_qn("w:type"), "pct")
    etree.SubElement(pr, _qn("w:jc")).set(_qn("w:val"), "center")
    etree.SubElement(pr, _qn("w:tblLayout")).set(_qn("w:type"), "fixed")
    return pr


def _text_width(doc) -> int:
    """Return the width of the last section's text in twips."""
    section = doc.sections[-1]
    return int((section.page_width - section.left_margin - section.right_margin) / 635)


def fallback_base(lang: str):
    """Return a plain base document with the style names of the Regulation's template: A4, Times New Roman
    14 pt named on every style (not a theme font), the Regulation portrait and Appendix 1 landscape."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH as J
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(_qn(f"w:{key}"), "Times New Roman")
    normal.font.size = Pt(14)
    normal.paragraph_format.alignment = J.JUSTIFY
    normal.paragraph_format.first_line_indent = Cm(1.25)
    normal.paragraph_format.space_after = Pt(0)
    lang_tag = {"kk": "kk-KZ", "ru": "ru-RU"}[lang]
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{lang_tag}"/>'))
    plain = dict(align=None, bold=False, italic=False, size=None, indent=True)
    looks = {"Approval": dict(plain, align=J.RIGHT, indent=False), "Regulation Title": dict(plain, align=J.CENTER,
             bold=True, indent=False), "As Of": dict(plain, align=J.CENTER, indent=False),
             "Section Heading": dict(plain, align=J.CENTER, bold=True, indent=False), "Clause": plain,
             "Subclause": plain, "Deleted Unit": plain, "Note": dict(plain, italic=True, size=12),
             "Appendix Ref": dict(plain, align=J.RIGHT, indent=False),
             "Appendix Title": dict(plain, align=J.CENTER, bold=True, indent=False),
             "Table Heading": dict(plain, align=J.CENTER, bold=True, size=12, indent=False),
             "Table Text": dict(plain, align=J.LEFT, size=12, indent=False),
             "Table Number": dict(plain, align=J.CENTER, size=12, indent=False),
             "Table Block": dict(plain, align=J.LEFT, bold=True, size=12, indent=False)}
    for name, look in looks.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.bold, style.font.italic = look["bold"], look["italic"]
        if look["size"]:
            style.font.size = Pt(look["size"])
        if look["align"] is not None:
            style.paragraph_format.alignment = look["align"]
        if not look["indent"]:
            style.paragraph_format.first_line_indent = Cm(0)
    table_style = doc.styles.add_style("Grid Table Regdoc", WD_STYLE_TYPE.TABLE)
    table_style.base_style = doc.styles["Table Grid"]
    first = doc.sections[0]
    first.page_width, first.page_height = Mm(210), Mm(297)
    first.left_margin, first.right_margin, first.top_margin, first.bottom_margin = Mm(30), Mm(10), Mm(20), Mm(20)
    appendix = doc.add_section(WD_SECTION.NEW_PAGE)
    appendix.orientation = WD_ORIENT.LANDSCAPE
    appendix.page_width, appendix.page_height = Mm(297), Mm(210)
    return doc


def base_document(template: Optional[Path], lang: str, display: Optional[str] = None):
    """Return the base of a redline: the Regulation's template when it exists (a RegdocError when it is not a
    Word document), else a plain one with the same styles."""
    if template is None or not Path(template).exists():
        return fallback_base(lang)
    from .writer import open_template

    return open_template(Path(template), display).docx


def redline_docx(redline: Redline, template: Optional[Path], props, display: Optional[str] = None) -> bytes:
    """Return the .docx bytes of `redline` on the base of `template` (see base_document), with core properties
    `props` (a writer.DocProps), reproducibly."""
    from .writer import reproducible_zip, set_properties

    doc = base_document(template, redline.lang, display)
    writer = _Writer(doc)
    body = doc.element.body
    final = body.find(_qn("w:sectPr"))
    tbl_pr, widths = _table_layout(doc, body)
    section_end = _first_section_paragraph(body)
    breaker = None
    if section_end is not None:  # an empty paragraph that ends the Regulation's section
        from lxml import etree

        breaker = etree.Element(_qn("w:p"))
        breaker.append(etree.Element(_qn("w:pPr")))
        breaker[0].append(copy.deepcopy(section_end.find(f"{_qn('w:pPr')}/{_qn('w:sectPr')}")))
    for child in list(body):
        if child is not final:
            body.remove(child)

    def add(el) -> None:
        if final is not None:
            final.addprevious(el)
        else:
            body.append(el)

    for p in redline.body:
        add(writer.paragraph(p))
    if breaker is not None:
        add(breaker)
    else:  # a template of one section: Appendix 1 starts on a new page
        add(writer.paragraph(Para("Normal", ())))
        _page_break(body, final)
    if widths is None or sum(widths) <= 0:
        total = _text_width(doc)
        widths = [int(total * w / sum(FALLBACK_WIDTHS_MM)) for w in FALLBACK_WIDTHS_MM]
    if tbl_pr is None:
        tbl_pr = _default_tbl_pr(writer)
    block: Block
    for block in redline.appendix:
        add(writer.paragraph(block) if isinstance(block, Para) else writer.table(block, tbl_pr, widths))
    set_properties(doc, props)
    buffer = io.BytesIO()
    doc.save(buffer)
    return reproducible_zip(buffer.getvalue())


def _page_break(body, final) -> None:
    """Put a page break in the paragraph just added before `final` (or at the end of `body`)."""
    from lxml import etree

    p = final.getprevious() if final is not None else body[-1]
    run = etree.SubElement(p, _qn("w:r"))
    etree.SubElement(run, _qn("w:br")).set(_qn("w:type"), "page")


__all__ = ["redline_docx", "base_document", "fallback_base", "INS", "DEL"]
