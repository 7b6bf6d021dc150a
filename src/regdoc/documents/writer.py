"""The .docx writer: docxtpl rendering in a sandbox, core properties, reproducible bytes, atomic files.

- Templates are user-editable files, so they render in an immutable Jinja sandbox with autoescape and strict
  undefined (../shared/pitfalls.md items 1, 2): a value holding `& < > " '` comes out as that text, a template
  that reaches for `__class__` is refused, a variable the context lacks is an error, never an empty string.
- Title and author are set with python-docx after rendering, never templated (pitfall 3): documents.wordml
  (`finish`), as the language of every run and Word's own settings; the grids and widths of tables after docxtpl's
  loops are documents.tables'.
- A large body (a results table of thousands of organisations) is rendered, fixed, tagged and packed piece by piece
  (the streaming writer, _StreamedBody) where that gives the bytes the tree path gives; otherwise the tree path
  parses the whole rendered body once.
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
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

from regdoc.errors import RegdocError
from regdoc.files.archives import ZIP_TIME, reproducible_zip  # noqa: F401 (ZIP_TIME: for the writer's readers)
from regdoc.documents.tables import cell_counter, fit_rows, fit_table, fit_tables, fix_grid, fix_grids, \
    spanned_columns
from regdoc.documents.wordml import LANGUAGE_TAGS, W_NS, DocProps, Tagger, markup_declaration, finish, \
    tag_languages
from regdoc.i18n import _
from regdoc.kept import Kept

# Folders of a data tree that regdoc reads and never writes into.
MAX_TEMPLATE_UNPACKED = 50 * 1024 * 1024  # what a template's parts may unpack to (regdoc.files.archives)
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a template file itself (read once, bounded: regdoc.files.read)


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
_LISTING_CHARACTER = re.compile(f"[{_LISTING}]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # a paragraph as resolve_listing finds it
_XMLNS = re.compile(r'\s+xmlns(?::[\w.-]+)?="[^"]*"')


def _text_and_result(key, value) -> int:
    return len(key) + len(value)


# What the writer keeps per process (regdoc.kept: bounded, for the browser workspace's long run):
# a template part's text -> docxtpl's patch_xml of it;
_PATCHED = Kept(size=4 << 20, weigh=_text_and_result)
# the bytes of a styles part read before -> python-docx's serialization of their parse;
_STYLES = Kept(size=8 << 20, weigh=_text_and_result)


class _Packages:
    """The packages of the templates opened last, as python-docx's PackageReader reads them (every part's bytes,
    content type and relationships: plain values, never changed), kept by the template's bytes: opening a template
    is reading its zip (inflating every part) and then making the document's parts from what was read, and a
    packet opens the same templates again and again (each language's and year's documents, each build of a
    workspace); only the parts are made again for each document. At most `count` packages of at most `size`
    bytes of parts in all (a long-running workspace stays bounded)."""

    def __init__(self, count: int = 32, size: int = 16 << 20) -> None:
        self.kept = Kept(count, size, weigh=lambda data, reader: len(data) + sum(
            len(blob or b"") for _name, _type, _rel, blob in reader.iter_sparts()))

    def document(self, template_file):
        """Return the python-docx Document of the package `template_file` (a file-like object), as
        docx.Document(template_file) opens it."""
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.package import Unmarshaller
        from docx.opc.part import PartFactory
        from docx.opc.pkgreader import PackageReader
        from docx.package import Package

        data = template_file.getvalue() if isinstance(template_file, io.BytesIO) else None
        reader = self.kept.get(data) if data is not None else None
        if reader is None:
            reader = PackageReader.from_file(template_file)
            if data is not None:
                self.kept.keep(data, reader)
        package = Package()  # Package.open, from the reader
        Unmarshaller.unmarshal(reader, package, PartFactory)
        document_part = package.main_document_part
        if document_part.content_type != CT.WML_DOCUMENT_MAIN:
            tmpl = "file '%s' is not a Word file, content type is '%s'"
            raise ValueError(tmpl % (template_file, document_part.content_type))
        return document_part.document


_PACKAGES = _Packages()


@lru_cache(maxsize=None)
def _styles_parsed_when_used():
    """Have python-docx read a styles part (word/styles.xml) whose bytes it read before without parsing them until
    its element is used; return the part class.

    A document's styles are some 20 kB in the shipped templates and 350 kB in python-docx's default document, and
    the writer never uses them (a redline reads them): python-docx parsed them on opening each template (~10 ms
    for the 350 kB) and serialized them again on saving. An untouched element is the parse of the bytes, so its
    serialization is the one kept for those bytes; the element is parsed the first time anything asks for it,
    and from then on the part is python-docx's own. Bytes read the first time are parsed on opening, as before (a
    template whose styles are not well-formed is refused where it was), and their serialization is kept then,
    before anything can change the element."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.oxml import serialize_part_xml
    from docx.opc.part import PartFactory
    from docx.oxml.parser import parse_xml
    from docx.parts.styles import StylesPart

    class Styles(StylesPart):
        _unparsed = None  # the bytes, and their serialization, while the element is not parsed

        @classmethod
        def load(cls, partname, content_type, blob, package):
            serialized = _STYLES.get(blob) if isinstance(blob, bytes) else None
            if serialized is None:
                part = super().load(partname, content_type, blob, package)
                if isinstance(blob, bytes):
                    _STYLES.keep(blob, serialize_part_xml(part._element))
                return part
            part = cls(partname, content_type, None, package)
            part._unparsed = (blob, serialized)
            return part

        @property
        def _element(self):
            if self._unparsed is not None:
                self.__dict__["_parsed"] = parse_xml(self._unparsed[0])
                self._unparsed = None
            return self.__dict__.get("_parsed")

        @_element.setter
        def _element(self, element):
            self.__dict__["_parsed"] = element
            self._unparsed = None

        @property
        def blob(self):
            if self._unparsed is not None:
                return self._unparsed[1]
            return super().blob

    if PartFactory.part_type_for.get(CT.WML_STYLES) is StylesPart:
        PartFactory.part_type_for[CT.WML_STYLES] = Styles
    return Styles


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

    _styles_parsed_when_used()

    parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
    parser.set_element_class_lookup(element_class_lookup)

    class Template(DocxTemplate):
        def init_docx(self, reload: bool = True):
            # as docxtpl's, the template's package read once per process for its bytes (_Packages)
            if not self.docx or (self.is_rendered and reload):
                self.docx = _PACKAGES.document(self.template_file)
                self.is_rendered = False

        def patch_xml(self, src_xml):
            # docxtpl's patch_xml is some thirty regular expression passes over a part's text, a function of that
            # text alone; a packet's documents patch the same template parts again and again (a body for each
            # language and year, the same headers and footers in every document): patched once per text
            if not isinstance(src_xml, str):
                return super().patch_xml(src_xml)
            patched = _PATCHED.get(src_xml)
            if patched is None:
                patched = super().patch_xml(src_xml)
                _PATCHED.keep(src_xml, patched)
            return patched

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            # docxtpl's, whose two passes of re.sub(r"<w:p([ >])", r"\n<w:p\1") before Jinja and the reverse
            # after make a match object and expand the replacement's group in Python for every paragraph (some
            # 35 ms for a body of 11 000 paragraphs): made with str.replace (_mark, _unmark), the same text
            from jinja2 import Template
            from jinja2.exceptions import TemplateError

            src_xml = _mark(src_xml)
            try:
                self.current_rendering_part = part
                template = jinja_env.from_string(src_xml) if jinja_env else Template(src_xml)
                dst_xml = template.render(context)
            except TemplateError as exc:
                _docx_context(exc, src_xml)
                raise exc
            return _finished_text(self, dst_xml)

        def resolve_listing(self, xml):
            # docxtpl turns a tab, newline, \a or \f in a text into Word's markup with three nested regular
            # expression passes over every paragraph and run (3.5 s for 2 000 organisations); a paragraph without
            # any of them comes out unchanged, so only the paragraphs that hold one go through docxtpl's passes
            if not any(char in xml for char in _LISTING):
                return xml
            resolve, search = super().resolve_listing, _LISTING_CHARACTER.search

            def paragraph(m):  # (searched in place: no copy of a paragraph that holds none)
                return m.group(0) if search(xml, m.start(), m.end()) is None else resolve(m.group(0))

            return _PARAGRAPH.sub(paragraph, xml)

        def fix_tables(self, xml):
            # docxtpl parses the rendered body on its own (recovering from broken XML) to fix its tables' grids,
            # and map_tree then puts that tree in the document; a well-formed body is parsed here in its place in
            # the whole document at once (one tree instead of two: 0.9 GB each for 10 000 organisations) and the
            # grids are fixed in it by docxtpl's own rules (fix_grids)
            self._whole = _whole_document(self.docx.element, xml, element_class_lookup,
                                          self.__dict__.get("run_language"))
            if self._whole is None:
                return super().fix_tables(xml)
            body = self._whole.body
            fix_grids(body)
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
    body = root.body
    end = xml.find(">") + 1
    if body is None or not xml.startswith("<w:body") or xml[7:8] not in (" ", ">") or end == 0 \
            or xml[end - 2] == "/":
        return None
    if any(root.nsmap.get(prefix or None) != uri for prefix, uri in _DECLARATION.findall(xml[:end])):
        return None
    frame = _frame(root)
    if frame is None:
        return None
    head, tail = frame
    if language is not None and _LANGUAGE_TAG.fullmatch(language) and root.nsmap.get("w") == W_NS \
            and not markup_declaration(xml):
        properties = f'<w:r><w:rPr><w:lang w:val="{language}"/></w:rPr>'
        whole = _parse_whole(head, _XMLNS.sub("", xml[:end]), xml, end, tail, lookup,
                             lambda piece: _BARE_RUN.sub(properties, piece))
        if whole is None or not _two_properties(whole):
            return whole
    return _parse_whole(head, _XMLNS.sub("", xml[:end]), xml, end, tail, lookup)


