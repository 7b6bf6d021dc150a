"""Word's own structure in a rendered document: core properties, the language of every run, docProps/app.xml,
the compatibility mode, the document id and track changes (`finish`, after rendering)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

LANGUAGE_TAGS = {"kk": "kk-KZ", "ru": "ru-RU", "kk-ru": "kk-KZ"}


@dataclass(frozen=True)
class DocProps:
    """The core properties of a rendered document."""

    title: str
    author: str
    when: date  # the document's own date: creation and modification time in the properties
    lang: str  # kk | ru | kk-ru


class TwoRunProperties(Exception):
    """A run with two w:rPr met while tagging rows one by one (Tagger.tag_rows): tag_languages tags only the
    first, which the rows' rule cannot tell; the streaming writer leaves such a body to the tree path."""


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


def finish(document, props: DocProps, track_revisions: bool = False, streamed=None) -> Optional[bytes]:
    """Give a rendered python-docx Document its properties and Word's own structure: core properties
    (set_properties), every run tagged with its language (tag_languages), docProps/app.xml naming regdoc with no
    stale counts, compatibility mode of Word 2013, a document id derived from the content (so the bytes stay
    reproducible) and, for a redline, track changes on (a reviewer's own edits are tracked too).

    `streamed` (a _StreamedBody) is the body written by the streaming writer, tagged already and hashed as it was
    written: the document's own body element is then the template's and is neither tagged nor hashed.

    Return the main part's XML as python-docx saves it (its blob), serialized to be hashed, or None (`streamed`):
    a caller that saves the document without changing it again may write those bytes (writer._save)."""
    set_properties(document, props)
    tag_languages(document, props.lang, body=streamed is None)
    _app_properties(document)
    settings = document.settings.element
    _compatibility(settings)
    if track_revisions:
        _setting(settings, "w:trackRevisions")
    return _doc_id(document, settings, props, None if streamed is None else streamed.digest)


def _run_roots(document, body: bool = True) -> list:
    """Return the elements whose runs are tagged with their language: the body (unless not `body`), then each
    header and footer."""
    return [document.element.body] * body + [rel.target_part.element for rel in document.part.rels.values()
                                             if rel.reltype.endswith(("/header", "/footer"))]


def _language_of_cells(document, lang: str, body: bool = True):
    """Yield (run, language tag) for every run of the body, headers and footers: in the two-column bilingual
    document (`lang` kk-ru) the runs of a two-cell row's second cell are Russian, all others Kazakh."""
    for root in _run_roots(document, body):
        yield from _languages_under(root, lang)


def _languages_under(root, lang: str):
    """Yield (run, language tag) for every run under `root` (itself included) by _language_of_cells' rule."""
    from docx.oxml.ns import qn

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
        default = LANGUAGE_TAGS.get(lang, lang)
        for run in root.iter(qn("w:r")):
            yield run, default


def tag_languages(document, lang: str, body: bool = True) -> None:
    """Tag every run with its language (w:lang kk-KZ or ru-RU), for Word's spelling and hyphenation (the body's
    too unless not `body`)."""
    tagger = Tagger(lang)
    for root in _run_roots(document, body):
        tagger.tag(root)


