"""Helpers of the render tests: read a .docx back as text, compare word sequences, make small templates."""
from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

_LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t\u00a0]*\n\s*(?=\w)")


# Two runs of a paragraph written in ways the language tagging must treat as Word does: a run without properties
# beside one with empty ones, properties after a tab, a line break before them, a comment holding «<w:r>», and a
# property that must stay after w:lang (the writers' tests compare their bytes with docxtpl's own and the tree path's)
ODD_RUNS = [
    '<w:r><w:t>{{ a }}</w:t></w:r><w:r><w:rPr/><w:t>{{ b }}</w:t></w:r>',
    '<w:r><w:tab/><w:rPr><w:b/></w:rPr><w:t>{{ a }}</w:t></w:r><w:r><w:t>{{ b }}</w:t></w:r>',
    '<w:r>\n<w:rPr><w:b/></w:rPr><w:t>{{ a }}</w:t></w:r><w:r><w:t>{{ b }}</w:t></w:r>',
    '<w:r><w:rPr><w:lang w:val="en-US"/></w:rPr><w:t>{{ a }}</w:t></w:r><!-- <w:r> --><w:r><w:t>{{ b }}</w:t></w:r>',
    '<w:r w:rsidR="00AB"><w:t>{{ a }}</w:t></w:r><w:r><w:rPr><w:eastAsianLayout w:id="1"/></w:rPr><w:t>{{ b }}</w:t></w:r>',
]


def plain(value):
    """Return a text (or the strings of a context: dicts, lists, tuples) as it reads, the typography's no-break
    space (U+00A0) and no-break hyphen (U+2011) shown as the space and hyphen they print as."""
    if isinstance(value, str):
        return value.replace("\u00a0", " ").replace("\u2011", "-")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    return value


def plain_document(source):
    """Return the python-docx Document of `source` (a path, or the bytes of a .docx) with its text as it reads
    (`plain`): the tests of content compare words, the typography has its own tests (test_render_structure)."""
    import io

    if isinstance(source, bytes):
        source = io.BytesIO(source)
    doc = Document(source if hasattr(source, "read") else str(source))
    for part in [doc.part] + [rel.target_part for rel in doc.part.rels.values()
                              if rel.reltype.endswith(("/header", "/footer"))]:
        for node in part.element.iter(qn("w:t"), qn("w:delText")):
            if node.text:
                node.text = plain(node.text)
    return doc


def block_texts(path: Path, raw: bool = False) -> list[str]:
    """Return the text of every body paragraph, table cell paragraphs included, in document order (tabs kept), as
    it reads (`plain`: no-break spaces and hyphens as spaces and hyphens); `raw` keeps every character as is."""
    body = Document(str(path)).element.body
    out = []
    for p in body.iter(qn("w:p")):
        parts = []
        for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            parts.append(node.text or "" if node.tag == qn("w:t") else ("\t" if node.tag == qn("w:tab") else "\n"))
        out.append("".join(parts) if raw else plain("".join(parts)))
    return out


def body_text(path: Path, raw: bool = False) -> str:
    """Return the body text of a .docx, one paragraph a line (as `block_texts`)."""
    return "\n".join(block_texts(path, raw))


def words(text: str) -> list[str]:
    """Return the words of `text` with punctuation kept; line breaks and spacing (no-break spaces too) ignored,
    a hyphen at a line end inside a compound («әлеуметтік-/экономикалық») joined without a space."""
    return _LINE_END_HYPHEN.sub("-", text).split()


_TEMPLATES: dict[tuple, bytes] = {}


def docx_bytes(paragraphs: list[str] | list[list[str]]) -> bytes:
    """Return a .docx whose paragraphs hold the given texts (a list of strings is one paragraph of several runs).
    Each is made once per test process (python-docx's default document, whose styles are some 350 kB, opened and
    saved: ~30 ms); the same file each time but for its zip entries' times."""
    key = tuple(para if isinstance(para, str) else tuple(para) for para in paragraphs)
    if key not in _TEMPLATES:
        doc = Document()
        for para in paragraphs:
            p = doc.add_paragraph()
            for run in ([para] if isinstance(para, str) else para):
                p.add_run(run)
        buffer = io.BytesIO()
        doc.save(buffer)
        _TEMPLATES[key] = buffer.getvalue()
    return _TEMPLATES[key]


def make_template(path: Path, paragraphs: list[str] | list[list[str]]) -> Path:
    """Write docx_bytes(paragraphs) to `path`."""
    path.write_bytes(docx_bytes(paragraphs))
    return path