def _frame(root) -> Optional[tuple[str, str]]:
    """Return the serialization of the document element `root` before and after its body (lxml's, as unicode), or
    None when that cannot be told (the text of an empty body shows twice)."""
    from lxml import etree

    body = root.body
    marker = etree.Element(body.tag)
    root.replace(body, marker)
    try:
        text = etree.tostring(root, encoding="unicode")
    finally:
        root.replace(marker, body)
    if text.count(_EMPTY_BODY) != 1:
        return None
    head, _found, tail = text.partition(_EMPTY_BODY)
    return head, tail


_BARE_RUN = re.compile(r"<w:r>(?!<w:rPr[\s/>])")  # a run's start tag not followed by its properties
_LANGUAGE_TAG = re.compile(r"[A-Za-z0-9-]+")


def _two_properties(element) -> bool:
    """Return whether a run under `element` has two w:rPr."""
    from lxml import etree

    return etree.XPath("boolean(descendant-or-self::w:r[w:rPr[2]])", namespaces={"w": W_NS})(element)


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


# ----- the streaming writer: the rendered body parsed, fixed, tagged and packed piece by piece -----------------

STREAM = True  # render_docx writes with the streaming writer where it gives the tree path's bytes
STREAM_ROWS = 32  # rows of a table kept as elements before its later rows are streamed (they decide its grid)
_STREAM_BATCH = 256  # rows of a streamed table fixed, tagged and written together
_STREAM_MIN = 1 << 21  # characters of Jinja's output from which the body is streamed (below: the tree path)
_STREAM_PIECES = 4096  # pieces of Jinja's output gathered before the text is cut and given to the parser
_STREAM_FLUSH = 1 << 20  # characters of document.xml gathered before they are packed
_PARAGRAPH_CUT = "\n<w:p"  # render_xml_part's mark before every paragraph: the text is cut only before one
_PARAGRAPH_START = re.compile(r"<w:p[ >]")
_BLANK = " \t\n"
# the namespace declarations lxml writes on the top element of a subtree it serializes (_writeNodeToBuffer: those
# of the element's own namespace and its attributes', then every ancestor's); with no declaration in the body, the
# element has none of its own and all of them go
_ROW_GAPS = re.compile(r"</w:tr>([^<]*)")
_COPIED = re.compile(r'(?: xmlns(?::[\w.-]+)?="[^"]*")+')


STREAM_FAST = True  # a streamed table's later rows written from the text by their forms (_StreamedBody.fast_row)
_FORMS = 64  # forms of rows of a body (beyond: its rows are the parser's)
_SENTINEL = "\ue000"  # a w:t's text in a row's form (a private-use character; a row holding it is parsed alone)
_BLANKS = re.compile(f"[{_BLANK}]*")
# a w:t as docxtpl writes it (patch_xml), with its text: split into [before, start tag, text, ...]
_TEXTS = re.compile(r'(<w:t(?: xml:space="preserve")?>)([^<]+)(?=</w:t>)')
# text lxml writes as it reads it: no reference, '>' (']]>' is not allowed), carriage return (read as a line feed)
# or character XML does not allow (the parser's error)
_PLAIN = re.compile("[^&>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")
_LXML_REFERENCES = re.compile(r"&(?:amp|lt|gt);")


