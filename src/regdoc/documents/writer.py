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
    finish(tpl.docx, props)
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

    tbl_tag, grid_tag, col_tag, tr_tag, tc_tag = qn("w:tbl"), qn("w:tblGrid"), qn("w:gridCol"), qn("w:tr"), qn("w:tc")
    w_w, w_type, w_val = qn("w:w"), qn("w:type"), qn("w:val")
    tcw_path, span_path = qn("w:tcPr") + "/" + qn("w:tcW"), qn("w:tcPr") + "/" + qn("w:gridSpan")
    for tbl in document.element.body.iter(tbl_tag):
        grid = tbl.find(grid_tag)
        if grid is None:
            continue
        cols = grid.findall(col_tag)
        total = sum(int(c.get(w_w, "0")) for c in cols)
        rows = tbl.findall(tr_tag)
        widest = max(rows, key=lambda r: len(r.findall(tc_tag)), default=None)
        if widest is None or total <= 0:
            continue
        widths = []
        for tc in widest.findall(tc_tag):
            tcw = tc.find(tcw_path)
            span = tc.find(span_path)
            if tcw is None or tcw.get(w_type, "dxa") != "dxa" or span is not None:
                widths = []
                break
            widths.append(int(tcw.get(w_w)))
        if not widths or sum(widths) <= 0:
            continue
        if len(widths) == len(cols) and all(abs(w - int(c.get(w_w, "0"))) <= 1 for w, c in zip(widths, cols)):
            continue  # no column loop changed this table
        scale = total / sum(widths)
        widths = [int(w * scale) for w in widths]
        for col in cols:
            grid.remove(col)
        for w in widths:
            col = OxmlElement("w:gridCol")
            col.set(w_w, str(w))
            grid.append(col)
        for row in rows:
            position = 0
            for tc in row.findall(tc_tag):
                span_el = tc.find(span_path)
                span = int(span_el.get(w_val)) if span_el is not None else 1
                tcw = tc.find(tcw_path)
                if tcw is not None:
                    tcw.set(w_w, str(sum(widths[position:position + span])))
                    tcw.set(w_type, "dxa")
                position += span


def set_properties(document, props: DocProps) -> None:
    """Set title, author, language and fixed dates on a python-docx Document (after rendering)."""
    from regdoc.phrasing.common import NBHYPHEN, NBSP

    cp = document.core_properties
    moment = datetime(props.when.year, props.when.month, props.when.day)
    # the properties are searched, never printed: their text without the typography's no-break characters
    cp.title = props.title.replace(NBSP, " ").replace(NBHYPHEN, "-")
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


# ----- Word's own structure: languages, application, compatibility, document id, tracking -------------------

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
WORD_URI = "http://schemas.microsoft.com/office/word"
COMPATIBILITY_MODE = "15"  # Word 2013 and later: no «[Compatibility Mode]» in the title bar
APP_XML = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           "<Application>regdoc</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
           "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
           "<HyperlinksChanged>false</HyperlinksChanged></Properties>").encode("utf-8")
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
# the children of w:settings from w:trackRevisions on, in the schema's order (CT_Settings, as python-docx lists it)
SETTINGS_ORDER = (
    "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting", "w:documentProtection",
    "w:autoFormatOverride", "w:styleLockTheme", "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope", "w:summaryLength",
    "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders", "w:bookFoldRevPrinting",
    "w:bookFoldPrinting", "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery", "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin", "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData", "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
    "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent", "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr",
    "w:compat", "w:docVars", "w:rsids", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
    "w:listSeparator",
)


def finish(document, props: DocProps, track_revisions: bool = False) -> None:
    """Give a rendered python-docx Document its properties and Word's own structure: core properties
    (set_properties), every run tagged with its language (tag_languages), docProps/app.xml naming regdoc with no
    stale counts, compatibility mode of Word 2013, a document id derived from the content (so the bytes stay
    reproducible) and, for a redline, track changes on (a reviewer's own edits are tracked too)."""
    set_properties(document, props)
    tag_languages(document, props.lang)
    _app_properties(document)
    settings = document.settings.element
    _compatibility(settings)
    if track_revisions:
        _setting(settings, "w:trackRevisions")
    _doc_id(document, settings, props)


