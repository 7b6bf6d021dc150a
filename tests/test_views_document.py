"""regdoc.views.document: a .docx as the blocks a page shows, in the document's order."""
from __future__ import annotations

import io

from regdoc.views.document import Block, blocks


def test_paragraphs_and_tables_in_order_with_their_form():
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = Document()
    d.add_heading("Қаулы", level=1)
    p = d.add_paragraph()
    p.add_run("Бекітілсін").bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("20.02.2026 ж.\t№ 9, 7-т.")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(1, 0).text, t.cell(1, 1).text = "a", "b", "<c & d>", ""
    d.add_paragraph("Соңы.").alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    out = io.BytesIO()
    d.save(out)
    got = blocks(out.getvalue())
    assert got[0].heading and got[0].text == "Қаулы"
    assert got[1] == Block("p", "Бекітілсін", "center", True, False)
    assert got[2].text == "20.02.2026 ж.\t№ 9, 7-т." and not got[2].bold
    assert got[3] == Block("table", rows=(("a", "b"), ("<c & d>", "")))
    assert got[4].align == "both"