def _as_serialized(text: str) -> Optional[str]:
    """Return the text of a w:t as lxml writes what it reads from `text` where that is known without parsing it
    (Jinja's escapes: '&amp;', '&lt;' and '&gt;' kept, quotes written as they are), else None."""
    text = text.replace("&#34;", '"').replace("&quot;", '"').replace("&#39;", "'").replace("&apos;", "'")
    if not _PLAIN.fullmatch(_LXML_REFERENCES.sub("", text)):
        return None
    return text


class _Fallback(Exception):
    """The streaming writer cannot tell that its bytes are the tree path's: the tree path writes the document."""


class _Small(Exception):
    """The rendered body is under _STREAM_MIN characters: the tree path is quicker with it (Jinja's output is
    `text`)."""

    def __init__(self, text: str):
        super().__init__("small")
        self.text = text


class _TemplateFailure(Exception):
    """An error of the template while it renders (raised by Jinja, or docxtpl's rendering of the other parts)."""

    def __init__(self, exc: BaseException):
        super().__init__(str(exc))
        self.exc = exc


class _StreamedBody:
    """The rendered body of a document, given to an lxml pull parser piece by piece and written out piece by piece
    into document.xml's compressed bytes (a finished paragraph or table, and a large table's rows a batch at a
    time, each removed from the tree once written), so neither the body's text nor its tree is ever whole.

    Each piece gets what the tree path does to the whole body (render_docx without streaming): docxtpl's grid
    fixes (fix_grid) and fit_tables' widths, docPr ids in body order, language tags (Tagger). A table keeps its
    first STREAM_ROWS rows as elements; they decide its grid and widths (docxtpl's rules look at every row: the
    most cells of a row, the most columns a row spans, the first row with the most cells), and every later row is
    checked not to change that decision (no more cells or spanned columns, no nested table, nothing but rows):
    where one would, or anything else cannot be shown to give the tree path's bytes (text between elements, an
    element declaring namespaces of its own, a comment with non-ASCII text, ...), _Fallback is raised.

    The bytes of each piece are lxml's serialization of it in the document (etree.tostring of a subtree, less the
    namespace declarations lxml copies onto its top element from the document's, checked to be exactly those);
    the document id's hash (_doc_id) is taken from their ASCII form as they are written.

    Once a table streams, its later rows are taken from the text rather than parsed with the body (fast_rows): a
    row of a form met before (its text with its w:t's texts left out) is written as the first row of that form
    was fixed, tagged and serialized, with its own texts (fast_row)."""

    def __init__(self, tpl, lang: str):
        import zlib

        from docx.oxml.ns import nsmap
        from lxml import etree

        self.tpl = tpl
        root = tpl.docx.element
        if root.body is None or root.nsmap.get("w") != W_NS:
            raise _Fallback("no body")
        frame = _frame(root)
        if frame is None:
            raise _Fallback("frame")
        self.head, self.tail = frame
        if not self.tail.startswith("</"):  # text after the body: its tail, which the text would have to match
            raise _Fallback("text after the body")
        self.root = root
        self.tagger = Tagger(lang)
        w = "{" + W_NS + "}"
        self.BODY, self.TBL, self.TR, self.SPAN, self.TBL_PR, self.TBL_GRID = (
            w + t for t in ("body", "tbl", "tr", "gridSpan", "tblPr", "tblGrid"))
        self.ns = w
        self.docpr = etree.XPath("descendant-or-self::wp:docPr", namespaces=nsmap)
        self.count_cells = cell_counter(w)
        self.parser = etree.XMLPullParser(events=("start", "end"), tag=(self.BODY, self.TBL, self.TR),
                                          resolve_entities=False, huge_tree=True)
        self.compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's
        self.compressed = io.BytesIO()
        self.crc, self.size = 0, 0
        self.digest = hashlib.sha256()
        self.out: list[str] = []
        self.out_size = 0
        self.opened = False  # the body's start tag seen and given to the parser
        self.docprs = False  # a wp:docPr in the body (else docPr ids are not looked for)
        # one language: each run without properties (`<w:r>` not followed by its w:rPr: in a body without
        # comments, CDATA sections or processing instructions, only a run's start tag) gets in the text the w:rPr
        # tag_languages would give it, as _whole_document does; a run that then has two w:rPr is the tree path's
        self.bare = None
        if lang != "kk-ru" and _LANGUAGE_TAG.fullmatch(self.tagger.default):
            self.bare = f'<w:r><w:rPr><w:lang w:val="{self.tagger.default}"/></w:rPr>'
        self.body = None  # the parsed w:body
        self.body_text = False  # its text (before its first child) written
        self.pending = None  # the body's last written child, kept until its tail is complete
        self.ended = False
        self.table = None  # the body's table being parsed
        self.rows = 0  # its rows ended
        self.streaming = False  # its later rows streamed
        self.holding = False  # kept whole (not streamed)
        self.row_pending = None  # its last written row, kept until its tail is complete
        self.batch: list = []
        self.limits = (0, 0)  # its most cells and most spanned columns, from its first rows
        self.fit = None  # (widths, texts) of fit_tables for its later rows, or None
        self.at_row_end = False  # the parser's last event: a row of the table ended
        self.fast = STREAM_FAST  # later rows may be taken from the text (fast_rows)
        self.rows_fast = False  # they are
        self.carry = ""  # the text of a row not ended yet
        self.forms: dict[str, str] = {}  # a row's form (fast_row) -> its bytes, each text a %s
        # document.xml as python-docx writes it (serialize_part_xml): the XML declaration (not in the id's hash)
        declaration = etree.tostring(etree.Element("x"), encoding="UTF-8", standalone=True)[:-len(b"<x/>")]
        self.crc, self.size = zlib.crc32(declaration), len(declaration)
        self.compressed.write(self.compressor.compress(declaration))
        self.emit(self.head)

    # -- the text -----------------------------------------------------------------------------------------

    def render(self, src: str, pieces, carry: str) -> None:
        """Go on rendering the body from Jinja's output `pieces` (the generator of the template compiled from
        `src`, docxtpl's patched body), `carry` being its output so far, as docxtpl's render_xml_part would render
        it whole and the tree path parse and fix it."""
        done = False
        while not done:
            gathered, done = _gather(pieces, src, _STREAM_PIECES)
            text = carry + "".join(gathered)
            cut = len(text) if done else _cut(text)
            carry = text[cut:]
            if cut:
                self.feed(_finished_text(self.tpl, text[:cut]))
        self.close()

    def feed(self, text: str) -> None:
        from lxml import etree

        if not self.opened:
            end = text.find(">") + 1
            if not text.startswith("<w:body") or text[7:8] not in (" ", ">") or end == 0 or text[end - 2] == "/":
                raise _Fallback("body start")
            if any(self.root.nsmap.get(prefix or None) != uri for prefix, uri in _DECLARATION.findall(text[:end])):
                raise _Fallback("body declarations")
            if _XMLNS.sub("", text[:end]) != "<w:body>":
                raise _Fallback("body attributes")
            self.opened = True
            try:
                self.parser.feed(self.head)
                self.parser.feed("<w:body>")
                self.emit("<w:body>")
            except etree.XMLSyntaxError:
                raise _Fallback("not well-formed") from None
            text = text[end:]
        if "xmlns" in text:  # an element of the body declares a namespace: serialize() could not tell
            raise _Fallback("namespace declared in the body")
        if "docPr" in text:  # (a cut, before a paragraph's mark, never cuts a name)
            self.docprs = True
        if markup_declaration(text):  # a comment, CDATA section or processing instruction ('<' is escaped
            raise _Fallback("comment in the body")  # elsewhere): the tree path's (_BARE_RUN, write_rows' cuts)
        while text:
            if self.rows_fast:  # a streamed table's rows, taken from the text
                text = self.fast_rows(text)
            elif self.streaming and self.fast and not self.docprs:
                # the parser is in a row of a streamed table: it is given the text to that row's end, and the rows
                # after it are taken from the text (fast_rows) if it ended there
                end = text.find("</w:tr>")
                if end < 0 or text.find("<w:tbl", 0, end) >= 0:
                    self.parse(text)
                    return
                end += len("</w:tr>")
                self.parse(text[:end])
                text = text[end:]
                if self.streaming and self.at_row_end:
                    if self.batch:
                        self.write_rows(last=False)
                    self.rows_fast = True
            else:
                self.parse(text)
                return

    def parse(self, text: str) -> None:
        """Give `text` to the parser (its bare runs tagged, `bared`) and act on what it has parsed."""
        from lxml import etree

        try:
            self.parser.feed(self.bared(text))
        except etree.XMLSyntaxError:
            raise _Fallback("not well-formed") from None
        self.events()

    def bared(self, text: str) -> str:
        """Return `text` (of the body, cut before a paragraph or after a row) with the runs written `<w:r>`
        without properties given those tag_languages would give them (one language; _BARE_RUN)."""
        return text if self.bare is None else _BARE_RUN.sub(self.bare, text)

    def close(self) -> None:
        from lxml import etree

        if not self.opened:
            raise _Fallback("no body")
        if self.carry:  # the text ended in a row: not well-formed (the parser says so)
            self.rows_fast, carry, self.carry = False, self.carry, ""
            self.parse(carry)
        try:
            self.parser.feed(self.tail)
            self.parser.close()
        except etree.XMLSyntaxError:
            raise _Fallback("not well-formed") from None
        self.events()
        if not self.ended or self.body.tail is not None:
            raise _Fallback("body end")
        self.emit(self.tail)
        self.flush()
        self.compressed.write(self.compressor.flush())
        if self.size * 1.05 > zipfile.ZIP64_LIMIT or self.compressed.tell() > zipfile.ZIP64_LIMIT:
            raise _Fallback("zip64")

    # -- the pieces ---------------------------------------------------------------------------------------

    def events(self) -> None:
        for event, el in self.parser.read_events():
            tag = el.tag
            self.at_row_end = False
            if tag == self.TR:
                if event == "end" and self.table is not None and el.getparent() is self.table:
                    self.row_ended(el)
                    self.at_row_end = self.table is not None
            elif tag == self.TBL:
                if self.body is not None and el.getparent() is self.body:
                    if event == "start":
                        self.write_children(el)
                        self.table, self.rows, self.streaming, self.holding = el, 0, False, False
                    else:
                        self.table_ended(el)
            elif self.body is None:  # w:body's start
                if event != "start" or el.getparent() is None or el.getparent().getparent() is not None:
                    raise _Fallback("body")
                self.body = el
            elif el is self.body:
                self.write_children(None)
                self.emit("</w:body>")
                self.ended = True

    def write_children(self, upto) -> None:
        """Write the body's children not written yet, up to `upto` (the table starting; None: to the end)."""
        body = self.body
        if not self.body_text:
            self.emit_text(body.text)
            self.body_text = True
        if self.pending is not None:
            self.emit_text(self.pending.tail)
            body.remove(self.pending)
            self.pending = None
        group = []
        el = body[0] if len(body) else None
        while el is not None and el is not upto:
            group.append(el)
            el = el.getnext()
        for el in group:
            self.fix_tables(el)
            if self.docprs:
                self.tpl.docx_ids_index = _number_docpr(self.docpr(el), self.tpl.docx_ids_index)
            if isinstance(el.tag, str):
                self.tag(el)
            self.emit(self.serialize(el))
            self.emit_text(el.tail)
            body.remove(el)

    def fix_tables(self, el) -> None:
        """Fix the grids (fix_grids) and fit (fit_tables) the tables under `el`, itself included."""
        if not isinstance(el.tag, str):
            return
        tables = list(el.iter(self.TBL))
        for t in tables:
            fix_grid(t, list(t.iter(self.TR)), next(t.iter(self.SPAN), None) is not None, self.ns)
        for t in tables:
            fit_table(t, t.findall(self.TR), next(t.iter(self.SPAN), None) is not None)

    def tag(self, el) -> None:
        """Tag the runs under `el` (tag_languages); with runs tagged in the text, a run with two w:rPr is left to
        the tree path, as _whole_document leaves it to a parse of the text as it was."""
        self.tagger.tag(el)
        if self.bare is not None and _two_properties(el):
            raise _Fallback("a run with two w:rPr")

    def row_ended(self, tr) -> None:
        self.rows += 1
        if self.streaming:
            self.batch.append(tr)
            if len(self.batch) >= _STREAM_BATCH:
                self.write_rows(last=False)
        elif not self.holding and self.rows > STREAM_ROWS:
            self.start_streaming(tr)

    def start_streaming(self, tr) -> None:
        """Decide the table's grid from its rows up to `tr`, write them and stream the rest of it, or hold the
        table whole where its first rows are not plain (a nested table, children other than rows and their
        properties, attributes or declarations of its own)."""
        table = self.table
        children = []
        el = table[0]
        while True:
            children.append(el)
            if el is tr:
                break
            el = el.getnext()
        if any(c.tag not in (self.TBL_PR, self.TBL_GRID, self.TR) for c in children) or \
                any(next(c.iter(self.TBL), None) is not None for c in children):
            self.holding = True
            return
        if table.attrib or table.prefix != "w":
            self.holding = True
            return
        rows = [c for c in children if c.tag == self.TR]
        spanned = any(next(c.iter(self.SPAN), None) is not None for c in children)
        self.limits = fix_grid(table, rows, spanned, self.ns)
        self.fit = fit_table(table, rows, spanned)
        if self.docprs:
            self.tpl.docx_ids_index = _number_docpr(self.docpr(table), self.tpl.docx_ids_index)
        self.tag(table)
        self.emit("<w:tbl>")
        self.emit_text(table.text)
        for c in children:
            self.emit(self.serialize(c))
            if c is not tr:
                self.emit_text(c.tail)
                table.remove(c)
        self.row_pending = tr
        self.streaming = True

    def write_rows(self, last: bool) -> None:
        """Check, fix, tag and write the rows of the batch (`last`: the table has ended, every tail is whole)."""
        table, batch = self.table, self.batch
        if self.row_pending is not None:
            self.emit_text(self.row_pending.tail)
            table.remove(self.row_pending)
            self.row_pending = None
        if any(table[i] is not row for i, row in enumerate(batch)) or (last and len(table) != len(batch)):
            raise _Fallback("not only rows")
        for row in batch:
            self.fix_row(row)
        self.tagger.tag_rows(batch)
        self.emit(self.serialize_rows(table, len(batch), last))
        for row in batch if last else batch[:-1]:
            table.remove(row)
        self.row_pending = None if last else batch[-1]
        batch.clear()

    def fix_row(self, row) -> None:
        """Check that the later row `row` of a streamed table leaves its grid as its first rows decided it, fit
        its cells' widths and number its docPr (the tree path's fix_grids, fit_tables and fix_docpr_ids)."""
        most_cells, most_columns = self.limits
        cells = int(self.count_cells(row))
        found = next(row.iter(self.SPAN, self.TBL), None)  # a span or a nested table
        spans = found is not None
        if cells > most_cells or (spans and (found.tag == self.TBL or next(row.iter(self.TBL), None) is not None
                                             or spanned_columns(row, self.ns) > most_columns)):
            raise _Fallback("a later row changes the grid")
        if self.fit is not None:
            fit_rows(((row, cells),), self.fit[0], self.fit[1], spans)
        if self.docprs:
            self.tpl.docx_ids_index = _number_docpr(self.docpr(row), self.tpl.docx_ids_index)

    # -- a streamed table's rows taken from the text --------------------------------------------------------

    def fast_rows(self, text: str) -> str:
        """Write the rows of the streamed table that begin `text` (after the text kept from the last call), each
        as fast_row gives it; return the text from the first thing that is not a row (the parser's again), or ""
        when it is all rows (the text of a row not ended yet kept for the next call)."""
        text = self.carry + text
        self.carry = ""
        pos, size = 0, len(text)
        out = []  # the rows' bytes and the blanks between them (lxml's, of text without comments: emit_known)
        try:
            return self._fast_rows(text, pos, size, out)
        finally:
            self.emit_known("".join(out))

    def _fast_rows(self, text: str, pos: int, size: int, out: list) -> str:
        while True:
            start = _BLANKS.match(text, pos).end()
            if text.startswith("<w:tr", start) and text[start + 5:start + 6] in (" ", ">"):
                end = text.find("</w:tr>", start)
                if end < 0:
                    break
                end += len("</w:tr>")
                row = text[start:end]
                if row.find("<w:tbl", 5) >= 0 or not self.fast or self.docprs:  # a nested table (the tree path's,
                    self.rows_fast = False  # fix_row says), rows of too many forms, a docPr: the parser's
                    return text[pos:]
                if start > pos:
                    out.append(text[pos:start])
                out.append(self.fast_row(row))
                self.rows += 1
                pos = end
                continue
            if size - start < 6 and ("<w:tr>".startswith(text[start:]) or "<w:tr ".startswith(text[start:])):
                break  # the start of a row, cut
            self.rows_fast = False
            return text[pos:]
        self.carry = text[pos:]
        return ""

    def fast_row(self, row: str) -> str:
        """Return the bytes of the later row `row` (its text as the parser would be given it) of a streamed table
        as write_rows writes them, from the text: the row with the contents of its w:t replaced by _SENTINEL is
        fixed, tagged and serialized once by the parser's way (row_alone), and every row of that form is that
        serialization with its texts put back. Fixing, tagging and serializing look at elements and attributes,
        never at a w:t's text, which lxml writes as it reads it where it holds no '&', '>', carriage return or
        character XML does not allow (_PLAIN; a few references are turned into lxml's form, _as_serialized);
        otherwise the row is parsed on its own."""
        parts = _TEXTS.split(row)
        values = parts[2::3]
        if _SENTINEL in row:
            return self.row_alone(self.bared(row))
        if not _PLAIN.fullmatch("".join(values)):
            values = [_as_serialized(value) for value in values]
            if None in values:
                return self.row_alone(self.bared(row))
        parts[2::3] = [_SENTINEL] * len(values)
        form = "".join(parts)
        found = self.forms.get(form)
        if found is None:
            if len(self.forms) >= _FORMS:  # rows of too many forms: the parser's
                self.fast = False
                return self.row_alone(self.bared(row))
            pieces = self.row_alone(self.bared(form)).split(_SENTINEL)
            if len(pieces) != len(values) + 1:
                raise _Fallback("row texts")
            found = self.forms[form] = "%s".join(piece.replace("%", "%%") for piece in pieces)
        return found % tuple(values)

    def row_alone(self, row: str) -> str:
        """Return the bytes write_rows gives the later row `row` of a streamed table (its text as the parser is
        given it, `bared`), parsed on its own
        in a table of its own in the document's frame (the same namespaces in scope), fixed and tagged."""
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
        try:
            for piece in (self.head, "<w:body><w:tbl>", row, "</w:tbl></w:body>", self.tail):
                parser.feed(piece)
            root = parser.close()
        except etree.XMLSyntaxError:
            raise _Fallback("not well-formed") from None
        table = root.find(self.BODY)[0]
        if len(table) != 1 or table[0].tag != self.TR:
            raise _Fallback("not a row")
        self.fix_row(table[0])
        self.tagger.tag_rows([table[0]])
        return self.serialize_rows(table, 1, last=True)

    def serialize_rows(self, table, count: int, last: bool) -> str:
        """Return lxml's serialization of the first `count` children of `table` (rows without nested tables, so
        each holds one '</w:tr>', and with no comment in the body no other text does) with the blanks between
        them, and after the last one too when `last`: the table is serialized once (the rows the parser has begun
        since come along and are left out) rather than row by row."""
        from lxml import etree

        if count == 0:
            return ""
        text = etree.tostring(table, encoding="unicode", with_tail=False)
        start = text.find(">") + 1
        if not text.startswith("<w:tbl") or text[start - 2] == "/":
            raise _Fallback("table start")
        before = table.text or ""
        if text[start:start + len(before)] != before:
            raise _Fallback("table text")
        start += len(before)
        end = start
        for _row in range(count):
            end = text.find("</w:tr>", end)
            if end < 0:
                raise _Fallback("rows")
            end += len("</w:tr>")
        if last:
            if not text.endswith("</w:tbl>"):
                raise _Fallback("table end")
            end = len(text) - len("</w:tbl>")
        piece = text[start:end]
        if not last and piece.count("</w:tr>") != count:
            raise _Fallback("rows")
        gaps = _ROW_GAPS.findall(piece)  # the text between the rows: blanks only
        if any(gap.strip(_BLANK) for gap in gaps):
            raise _Fallback("text between elements")
        return piece

    def table_ended(self, table) -> None:
        if self.streaming:
            self.write_rows(last=True)
            self.emit("</w:tbl>")
            self.pending = table  # written: its tail is written with the next child
        self.table = None
        self.streaming = False

    # -- the bytes ----------------------------------------------------------------------------------------

    def serialize(self, el) -> str:
        """Return lxml's serialization of `el` as it stands in the document."""
        from lxml import etree

        if not isinstance(el.tag, str):  # a comment or processing instruction
            raise _Fallback("comment")
        text = etree.tostring(el, encoding="unicode", with_tail=False)
        name = f"<{el.prefix}:{el.tag.rpartition('}')[2]}" if el.prefix else f"<{el.tag.rpartition('}')[2]}"
        copied = _COPIED.match(text, len(name))
        if not text.startswith(name) or copied is None or text[copied.end():copied.end() + 1] not in (" ", ">", "/"):
            raise _Fallback("namespace declarations")
        return name + text[copied.end():]

    def emit_text(self, text: Optional[str]) -> None:
        """Write the text between two elements: blanks only (written as they are)."""
        if text:
            if text.strip(_BLANK):
                raise _Fallback("text between elements")
            self.emit(text)

    def emit(self, text: str) -> None:
        if markup_declaration(text) and not text.isascii():  # lxml's ASCII form is not known there
            raise _Fallback("comment with non-ASCII text")
        self.emit_known(text)

    def emit_known(self, text: str) -> None:
        """Write `text`, known to hold no comment or processing instruction."""
        self.out.append(text)
        self.out_size += len(text)
        if self.out_size >= _STREAM_FLUSH:
            self.flush()

    def flush(self) -> None:
        import zlib

        text = "".join(self.out)
        self.out.clear()
        self.out_size = 0
        data = text.encode("utf-8")
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.compressed.write(self.compressor.compress(data))
        self.digest.update(text.encode("ascii", "xmlcharrefreplace"))  # lxml's default: ASCII, character refs


