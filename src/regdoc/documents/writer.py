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
_LISTING = "\t\a\n\f"  # the characters docxtpl's resolve_listing turns into Word's markup
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # a paragraph as resolve_listing finds it
_XMLNS = re.compile(r'\s+xmlns(?::[\w.-]+)?="[^"]*"')


@lru_cache(maxsize=None)
def _template_class():
    """DocxTemplate whose rendered body becomes the document by one parse instead of lxml's move of every node.

    docxtpl (0.20, `DocxTemplate.map_tree`) parses the rendered body on its own and puts it in place with
    `root.replace(body, tree)`: lxml then moves the body into the document node by node, fixing every node's
    namespace references, which grows faster than the body (1.3 s for 2 000 organisations, 19.9 s for 10 000).
    Here the document is written out once with the rendered body in place of the old one and parsed once: the
    same elements, namespace declarations and bytes on saving (the body's own declarations that repeat the
    document's are dropped, as lxml drops them when it moves a subtree). A well-formed body is parsed so in
    fix_tables already (_whole_document), where docxtpl parses it on its own: one tree, not two; map_tree then only
    puts that document in place, and its own way (the parse after the body was put apart) is for a body docxtpl's
    recovering parser had to repair. tests/test_render_writer.py compares the bytes with docxtpl's own methods.
    """
    from docx.oxml.ns import nsmap
    from docx.oxml.parser import element_class_lookup
    from docxtpl import DocxTemplate
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
    parser.set_element_class_lookup(element_class_lookup)

    class Template(DocxTemplate):
        def resolve_listing(self, xml):
            # docxtpl turns a tab, newline, \a or \f in a text into Word's markup with three nested regular
            # expression passes over every paragraph and run (3.5 s for 2 000 organisations); a paragraph without
            # any of them comes out unchanged, so only the paragraphs that hold one go through docxtpl's passes
            if not any(char in xml for char in _LISTING):
                return xml
            resolve = super().resolve_listing
            return _PARAGRAPH.sub(lambda m: resolve(m.group(0)) if any(c in m.group(0) for c in _LISTING)
                                  else m.group(0), xml)

        def fix_tables(self, xml):
            # docxtpl parses the rendered body on its own (recovering from broken XML) to fix its tables' grids,
            # and map_tree then puts that tree in the document; a well-formed body is parsed here in its place in
            # the whole document at once (one tree instead of two: 0.9 GB each for 10 000 organisations) and the
            # grids are fixed in it by docxtpl's own rules (_fix_grids)
            self._whole = _whole_document(self.docx.element, xml, element_class_lookup,
                                          self.__dict__.get("run_language"))
            if self._whole is None:
                return super().fix_tables(xml)
            body = self._whole.body
            _fix_grids(body)
            return body

        def fix_docpr_ids(self, tree):
            if self.__dict__.get("_whole") is None:
                return super().fix_docpr_ids(tree)
            for elt in etree.XPath("descendant::wp:docPr", namespaces=nsmap)(tree):  # the body's, as docxtpl's
                self.docx_ids_index += 1
                elt.attrib["id"] = str(self.docx_ids_index)

        def map_tree(self, tree):
            document = self.docx
            if self.__dict__.get("_whole") is not None and tree.getparent() is self._whole:
                document._element = self._whole
                document._part._element = self._whole
                document._Document__body = None
                self._whole = None
                return None
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


_DECLARATION = re.compile(r'\sxmlns(?::([\w.-]+))?="([^"]*)"')
_FEED = 1 << 20  # characters of the rendered body given to the parser at a time (no copy of the whole)


def _whole_document(root, xml: str, lookup, language: Optional[str] = None):
    """Return the document element `root` (python-docx's) with its body replaced by the rendered body `xml`, parsed
    once as a whole; None when `xml` is not a well-formed body whose namespace declarations repeat the document's
    (then docxtpl's own path is taken). The body's declarations are dropped, as lxml drops them when it moves a
    subtree into the document.

    With `language` (the language tag of every run of a one-language document), each run written `<w:r>` without
    properties gets, in the text, the properties tag_languages would give it (`<w:rPr><w:lang w:val=".."/></w:rPr>`
    as its first child): where the text has no comment, CDATA section or processing instruction, `<w:r>` can only be
    such a run's start tag, and a run whose properties are not its first child (the only one tag_languages would
    treat otherwise) shows as a run with two w:rPr, which sends the text to be parsed again as it was."""
    from lxml import etree

    body = root.body
    end = xml.find(">") + 1
    if body is None or not xml.startswith("<w:body") or xml[7:8] not in (" ", ">") or end == 0 \
            or xml[end - 2] == "/":
        return None
    if any(root.nsmap.get(prefix or None) != uri for prefix, uri in _DECLARATION.findall(xml[:end])):
        return None
    marker = etree.Element(body.tag)
    root.replace(body, marker)
    try:
        text = etree.tostring(root, encoding="unicode")
    finally:
        root.replace(marker, body)
    if text.count(_EMPTY_BODY) != 1:
        return None
    head, _found, tail = text.partition(_EMPTY_BODY)
    if language is not None and _LANGUAGE_TAG.fullmatch(language) and root.nsmap.get("w") == W_NS \
            and not any(mark in xml for mark in ("<!--", "<![CDATA[", "<?")):
        properties = f'<w:r><w:rPr><w:lang w:val="{language}"/></w:rPr>'
        whole = _parse_whole(head, _XMLNS.sub("", xml[:end]), xml, end, tail, lookup,
                             lambda piece: _BARE_RUN.sub(properties, piece))
        if whole is None or not _two_properties(whole):
            return whole
    return _parse_whole(head, _XMLNS.sub("", xml[:end]), xml, end, tail, lookup)