class Tagger:
    """Tags runs with their language as tag_languages does: a run without properties gets a w:rPr holding only
    its w:lang, a run with properties a w:lang in its first w:rPr (before the children that must follow it)."""

    def __init__(self, lang: str):
        from docx.oxml.ns import qn
        from lxml import etree

        self.lang = lang
        self.RPR, self.LANG, self.VAL = qn("w:rPr"), qn("w:lang"), qn("w:val")
        self.after = {qn(t) for t in _RPR_AFTER_LANG}
        self.new_rpr = {}  # language tag -> the w:rPr holding only its w:lang, copied into each run without one
        self.default = LANGUAGE_TAGS.get(lang, lang)
        self.changed = None  # tag_rows' XPath
        namespaces = {"w": W_NS}
        # one language: the runs without properties and the first properties of the others, each found by one
        # XPath (no element object made for every run), tagged as tag_run tags them (descendant:: rather than
        # .//, which libxml2 evaluates through a set of every node: twice as slow); `prefix` selects what they
        # look under: the runs under the context element, itself included
        self.paths = {}
        for name, prefix in (("root", "descendant-or-self::"),):
            self.paths[name] = (
                etree.XPath(f"{prefix}w:r[not(w:rPr)]", namespaces=namespaces),
                etree.XPath(f"{prefix}w:r/w:rPr[1][not(w:lang)]", namespaces=namespaces),
                etree.XPath(f"{prefix}w:r/w:rPr[1]/w:lang[1][not(@w:val = $tag)]", namespaces=namespaces))

    def model(self, tag: str):
        from docx.oxml import OxmlElement

        found = self.new_rpr.get(tag)
        if found is None:
            found = self.new_rpr[tag] = OxmlElement("w:rPr")
            el = OxmlElement("w:lang")
            found.append(el)
            el.set(self.VAL, tag)
        return found

    def tag_run(self, run, tag: str) -> None:
        rpr = next(run.iterchildren(self.RPR), None)
        if rpr is None:
            run.insert(0, self.model(tag).__copy__())  # lxml's copy of an element is a deep copy
        else:
            self.tag_properties(rpr, tag)

    def tag_properties(self, rpr, tag: str) -> None:
        from docx.oxml import OxmlElement

        el = next(rpr.iterchildren(self.LANG), None)
        if el is None:
            el = OxmlElement("w:lang")
            later = next((child for child in rpr if child.tag in self.after), None)
            if later is not None:
                later.addprevious(el)
            else:
                rpr.append(el)
        el.set(self.VAL, tag)

    def tag(self, root) -> None:
        """Tag the runs under `root` (itself included)."""
        if self.lang == "kk-ru":  # the language of a run depends on its cell
            for run, tag in list(_languages_under(root, self.lang)):
                self.tag_run(run, tag)
        else:
            self._tag_one(root, self.paths["root"], {})

    def tag_rows(self, rows: list) -> None:
        """Tag the runs under `rows` (row by row: an XPath from their table through them merges their node-sets,
        slowly) for the streaming writer: one XPath finds the runs a one-language tag changes, which tag_run tags
        as tag() would; a run with two w:rPr is left to the tree path (_Fallback)."""
        if self.lang == "kk-ru":
            for row in rows:
                self.tag(row)
            return
        if self.changed is None:
            from lxml import etree

            self.changed = etree.XPath("descendant::w:r[not(w:rPr) or w:rPr[2] or w:rPr[1][not(w:lang) or "
                                       "w:lang[1][not(@w:val = $tag)]]]", namespaces={"w": W_NS})
        tag = self.default
        for row in rows:
            for run in self.changed(row, tag=tag):
                if len(run.findall(self.RPR)) > 1:
                    raise TwoRunProperties()
                self.tag_run(run, tag)

    def _tag_one(self, root, paths, variables) -> None:
        bare, untagged, other = paths
        tag = self.default
        runs, rprs, langs = bare(root, **variables), untagged(root, **variables), other(root, tag=tag, **variables)
        copy = self.model(tag).__copy__
        for run in runs:
            run.insert(0, copy())
        for rpr in rprs:
            self.tag_properties(rpr, tag)
        for el in langs:
            el.set(self.VAL, tag)


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


def _doc_id(document, settings, props: DocProps, streamed=None) -> Optional[bytes]:
    """Set w14:docId to a number derived from the document's text and properties: two documents differ in it,
    the same document built again has the same one. `streamed`: the hash of the document's text (lxml's ASCII
    serialization, as etree.tostring gives it) when the streaming writer computed it.

    Without `streamed`, return the main part's XML as python-docx serializes it (serialize_part_xml: UTF-8, with
    its declaration), from which the ASCII serialization is taken: lxml's ASCII form is the UTF-8 one with every
    other character written as a decimal character reference (as the streaming writer writes it), so the document
    is serialized once where it was serialized twice (here, and on saving: about a fifth of a small document's
    writing). Where the text holds a comment or processing instruction with non-ASCII text (not known to be so
    written), the ASCII serialization is lxml's own."""
    from lxml import etree

    xml = None
    if streamed is None:
        element = document.element
        if document.part.element is element:
            xml = etree.tostring(element, encoding="UTF-8", standalone=True)  # docx.opc.oxml.serialize_part_xml
        text = xml[len(_XML_DECLARATION):] if xml is not None and xml.startswith(_XML_DECLARATION) else None
        if text is None or not text.isascii() and markup_declaration(text):
            text = etree.tostring(element)
        elif not text.isascii():
            text = text.decode("utf-8").encode("ascii", "xmlcharrefreplace")
        digest = hashlib.sha256(text + repr(props).encode("utf-8")).digest()
    else:
        streamed = streamed.copy()
        streamed.update(repr(props).encode("utf-8"))
        digest = streamed.digest()
    value = f"{int.from_bytes(digest[:4], 'big') & 0x7FFFFFFF:08X}"
    tag = f"{{{W14}}}docId"
    el = settings.find(tag)
    if el is None:
        el = etree.SubElement(settings, tag)
    el.set(f"{{{W14}}}val", value)
    return xml


_XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # lxml's, with UTF-8 and standalone


def markup_declaration(text: str | bytes) -> bool:
    """Return whether `text` (a text or its bytes) holds «<!» or «<?» (a comment, CDATA section, processing
    instruction): each looked for only where its second character is (a scan for one character is several times
    quicker than for two in a text of many '<')."""
    if isinstance(text, bytes):
        return (b"!" in text and b"<!" in text) or (b"?" in text and b"<?" in text)
    return ("!" in text and "<!" in text) or ("?" in text and "<?" in text)