def _finished_text(tpl, text: str) -> str:
    """Return `text` (Jinja's output of the body, or a piece of it cut before a paragraph's mark) as
    render_xml_part returns it: the marks undone, docxtpl's escaped braces restored, tabs and breaks in text
    resolved (`tpl.resolve_listing`)."""
    text = _unmark(text)
    if "_" in text:  # (each escaped brace holds one; a scan for one character is several times quicker)
        text = text.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return tpl.resolve_listing(text)


def _mark(text: str) -> str:
    """Return `text` as render_xml_part's re.sub(r"<w:p([ >])", r"\n<w:p\1", text) returns it (a line feed
    before every paragraph's start tag, made without a match object and a template expansion for each: the two
    replacements touch different places and make no new one)."""
    return text.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


def _unmark(text: str) -> str:
    """Return `text` as render_xml_part's re.sub(r"\\n<w:p([ >])", r"<w:p\\1", text) returns it (without a match
    object and a template expansion for each of a large body's paragraphs: the two replacements touch different
    places and make no new one)."""
    return text.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")


STREAM_ITEMS = 1000  # a context with a list this long (at its top or one level down) may render a large body


def _large(context: Mapping[str, Any]) -> bool:
    """Return whether `context` holds a list of at least STREAM_ITEMS items at its top or one level down (a
    results table of many organisations): only then is the streaming writer tried, whose cost a small body does
    not repay (the build's documents render as they did)."""
    for value in context.values():
        if isinstance(value, (list, tuple)):
            if len(value) >= STREAM_ITEMS:
                return True
        elif isinstance(value, Mapping):
            if any(isinstance(v, (list, tuple)) and len(v) >= STREAM_ITEMS for v in value.values()):
                return True
    return False