_BARE_RUN = re.compile(r"<w:r>(?!<w:rPr[\s/>])")  # a run's start tag not followed by its properties
_LANGUAGE_TAG = re.compile(r"[A-Za-z0-9-]+")


def _two_properties(element) -> bool:
    """Return whether a run under `element` has two w:rPr."""
    from lxml import etree

    return etree.XPath("boolean(descendant::w:r[w:rPr[2]])", namespaces={"w": W_NS})(element)


def _parse_whole(head: str, opening: str, xml: str, end: int, tail: str, lookup, transform=None):
    """Return the document parsed from `head`, `opening`, `xml` after its opening tag (from `end`) and `tail`, given
    to the parser piece by piece, each piece of `xml` changed by `transform` when given; None when it is not
    well-formed. For `transform`, a piece of `xml` ends before a `<` that does not follow `<w:r>`: a run's start
    tag stays in one piece with the tag after it."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
    parser.set_element_class_lookup(lookup)
    try:
        parser.feed(head)
        parser.feed(opening)
        start = end
        while start < len(xml):
            stop = start + _FEED
            if transform is not None and stop < len(xml):
                stop = xml.find("<", stop)
                while stop != -1 and xml.endswith("<w:r>", 0, stop):
                    stop = xml.find("<", stop + 1)
                if stop == -1:
                    stop = len(xml)
            piece = xml[start:stop]
            parser.feed(piece if transform is None else transform(piece))
            start = stop
        parser.feed(tail)
        return parser.close()
    except etree.XMLSyntaxError:
        return None


def _fix_grids(body) -> None:
    """Fix the grid of every table of `body` after docxtpl's column loops, by docxtpl's own rules
    (DocxTemplate.fix_tables of docxtpl 0.20, on an element of the document rather than a tree of its own; child
    lookups through iterchildren rather than lxml's ElementPath)."""
    from lxml import etree

    ns = "{" + body.nsmap["w"] + "}"
    TBL_GRID, GRID_COL, TR, TC, TC_PR, GRID_SPAN, W, VAL = (ns + t for t in (
        "tblGrid", "gridCol", "tr", "tc", "tcPr", "gridSpan", "w", "val"))
    count_cells = etree.XPath("count(w:tc)", namespaces={"w": ns[1:-1]})  # no element object made per cell
    for t in body.iter(ns + "tbl"):
        tblGrid = t.find(TBL_GRID)
        columns = tblGrid.findall(GRID_COL)
        counts = [int(count_cells(r)) for r in t.iter(TR)]
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
        if next(t.iter(GRID_SPAN), None) is None:  # no cell spans columns: a row spans as many as it has cells
            cells_len_max = max(counts, default=0)
        for r in t.iter(TR) if cells_len_max == 0 else ():
            cells_len = 0
            for cell in r.iterchildren(TC):
                tc_pr = next(cell.iterchildren(TC_PR), None)
                grid_span = None if tc_pr is None else next(tc_pr.iterchildren(GRID_SPAN), None)
                cells_len += int(grid_span.get(VAL)) if grid_span is not None else 1
            cells_len_max = max(cells_len_max, cells_len)
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


def render_docx(template: Path | bytes, context: Mapping[str, Any], props: DocProps,
                display: Optional[str] = None) -> bytes:
    """Return the bytes of `template` rendered with `context`, with core properties `props`, reproducibly."""
    from regdoc.documents.limits import budget

    display = display or str(template)
    tpl = open_template(template, display)
    failure = None
    try:
        with budget():
            # the runs of a one-language document are tagged with it as the body is parsed (_whole_document)
            tpl.run_language = None if props.lang == "kk-ru" else LANGUAGE_TAGS.get(props.lang, props.lang)
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
    from lxml import etree

    TBL, GRID, GRID_COL, TR, TC, W, TYPE, VAL = (qn(t) for t in ("w:tbl", "w:tblGrid", "w:gridCol", "w:tr", "w:tc",
                                                                "w:w", "w:type", "w:val"))
    TC_PR, TC_W, SPAN = qn("w:tcPr"), qn("w:tcW"), qn("w:gridSpan")

    def cell_properties(tc):  # (w:tcW, w:gridSpan) of the cell, None when missing (lxml's find, a Python
        props = next(tc.iterchildren(TC_PR), None)  # ElementPath, costs a microsecond or two per call here)
        if props is None:
            return None, None
        return next(props.iterchildren(TC_W), None), next(props.iterchildren(SPAN), None)

    namespaces = {"w": qn("w:tc")[1:].partition("}")[0]}
    count_cells = etree.XPath("count(w:tc)", namespaces=namespaces)  # XPath: no element object made per cell
    cell_widths = etree.XPath("w:tc/w:tcPr[1]/w:tcW[1]", namespaces=namespaces)  # each cell's, as cell_properties
    for tbl in document.element.body.iter(TBL):
        grid = tbl.find(GRID)
        if grid is None:
            continue
        cols = grid.findall(GRID_COL)
        total = sum(int(c.get(W, "0")) for c in cols)
        rows = tbl.findall(TR)
        counts = [int(count_cells(r)) for r in rows]
        widest = rows[counts.index(max(counts))] if rows else None  # the first row with the most cells
        if widest is None or total <= 0:
            continue
        widths = []
        for tc in widest.findall(TC):
            tcw, span = cell_properties(tc)
            if tcw is None or tcw.get(TYPE, "dxa") != "dxa" or span is not None:
                widths = []
                break
            widths.append(int(tcw.get(W)))
        if not widths or sum(widths) <= 0:
            continue
        if len(widths) == len(cols) and all(abs(w - int(c.get(W, "0"))) <= 1 for w, c in zip(widths, cols)):
            continue  # no column loop changed this table
        scale = total / sum(widths)
        widths = [int(w * scale) for w in widths]
        for col in cols:
            grid.remove(col)
        for w in widths:
            col = OxmlElement("w:gridCol")
            col.set(W, str(w))
            grid.append(col)
        texts = {}  # the width text of each (position, span): the same for every row
        spans = next(tbl.iter(SPAN), None) is not None
        for row, cells in zip(rows, counts):
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
                tcw, span_el = cell_properties(tc)
                span = int(span_el.get(VAL)) if span_el is not None else 1
                if tcw is not None:
                    text = texts.get((position, span))
                    if text is None:
                        text = texts[position, span] = str(sum(widths[position:position + span]))
                    tcw.set(W, text)
                    tcw.set(TYPE, "dxa")
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
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
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


def _run_roots(document) -> list:
    """Return the elements whose runs are tagged with their language: the body, then each header and footer."""
    return [document.element.body] + [rel.target_part.element for rel in document.part.rels.values()
                                      if rel.reltype.endswith(("/header", "/footer"))]


def _language_of_cells(document, lang: str):
    """Yield (run, language tag) for every run of the body, headers and footers: in the two-column bilingual
    document (`lang` kk-ru) the runs of a two-cell row's second cell are Russian, all others Kazakh."""
    from docx.oxml.ns import qn

    default = LANGUAGE_TAGS.get(lang, lang)
    for root in _run_roots(document):
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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from lxml import etree

    RPR, LANG, VAL = qn("w:rPr"), qn("w:lang"), qn("w:val")
    after = {qn(t) for t in _RPR_AFTER_LANG}
    new_rpr = {}  # language tag -> the w:rPr holding only its w:lang, copied into each run that has no w:rPr

    def tag_run(run, tag: str) -> None:
        rpr = next(run.iterchildren(RPR), None)
        if rpr is None:
            run.insert(0, model(tag).__copy__())  # lxml's copy of an element is a deep copy
        else:
            tag_properties(rpr, tag)

    def model(tag: str):
        found = new_rpr.get(tag)
        if found is None:
            found = new_rpr[tag] = OxmlElement("w:rPr")
            el = OxmlElement("w:lang")
            found.append(el)
            el.set(VAL, tag)
        return found

    def tag_properties(rpr, tag: str) -> None:
        el = next(rpr.iterchildren(LANG), None)
        if el is None:
            el = OxmlElement("w:lang")
            later = next((child for child in rpr if child.tag in after), None)
            if later is not None:
                later.addprevious(el)
            else:
                rpr.append(el)
        el.set(VAL, tag)

    if lang == "kk-ru":  # the language of a run depends on its cell
        for run, tag in list(_language_of_cells(document, lang)):
            tag_run(run, tag)
        return
    # one language: the runs without properties and the first properties of the others, each found by one XPath
    # (no element object made for every run), tagged as tag_run tags them
    tag = LANGUAGE_TAGS.get(lang, lang)
    namespaces = {"w": RPR[1:].partition("}")[0]}
    # (descendant:: rather than .//, which libxml2 evaluates through a set of every node: twice as slow)
    bare = etree.XPath("descendant::w:r[not(w:rPr)]", namespaces=namespaces)
    untagged = etree.XPath("descendant::w:r/w:rPr[1][not(w:lang)]", namespaces=namespaces)
    other = etree.XPath("descendant::w:r/w:rPr[1]/w:lang[1][not(@w:val = $tag)]", namespaces=namespaces)
    for root in _run_roots(document):
        runs, rprs, langs = bare(root), untagged(root), other(root, tag=tag)  # those the tag changes
        copy = model(tag).__copy__
        for run in runs:
            run.insert(0, copy())
        for rpr in rprs:
            tag_properties(rpr, tag)
        for el in langs:
            el.set(VAL, tag)


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
