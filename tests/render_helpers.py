"""Helpers of the render tests: read a .docx back as text, compare word sequences, make small templates."""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

_LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t\u00a0]*\n\s*(?=\w)")


def block_texts(path: Path) -> list[str]:
    """Return the text of every body paragraph, table cell paragraphs included, in document order (tabs kept)."""
    body = Document(str(path)).element.body
    out = []
    for p in body.iter(qn("w:p")):
        parts = []
        for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            parts.append(node.text or "" if node.tag == qn("w:t") else ("\t" if node.tag == qn("w:tab") else "\n"))
        out.append("".join(parts))
    return out


def body_text(path: Path) -> str:
    """Return the body text of a .docx, one paragraph a line."""
    return "\n".join(block_texts(path))


def words(text: str) -> list[str]:
    """Return the words of `text` with punctuation kept; line breaks and spacing (no-break spaces too) ignored,
    a hyphen at a line end inside a compound («әлеуметтік-/экономикалық») joined without a space."""
    return _LINE_END_HYPHEN.sub("-", text).split()


def make_template(path: Path, paragraphs: list[str] | list[list[str]]) -> Path:
    """Write a .docx whose paragraphs hold the given texts (a list of strings is one paragraph of several runs)."""
    doc = Document()
    for para in paragraphs:
        p = doc.add_paragraph()
        for run in ([para] if isinstance(para, str) else para):
            p.add_run(run)
    doc.save(str(path))
    return path