def _gather(pieces, src: str, count: int) -> tuple[list[str], bool]:
    """Return the next `count` pieces of Jinja's output `pieces` (fewer at its end) and whether it ended; a Jinja
    error (the one the tree path's render raises) as a _TemplateFailure."""
    from itertools import islice

    try:
        gathered = list(islice(pieces, count))
    except Exception as exc:
        _docx_context(exc, src)
        raise _TemplateFailure(exc) from None
    return gathered, len(gathered) < count


def _number_docpr(found, index: int) -> int:
    """Number the wp:docPr elements `found` in order from `index` + 1 as docxtpl's fix_docpr_ids does; return the
    last number."""
    for elt in found:
        index += 1
        elt.attrib["id"] = str(index)
    return index


def _cut(text: str) -> int:
    """Return where `text` (Jinja's output) may be cut so that render_xml_part's passes give on its two parts what
    they give on the whole: before a paragraph's mark, where no paragraph the listing pass would take is open
    (0: nowhere)."""
    cut = text.rfind(_PARAGRAPH_CUT)
    while cut > 0:
        if cut + 5 < len(text) and text[cut + 5] in " >":
            closed = text.rfind("</w:p>", 0, cut)
            if _PARAGRAPH_START.search(text, max(closed, 0), cut) is None:
                return cut
        cut = text.rfind(_PARAGRAPH_CUT, 0, cut)
    return 0


