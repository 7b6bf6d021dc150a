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
properties and column widths reused for Appendix 1, its rows kept whole on a page (w:cantSplit) as the
template's are; a style the template lacks leaves its paragraphs in the default style.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from regdoc.documents.redline import DEL, Block, Para, Redline, Revision, Row, Table

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
DEFAULT_WIDTHS_MM = (16, 105, 28, 78, 30)  # the columns of Appendix 1: №, indicator, unit, rule, max points


@lru_cache(maxsize=None)
def _qn(tag: str) -> str:
    """Return the Clark name of a prefixed tag (`w:p`), as python-docx's qn (a redline asks some 50 000 times for
    a few dozen tags)."""
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
        trpr = etree.SubElement(tr, _qn("w:trPr"))
        etree.SubElement(trpr, _qn("w:cantSplit"))
        if row.header or row.change:
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


def redline_docx(redline: Redline, template: Path | bytes, props, display: Optional[str] = None) -> bytes:
    """Return the .docx bytes of `redline` on the base of the Regulation's template `template` (its styles, page
    layout and Appendix 1 table properties), with core properties `props` (a writer.DocProps), reproducibly.
    A missing or damaged template is a RegdocError naming it (`display`)."""
    from regdoc.documents.wordml import finish
    from regdoc.documents.writer import _save, open_template, reproducible_zip

    doc = open_template(template if isinstance(template, bytes) else Path(template), display).docx
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
        widths = [int(total * w / sum(DEFAULT_WIDTHS_MM)) for w in DEFAULT_WIDTHS_MM]
    if tbl_pr is None:
        tbl_pr = _default_tbl_pr(writer)
    block: Block
    for block in redline.appendix:
        add(writer.paragraph(block) if isinstance(block, Para) else writer.table(block, tbl_pr, widths))
    xml = finish(doc, props, track_revisions=True)
    return reproducible_zip(_save(doc, xml=xml))  # as python-docx saves it, the template's parts deflated once per process


def _page_break(body, final) -> None:
    """Put a page break in the paragraph just added before `final` (or at the end of `body`)."""
    from lxml import etree

    p = final.getprevious() if final is not None else body[-1]
    run = etree.SubElement(p, _qn("w:r"))
    etree.SubElement(run, _qn("w:br")).set(_qn("w:type"), "page")


def redline_job(template: bytes, job) -> bytes:
    """Return the bytes of a planned redline (a packet Job whose context holds the Redline value) on the
    template's bytes `template`."""
    return redline_docx(job.context["redline"], template, job.props, job.template)
