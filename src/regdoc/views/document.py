"""A rendered .docx as the blocks a page shows: its paragraphs and tables in the order of the document, with what
a reader sees of their form (heading or body style, centred or right-aligned, bold). Made from the document's own
bytes, so the page shows what will print, not a second rendering of the data.

Pure: bytes in, blocks out (python-docx reads the document; nothing is written).
"""
from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """A paragraph (`text`, with `align` left|center|right|both and `bold` when every run with text is bold) or a
    table (`rows` of cell texts)."""

    kind: str  # 'p' | 'table'
    text: str = ""
    align: str = "left"
    bold: bool = False
    heading: bool = False
    rows: tuple[tuple[str, ...], ...] = ()


_ALIGN = {"CENTER": "center", "RIGHT": "right", "JUSTIFY": "both", "BOTH": "both", "DISTRIBUTE": "both"}


def _paragraph(p) -> Block:
    runs = [r for r in p.runs if r.text.strip()]
    bold = bool(runs) and all(r.bold or (r.bold is None and p.style is not None and p.style.font.bold) for r in runs)
    align = p.alignment if p.alignment is not None else (p.style.paragraph_format.alignment if p.style else None)
    name = p.style.name if p.style is not None else ""
    return Block("p", p.text, _ALIGN.get(getattr(align, "name", "") or "", "left"), bool(bold),
                 name.lower().startswith(("heading", "title")))


def blocks(docx: bytes) -> tuple[Block, ...]:
    """Return the paragraphs and tables of the document `docx`, in order (see Block)."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(docx))
    out = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(_paragraph(Paragraph(child, document)))
        elif tag == "tbl":
            table = Table(child, document)
            out.append(Block("table", rows=tuple(tuple(cell.text for cell in row.cells) for row in table.rows)))
    return tuple(out)