def _docx_context(exc: BaseException, src: str) -> None:
    """Give a Jinja error the lines of the template around it, as docxtpl's render_xml_part does."""
    from jinja2.exceptions import TemplateError

    if isinstance(exc, TemplateError) and getattr(exc, "lineno", None) is not None:
        line_number = max(exc.lineno - 4, 0)
        exc.docx_context = map(lambda x: re.sub(r"<[^>]+>", "", x), src.splitlines()[line_number:line_number + 7])


def _render_streamed(template: Path | bytes, context: Mapping[str, Any], props: DocProps,
                     display: str) -> Optional[bytes]:
    """Return the bytes render_docx's tree path gives for `template`, written by the streaming writer
    (_StreamedBody), or None where it cannot show they are the same (then the tree path writes them). A body that
    Jinja renders under _STREAM_MIN characters is written by the tree path from that text (_render_whole)."""
    from regdoc.documents.limits import RenderBudgetExceeded, budget

    tpl = open_template(template, display)
    package = tpl.docx.part.package
    if any(part.content_type.endswith(".footnotes+xml") for part in package.iter_parts()):
        return None  # docxtpl renders the footnotes once per section of the rendered body
    failure = None
    try:
        with budget():
            try:
                body = _render_body(tpl, context, props)
                _render_rest(tpl, context)
            except (_Fallback, _TemplateFailure, _Small, KeyboardInterrupt, RenderBudgetExceeded, MemoryError):
                raise
            except Exception as exc:  # the writer's own: the tree path decides
                raise _Fallback(f"{type(exc).__name__}: {exc}") from None
    except _Fallback:
        return None
    except _Small as small:
        return _render_whole(tpl, small.text, context, props, display)
    except _TemplateFailure as exc:
        failure = _template_error(exc.exc, display)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # as render_docx's
        failure = _template_error(exc, display)
    if failure is not None:
        raise failure
    finish(tpl.docx, props, streamed=body)
    if _replaces_media(tpl):
        return None
    return reproducible_zip(_save(tpl.docx, body))


