"""The .docx writer: docxtpl rendering in a sandbox, core properties, reproducible bytes, atomic files.

- Templates are user-editable files, so they render in an immutable Jinja sandbox with autoescape and strict
  undefined (../shared/pitfalls.md items 1, 2): a value holding `& < > " '` comes out as that text, a template
  that reaches for `__class__` is refused, a variable the context lacks is an error, never an empty string.
- Title and author are set with python-docx after rendering, never templated (pitfall 3).
- The same inputs give the same bytes: fixed zip timestamps and fixed core-property dates (the document's own
  date), no "last modified by", revision 1.
- Files are written through regdoc.files (documents.output), so a target is either the old complete file or the
  new complete file.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

from regdoc.errors import RegdocError
from regdoc.files.archives import ZIP_TIME, reproducible_zip  # noqa: F401 (ZIP_TIME: for the writer's readers)
from regdoc.i18n import _

# Folders of a data tree that regdoc reads and never writes into.
MAX_TEMPLATE_UNPACKED = 50 * 1024 * 1024  # what a template's parts may unpack to (regdoc.files.archives)
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a template file itself (read once, bounded: regdoc.files.read)
LANGUAGE_TAGS = {"kk": "kk-KZ", "ru": "ru-RU", "kk-ru": "kk-KZ"}


@dataclass(frozen=True)
class DocProps:
    """The core properties of a rendered document."""

    title: str
    author: str
    when: date  # the document's own date: creation and modification time in the properties
    lang: str  # kk | ru | kk-ru


@lru_cache(maxsize=1)
def environment():
    """Return the Jinja environment every template renders in: immutable sandbox with bounds (render.limits),
    autoescape, strict undefined."""
    from jinja2 import StrictUndefined

    from regdoc.documents.limits import Sandbox

    return Sandbox(autoescape=True, undefined=StrictUndefined)


def _template_error(exc: Exception, display: str) -> RegdocError:
    """Return the RegdocError that explains a Jinja error raised while rendering the template `display`."""
    from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

    from regdoc.documents.limits import LimitExceeded, RenderBudgetExceeded

    if isinstance(exc, LimitExceeded):  # regdoc's own bound: its message is in the interface language already
        return RegdocError(_("refused by the template sandbox: {reason} (templates may only show the values "
                             "their context provides)").format(reason=exc), display)
    if isinstance(exc, SecurityError):  # Jinja's sandbox: its message (English) quoted as it is
        return RegdocError(_("refused by the template sandbox: «{reason}» (templates may only show the values "
                             "their context provides)").format(reason=exc), display)
    if isinstance(exc, UndefinedError):
        return RegdocError(_("the template uses a value its context does not provide: «{reason}» (run `regdoc "
                             "templates check`)").format(reason=exc.message), display)
    if isinstance(exc, TemplateSyntaxError):
        near = " ".join(s.strip() for s in getattr(exc, "docx_context", ()) if s.strip())
        near = re.sub(r"\s+", " ", near)[:160]
        if near:
            return RegdocError(_("template syntax error: «{reason}» near «{near}»").format(reason=exc.message,
                                                                                         near=near), display)
        return RegdocError(_("template syntax error: «{reason}»").format(reason=exc.message), display)
    if isinstance(exc, RenderBudgetExceeded):
        return RegdocError(_("{reason}; the template loops or repeats too much (see regdoc.documents.limits)")
                           .format(reason=exc), display)
    if isinstance(exc, MemoryError):
        return RegdocError(_("rendering needed more memory than a template may take; the template loops or "
                             "repeats too much (see regdoc.documents.limits)"), display)
    if isinstance(exc, RecursionError):
        return RegdocError(_("template error: expressions nested too deep to read"), display)
    if isinstance(exc, OverflowError) and "sandbox" in str(exc):
        return RegdocError(_("refused by the template sandbox: «{reason}»").format(reason=exc), display)
    return RegdocError(_("template error: {kind}: «{reason}»").format(kind=type(exc).__name__, reason=exc), display)


def read_template(template: Path, display: Optional[str] = None, root: Path | str | None = None):
    """Return the bytes of the template file `template` and their digest (a regdoc.files.read.Source): read once,
    a regular file (inside the data tree `root` when given) of at most MAX_TEMPLATE_BYTES."""
    from regdoc.files.read import read_bounded

    display = display or str(template)
    if not os.path.lexists(template):
        raise RegdocError(_("template not found"), display)
    return read_bounded(root, template, MAX_TEMPLATE_BYTES, display)


def open_template(template: Path | bytes, display: Optional[str] = None):
    """Return a DocxTemplate for `template` (a file, or the bytes read from one); raise RegdocError when it is
    missing or not a .docx file."""
    from regdoc.files.archives import check_package

    display = display or str(template)
    data = template if isinstance(template, bytes) else read_template(Path(template), display).data
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RegdocError(_("not a .docx file (not a zip archive)"), display)
    check_package(io.BytesIO(data), display, ".docx template", MAX_TEMPLATE_UNPACKED)
    tpl = _template_class()(io.BytesIO(data))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise RegdocError(_("cannot open as a Word document: {kind}: «{reason}»").format(
            kind=type(exc).__name__, reason=exc), display) from None
    return tpl


_EMPTY_BODY = "<w:body/>"
_XMLNS = re.compile(r'\s+xmlns(?::[\w.-]+)?="[^"]*"')


@lru_cache(maxsize=None)
def _template_class():
    """DocxTemplate whose rendered body becomes the document by one parse instead of lxml's move of every node.

    docxtpl (0.20, `DocxTemplate.map_tree`) parses the rendered body on its own and puts it in place with
    `root.replace(body, tree)`: lxml then moves the body into the document node by node, fixing every node's
    namespace references, which grows faster than the body (1.3 s for 2 000 organisations, 19.9 s for 10 000).
    Here the document is written out once with the rendered body in place of the old one and parsed once: the
    same elements, namespace declarations and bytes on saving (the body's own declarations that repeat the
    document's are dropped, as lxml drops them when it moves a subtree).
    """
    from docx.oxml.parser import element_class_lookup
    from docxtpl import DocxTemplate
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
    parser.set_element_class_lookup(element_class_lookup)

    class Template(DocxTemplate):
        def map_tree(self, tree):
            document = self.docx
            root = document.element
            body = root.body
            if tree.getparent() is not None or tree.tag != body.tag or any(
                    root.nsmap.get(prefix) != uri for prefix, uri in tree.nsmap.items()):
                return super().map_tree(tree)
            marker = etree.Element(body.tag)
            root.replace(body, marker)
            text = etree.tostring(root, encoding="unicode")
            rendered = etree.tostring(tree, encoding="unicode")
            end = rendered.find(">") + 1
            if text.count(_EMPTY_BODY) != 1 or not rendered.startswith("<w:body") or rendered[end - 2] == "/":
                root.replace(marker, body)
                return super().map_tree(tree)
            head, _found, tail = text.partition(_EMPTY_BODY)
            opening = _XMLNS.sub("", rendered[:end])  # every one repeats the document's declaration
            new_root = etree.fromstring(head + opening + rendered[end:] + tail, parser)
            document._element = new_root
            document._part._element = new_root
            document._Document__body = None
            return None

    return Template


def render_docx(template: Path | bytes, context: Mapping[str, Any], props: DocProps,
                display: Optional[str] = None) -> bytes:
    """Return the bytes of `template` rendered with `context`, with core properties `props`, reproducibly."""
    from regdoc.documents.limits import budget

    display = display or str(template)
    tpl = open_template(template, display)
    failure = None
    try:
        with budget():
            tpl.render(dict(context), jinja_env=environment(), autoescape=False)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a template is user data: whatever it raises (MemoryError included), the
        failure = _template_error(exc, display)  # document is not produced
    if failure is not None:
        raise failure
    fit_tables(tpl.docx)
    set_properties(tpl.docx, props)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return reproducible_zip(buffer.getvalue())


def fit_tables(document) -> None:
    """Give every table a grid that matches its cells after column loops (`{%tc for %}`).

    docxtpl spreads the columns a loop adds evenly over the table, so a column's width no longer matches its
    cells. Here each column takes the width its cell has in the template (the row with the most cells decides),
    scaled so that the table keeps its total width; every cell then gets the width of the columns it spans.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for tbl in document.element.body.iter(qn("w:tbl")):
        grid = tbl.find(qn("w:tblGrid"))
        if grid is None:
            continue
        cols = grid.findall(qn("w:gridCol"))
        total = sum(int(c.get(qn("w:w"), "0")) for c in cols)
        rows = tbl.findall(qn("w:tr"))
        widest = max(rows, key=lambda r: len(r.findall(qn("w:tc"))), default=None)
        if widest is None or total <= 0:
            continue
        widths = []
        for tc in widest.findall(qn("w:tc")):
            tcw = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
            span = tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan"))
            if tcw is None or tcw.get(qn("w:type"), "dxa") != "dxa" or span is not None:
                widths = []
                break
            widths.append(int(tcw.get(qn("w:w"))))
        if not widths or sum(widths) <= 0:
            continue
        if len(widths) == len(cols) and all(abs(w - int(c.get(qn("w:w"), "0"))) <= 1 for w, c in zip(widths, cols)):
            continue  # no column loop changed this table
        scale = total / sum(widths)
        widths = [int(w * scale) for w in widths]
        for col in cols:
            grid.remove(col)
        for w in widths:
            col = OxmlElement("w:gridCol")
            col.set(qn("w:w"), str(w))
            grid.append(col)
        for row in rows:
            position = 0
            for tc in row.findall(qn("w:tc")):
                span_el = tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan"))
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                tcw = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
                if tcw is not None:
                    tcw.set(qn("w:w"), str(sum(widths[position:position + span])))
                    tcw.set(qn("w:type"), "dxa")
                position += span


def set_properties(document, props: DocProps) -> None:
    """Set title, author, language and fixed dates on a python-docx Document (after rendering)."""
    cp = document.core_properties
    moment = datetime(props.when.year, props.when.month, props.when.day)
    cp.title = props.title
    cp.author = props.author
    cp.last_modified_by = props.author
    cp.language = LANGUAGE_TAGS.get(props.lang, props.lang)
    cp.created = moment
    cp.modified = moment
    cp.last_printed = moment
    cp.revision = 1
    cp.comments = ""
    cp.keywords = ""
    cp.subject = ""


def mark_not_for_signature(data: bytes, lang: str, words: Optional[str] = None) -> bytes:
    """Return the .docx `data` with a first paragraph, bold and red, saying it is not for signature (in `lang`:
    kk, ru, or kk-ru for both, Kazakh first), or saying `words` when given, and the same words as the document's
    subject; reproducibly."""
    from docx import Document
    from docx.shared import RGBColor

    from regdoc.phrasing import for_lang

    if words is None:
        words = " / ".join(for_lang(code).not_for_signature() for code in (("kk", "ru") if "-" in lang else (lang,)))
    document = Document(io.BytesIO(data))
    first = document.paragraphs[0] if document.paragraphs else None
    paragraph = first.insert_paragraph_before() if first is not None else document.add_paragraph()
    run = paragraph.add_run(words)
    run.bold = True
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    document.core_properties.subject = words
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()