def _language_of_cells(document, lang: str):
    """Yield (run, language tag) for every run of the body, headers and footers: in the two-column bilingual
    document (`lang` kk-ru) the runs of a two-cell row's second cell are Russian, all others Kazakh."""
    from docx.oxml.ns import qn

    default = LANGUAGE_TAGS.get(lang, lang)
    roots = [document.element.body] + [rel.target_part.element for rel in document.part.rels.values()
                                       if rel.reltype.endswith(("/header", "/footer"))]
    for root in roots:
        if lang == "kk-ru":
            russian = []  # the runs themselves are kept (an lxml proxy's id() is only stable while it lives)
            for tr in root.iter(qn("w:tr")):
                cells = tr.findall(qn("w:tc"))
                if len(cells) == 2:
                    russian += cells[1].iter(qn("w:r"))
            second = set(russian)
            for run in root.iter(qn("w:r")):
                yield run, LANGUAGE_TAGS["ru"] if run in second else LANGUAGE_TAGS["kk"]
        else:
            for run in root.iter(qn("w:r")):
                yield run, default


def tag_languages(document, lang: str) -> None:
    """Tag every run with its language (w:lang kk-KZ or ru-RU), for Word's spelling and hyphenation."""
    from docx.oxml.ns import nsmap, qn
    from docx.oxml.parser import oxml_parser

    # the elements python-docx's OxmlElement("w:rPr") and OxmlElement("w:lang") make, without its parsing of
    # the prefixed tag for each of thousands of runs
    make = oxml_parser.makeelement
    w_rpr, w_lang, w_val, w_ns = qn("w:rPr"), qn("w:lang"), qn("w:val"), {"w": nsmap["w"]}
    after = {qn(t) for t in _RPR_AFTER_LANG}
    for run, tag in list(_language_of_cells(document, lang)):
        rpr = run.find(w_rpr)
        if rpr is None:
            rpr = make(w_rpr, attrib=None, nsmap=w_ns)
            run.insert(0, rpr)
        el = rpr.find(w_lang)
        if el is None:
            el = make(w_lang, attrib=None, nsmap=w_ns)
            later = next((child for child in rpr if child.tag in after), None)
            if later is not None:
                later.addprevious(el)
            else:
                rpr.append(el)
        el.set(w_val, tag)


def _app_properties(document) -> None:
    """Replace docProps/app.xml (python-docx's default names «Microsoft Macintosh Word» 14 and counts one page)
    by one that names regdoc and holds no page, word or character counts (Word computes them when it opens)."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_XML


def _setting(settings, tag: str):
    """Return the child `tag` of w:settings, added in its place in the schema's order when missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = settings.find(qn(tag))
    if found is None:
        sequence = list(SETTINGS_ORDER)
        found = OxmlElement(tag)
        settings.insert_element_before(found, *sequence[sequence.index(tag) + 1:])
    return found


def _compatibility(settings) -> None:
    """Set the compatibility mode to Word 2013 (15)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    compat = _setting(settings, "w:compat")
    for item in compat.findall(qn("w:compatSetting")):
        if item.get(qn("w:name")) == "compatibilityMode" and item.get(qn("w:uri")) == WORD_URI:
            item.set(qn("w:val"), COMPATIBILITY_MODE)
            return
    item = OxmlElement("w:compatSetting")
    item.set(qn("w:name"), "compatibilityMode")
    item.set(qn("w:uri"), WORD_URI)
    item.set(qn("w:val"), COMPATIBILITY_MODE)
    compat.append(item)


def _doc_id(document, settings, props: DocProps) -> None:
    """Set w14:docId to a number derived from the document's text and properties: two documents differ in it,
    the same document built again has the same one."""
    from lxml import etree

    digest = hashlib.sha256(etree.tostring(document.element) + repr(props).encode("utf-8")).digest()
    value = f"{int.from_bytes(digest[:4], 'big') & 0x7FFFFFFF:08X}"
    tag = f"{{{W14}}}docId"
    el = settings.find(tag)
    if el is None:
        el = etree.SubElement(settings, tag)
    el.set(f"{{{W14}}}val", value)


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
    tag_languages(document, lang)
    document.core_properties.subject = words
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()