def _render_body(tpl, context: Mapping[str, Any], props: DocProps) -> _StreamedBody:
    """Render the body of `tpl` as DocxTemplate.render does (render_init, build_xml) into a _StreamedBody."""
    tpl.render_init()
    env = environment()
    src = _mark(tpl.patch_xml(tpl.get_xml()))
    tpl.current_rendering_part = tpl.docx._part
    try:
        template = env.from_string(src)
    except Exception as exc:
        _docx_context(exc, src)
        raise _TemplateFailure(exc) from None
    _escape_once(template)
    pieces = template.generate(dict(context))
    first, size, done = [], 0, False
    while size < _STREAM_MIN and not done:  # until the body is known to be large
        gathered, done = _gather(pieces, src, _STREAM_PIECES)
        first += gathered
        size += sum(map(len, gathered))
    if done and size < _STREAM_MIN:
        raise _Small("".join(first))
    body = _StreamedBody(tpl, props.lang)
    body.render(src, pieces, "".join(first))
    return body


_ESCAPED = 1 << 17  # distinct texts whose escaped form a large body's rendering keeps


def _escape_once(template) -> None:
    """Have the compiled template `template` escape each distinct text it prints once (a large results table
    prints the same places, points and names again and again): Jinja's compiled code calls markupsafe's escape
    for every value, which makes a Markup each time (markupsafe 3.0: 1.5 us); the same Markup is given for the
    same text. Values other than texts (Undefined among them) are escaped as they were."""
    import markupsafe

    from regdoc.documents import limits

    namespace = getattr(template.root_render_func, "__globals__", {})
    escape = namespace.get("escape")
    if escape is None or (escape is not markupsafe.escape and escape is not limits._escape):
        return  # not the code of the Jinja this was written for: left as it is
    memo: dict[str, Any] = {}

    def escaped(value):
        if type(value) is str:
            found = memo.get(value)
            if found is None:
                found = escape(value)
                if len(memo) < _ESCAPED:
                    memo[value] = found
            return found
        return escape(value)

    namespace["escape"] = escaped


def _render_whole(tpl, text: str, context: Mapping[str, Any], props: DocProps, display: str) -> bytes:
    """Return the bytes of `tpl` whose body Jinja rendered as `text`, written by the tree path (DocxTemplate.render
    from the body's render_xml_part on, as render_docx's)."""
    from regdoc.documents.limits import budget

    failure = None
    try:
        with budget():
            tpl.run_language = _run_language(props)
            tree = tpl.fix_tables(_finished_text(tpl, text))
            tpl.fix_docpr_ids(tree)
            tpl.map_tree(tree)
            _render_rest(tpl, context)
    except KeyboardInterrupt:
        raise
    except _TemplateFailure as exc:
        failure = _template_error(exc.exc, display)
    except Exception as exc:  # as render_docx's
        failure = _template_error(exc, display)
    if failure is not None:
        raise failure
    return _finished(tpl, props)


def _render_rest(tpl, context: Mapping[str, Any]) -> None:
    """Render the headers, footers, properties and footnotes of `tpl` as DocxTemplate.render does after the
    body."""
    env = environment()
    context = dict(context)
    try:
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for rel_key, xml in tpl.build_headers_footers_xml(context, uri, env):
                tpl.map_headers_footers_xml(rel_key, xml)
        tpl.render_properties(context, env)
        tpl.render_footnotes(context, env)
    except Exception as exc:
        raise _TemplateFailure(exc) from None
    tpl.is_rendered = True


def _replaces_media(tpl) -> bool:
    """Whether DocxTemplate.save would replace pictures, media, embedded files or zip entries of the package
    (then it saves through its own path, not python-docx's save alone)."""
    return bool(tpl.pics_to_replace or tpl.crc_to_new_media or tpl.crc_to_new_embedded or tpl.zipname_to_replace)


