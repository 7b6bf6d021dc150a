"""Reading a redline .docx back through its XML (python-docx's Paragraph.text ignores revisions): accept or
reject every tracked change, then take the text paragraph by paragraph and row by row."""
from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def document_xml(data: bytes) -> etree._Element:
    """Return the parsed word/document.xml of a .docx package."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def _para_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(q("t"), q("delText")))


def _resolve(root: etree._Element, keep: str) -> etree._Element:
    """Return a copy of `root` with every revision resolved: `keep` is "ins" (accept all) or "del" (reject all)."""
    drop = "del" if keep == "ins" else "ins"
    root = copy.deepcopy(root)
    for tr in root.xpath(f"//w:tr[w:trPr/w:{drop}]", namespaces=NS):  # rows inserted (or deleted) whole
        tr.getparent().remove(tr)
    for el in root.xpath(f"//w:{drop}[not(parent::w:rPr) and not(parent::w:trPr)]", namespaces=NS):
        el.getparent().remove(el)
    for el in root.xpath(f"//w:{keep}[not(parent::w:rPr) and not(parent::w:trPr)]", namespaces=NS):
        parent, index = el.getparent(), el.getparent().index(el)
        for child in reversed(list(el)):
            parent.insert(index, child)
        parent.remove(el)
    for t in root.iter(q("delText")):
        t.tag = q("t")
    # a paragraph whose mark goes joins the next paragraph of its container (or goes, when nothing is left of it)
    for p in root.xpath(f"//w:p[w:pPr/w:rPr/w:{drop}]", namespaces=NS):
        content = [c for c in p if c.tag != q("pPr")]
        if not _para_text(p):
            p.getparent().remove(p)
            continue
        following = p.getnext()
        assert following is not None and following.tag == q("p"), "a paragraph whose mark goes and whose text " \
                                                                   "stays needs a next paragraph to join"
        at = 1 if following.find(q("pPr")) is not None else 0
        for child in reversed(content):
            following.insert(at, child)
        p.getparent().remove(p)
    for mark in root.xpath("//w:pPr/w:rPr/w:ins | //w:pPr/w:rPr/w:del | //w:trPr/w:ins | //w:trPr/w:del",
                           namespaces=NS):
        mark.getparent().remove(mark)
    return root


def accept_all(root: etree._Element) -> etree._Element:
    """Return the document as Word shows it after «Accept all changes»."""
    return _resolve(root, "ins")


def reject_all(root: etree._Element) -> etree._Element:
    """Return the document as Word shows it after «Reject all changes»."""
    return _resolve(root, "del")


def blocks(root: etree._Element) -> list:
    """Return the body as a list: a paragraph's text, or a table as a list of rows (tuples of cell texts, the
    paragraphs of a cell joined by line breaks)."""
    out = []
    for child in root.find(q("body")):
        if child.tag == q("p"):
            out.append(_para_text(child))
        elif child.tag == q("tbl"):
            out.append([tuple("\n".join(_para_text(p) for p in tc.findall(q("p"))) for tc in tr.findall(q("tc")))
                        for tr in child.findall(q("tr"))])
    return out


def revisions(root: etree._Element) -> list[etree._Element]:
    """Return every revision element under `root` (runs, paragraph marks, rows)."""
    return root.xpath(".//w:ins | .//w:del", namespaces=NS)