def _save(document, body: Optional[_StreamedBody] = None, xml: Optional[bytes] = None) -> bytes:
    """Return the package of `document` as python-docx saves it (OpcPackage.save: PackageWriter.write into a zip
    of deflated entries), each entry packed as zipfile's writestr packs it (_write_packed), its deflated bytes
    made once per process for the same part (_Packed); with `body`, word/document.xml is the streamed body's
    bytes; with `xml`, it is `xml` (the main part's blob as wordml.finish serialized it, the document unchanged
    since)."""
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI

    package = document.part.package
    main = document.part
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        _PACKED.write(z, CONTENT_TYPES_URI.membername, _content_types(parts))
        _PACKED.write(z, PACKAGE_URI.rels_uri.membername, _relationships(package.rels))
        for part in parts:
            if part is main and body is not None:
                _write_packed(z, part.partname.membername, body.compressed.getvalue(), body.size, body.crc)
            elif part is main and xml is not None:
                _PACKED.write(z, part.partname.membername, xml)
            else:
                _PACKED.write(z, part.partname.membername, part.blob)
            if len(part.rels):
                _PACKED.write(z, part.partname.rels_uri.membername, _relationships(part.rels))
    return buffer.getvalue()


# [Content_Types].xml and the .rels parts as python-docx writes them, kept by what they are made of: python-docx
# builds each from elements it parses one by one from text (one per part and per relationship) and serializes
# them, about a tenth of a millisecond for every document saved, and a packet's documents repeat the same few
_PACKAGE_XML = Kept(256)


def _content_types(parts: list) -> bytes:
    """Return _ContentTypesItem.from_parts(parts).blob (a function of each part's name and content type)."""
    from docx.opc.pkgwriter import _ContentTypesItem

    key = ("[Content_Types].xml", *((str(part.partname), part.content_type) for part in parts))
    found = _PACKAGE_XML.get(key)
    if found is None:
        found = _PACKAGE_XML.keep(key, _ContentTypesItem.from_parts(parts).blob)
    return found


def _relationships(rels):
    """Return rels.xml (a function of each relationship's id, type, target and whether it is external)."""
    key = (".rels", *((rel.rId, rel.reltype, rel.target_ref, rel.is_external) for rel in rels.values()))
    found = _PACKAGE_XML.get(key)
    if found is None:
        found = _PACKAGE_XML.keep(key, rels.xml)
    return found


class _Packed:
    """The deflated bytes and CRC of the entries written (zipfile's compressor, as writestr uses it), kept by
    their bytes: the parts a document keeps from its template (styles, numbering, theme, fonts, relationships)
    are the same bytes in every document made from it, and deflating them was about a tenth of a small document's
    rendering. Entries of at most ENTRY bytes are kept, at most `size` bytes of them with their deflated bytes."""

    ENTRY = 1 << 20

    def __init__(self, size: int = 8 << 20) -> None:
        self.kept = Kept(size=size, weigh=lambda data, packed: len(data) + len(packed[0]))

    def write(self, z: zipfile.ZipFile, name: str, data) -> None:
        """Write the entry `name` holding `data` into `z` as writestr writes it."""
        import zlib

        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) * 1.05 > zipfile.ZIP64_LIMIT:
            z.writestr(name, data)
            return
        found = self.kept.get(data)
        if found is None:
            compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's
            found = (compressor.compress(data) + compressor.flush(), zlib.crc32(data))
            if len(data) <= self.ENTRY:
                self.kept.keep(data, found)
        _write_packed(z, name, found[0], len(data), found[1])


_PACKED = _Packed()


def _write_packed(z: zipfile.ZipFile, name: str, data: bytes, size: int, crc: int) -> None:
    """Write the entry `name` whose bytes, `size` long with the CRC `crc`, are `data` deflated (by zipfile's
    compressor) into `z` as writestr writes an entry (zipfile's _open_to_write, then _ZipWriteFile.close, of
    Python 3.11)."""
    zinfo = zipfile.ZipInfo(filename=name, date_time=ZIP_TIME)
    zinfo.compress_type = z.compression
    zinfo._compresslevel = z.compresslevel
    zinfo.external_attr = 0o600 << 16
    zinfo.file_size = size
    zinfo.compress_size = len(data)
    zinfo.CRC = crc
    zinfo.flag_bits = 0x00
    z.fp.seek(z.start_dir)
    zinfo.header_offset = z.fp.tell()
    z._writecheck(zinfo)
    z._didModify = True
    z.fp.write(zinfo.FileHeader(False))
    z.fp.write(data)
    z.start_dir = z.fp.tell()
    z.filelist.append(zinfo)
    z.NameToInfo[zinfo.filename] = zinfo


def render_docx(template: Path | bytes, context: Mapping[str, Any], props: DocProps,
                display: Optional[str] = None) -> bytes:
    """Return the bytes of `template` rendered with `context`, with core properties `props`, reproducibly."""
    from regdoc.documents.limits import budget

    display = display or str(template)
    if STREAM and _large(context):
        streamed = _render_streamed(template, context, props, display)
        if streamed is not None:
            return streamed
    tpl = open_template(template, display)
    failure = None
    try:
        with budget():
            tpl.run_language = _run_language(props)
            tpl.render(dict(context), jinja_env=environment(), autoescape=False)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a template is user data: whatever it raises (MemoryError included), the
        failure = _template_error(exc, display)  # document is not produced
    if failure is not None:
        raise failure
    return _finished(tpl, props)


def _run_language(props: DocProps) -> Optional[str]:
    """Return the language tag the runs of a one-language document get as its body is parsed (_whole_document),
    None for the side-by-side document (its runs are tagged by cell, after parsing)."""
    return None if props.lang == "kk-ru" else LANGUAGE_TAGS.get(props.lang, props.lang)


def _finished(tpl, props: DocProps) -> bytes:
    """Return the bytes of the rendered `tpl` (the tree path): its tables fitted, Word's structure and properties
    given (wordml.finish), saved reproducibly."""
    fit_tables(tpl.docx)
    xml = finish(tpl.docx, props)
    if tpl.is_rendered and not _replaces_media(tpl):  # DocxTemplate.save would save the document alone
        tpl.is_saved = True
        return reproducible_zip(_save(tpl.docx, xml=xml))
    buffer = io.BytesIO()
    tpl.save(buffer)
    return reproducible_zip(buffer.getvalue())


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
