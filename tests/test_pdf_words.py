"""Every document of regdoc, converted to PDF with LibreOffice, shows no word broken inside: a word of the .docx
that the PDF splits over two lines («Максимальн» / «ое») is a column too narrow for it, whichever document it is
in. A break at a word's own hyphen («Ақпараттық-» / «түсіндіру») is allowed: pdftotext then joins the two halves
without the hyphen (../shared/pitfalls.md item 11)."""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from render_helpers import block_texts

from regdoc.cli import main
from regdoc.documents import pdf

needs_soffice = pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice (soffice) or pdftotext is not installed")
_EDGES = "«»\"'()[]{}.,;:!?…*–—/"


def _word(token: str) -> str:
    return token.strip(_EDGES)


def docx_words(path: Path) -> set[str]:
    """Return the words of a .docx (edges stripped of punctuation), with each hyphenated word also without its
    hyphens (how pdftotext joins a break at the word's own hyphen)."""
    words = set()
    for text in block_texts(path):
        for token in re.split(r"[\s\u00a0]+", text.replace("\u2011", "-")):
            word = _word(token)
            if word:
                words.add(word)
                if "-" in word:
                    words.add(word.replace("-", ""))
                    words.update(w for w in word.split("-") if w)
    return words


def broken_words(pdf_text: str, words: set[str]) -> list[str]:
    """Return the words of the PDF's text that are not words of the .docx but join the next token into one:
    «Оры» + «н» -> «Орын» (the line-end of one, the line-start of the other)."""
    lines = [line.split() for line in pdf_text.replace("\u00a0", " ").splitlines()]
    tokens = [(_word(t), i == len(line) - 1, i == 0) for line in lines for i, t in enumerate(line)]
    found = []
    for (a, a_end, _), (b, _, b_start) in zip(tokens, tokens[1:]):
        if a and b and a_end and b_start and a not in words and (a + b) in words:
            found.append(f"{a}/{b}")
        elif a and b and a_end and b_start and b not in words and (a + b) in words:
            found.append(f"{a}/{b}")
    return found


def test_broken_words_are_found():
    words = {"Орын", "Мүшелік", "ұйым", "Ақпараттық-түсіндіру", "Ақпараттықтүсіндіру", "Ақпараттық", "түсіндіру"}
    assert broken_words("Оры\nн\nМүшелік ұйым", words) == ["Оры/н"]
    assert broken_words("Мүшелік\nұйым Ақпараттықтүсіндіру", words) == []


@pytest.fixture(scope="module")
def every_document(tmp_path_factory, shipped_pdf_build: Path) -> list[Path]:
    """Return every document regdoc makes from the shipped data: the packet (conftest's shipped_pdf_build, the
    `regdoc build --pdf` of a copy of the shipped tree), the parallel documents, the register."""
    from datatree import REPO

    out = tmp_path_factory.mktemp("documents")
    parallel = out / "parallel"  # `render resolution` writes its annexes too: the packet has them already
    parallel.mkdir()
    for args in (["resolution", "2026-02-20/9/7"], ["regulation", "--as-of", "2026-02-20"], ["results", "2025"]):
        assert main(["render", *args, "--lang", "both", "--parallel", "--root", str(REPO), "--out", str(parallel)]) == 0
    assert main(["render", "register", "2026", "--root", str(REPO), "--out", str(out)]) == 0
    return (sorted(out.glob("*.docx")) + sorted(parallel.glob("*.kk-ru.docx"))
            + sorted(shipped_pdf_build.glob("*.docx")))  # build: the packet's folder


@pytest.fixture(scope="module")
def pdfs(every_document, shipped_pdf_build: Path, tmp_path_factory) -> dict[Path, Path]:
    """Return every document's PDF: .docx path -> .pdf path. The packet's are those `regdoc build --pdf` wrote
    beside its .docx files; the others' are made by one LibreOffice batch for all of them."""
    out = tmp_path_factory.mktemp("pdf")
    result = pdf.convert([docx for docx in every_document if docx.parent != shipped_pdf_build], out)
    assert not result.failed, result.failed
    return {docx: docx.with_suffix(".pdf") if docx.parent == shipped_pdf_build else out / f"{docx.stem}.pdf"
            for docx in every_document}


@functools.lru_cache(maxsize=None)  # the two checks read each PDF's text: pdftotext runs once per PDF
def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@needs_soffice
def test_no_word_of_any_document_breaks_inside_in_its_pdf(every_document, pdfs):
    assert len(every_document) >= 17
    broken = {}
    for docx in every_document:
        found = broken_words(pdf_text(pdfs[docx]), docx_words(docx))
        if found:
            broken[docx.name] = found
    assert broken == {}


def unbreakable_breaks(pdf_text: str, docx_text: str) -> list[str]:
    """Return the line ends of a PDF's text where a line broke at a place its .docx text (`docx_text`, raw) forbids:
    a no-break space between the last word of a line and the first of the next («100 201 / ұпай», «ҚАУЛЫ /
    ЕТЕДІ»), or a no-break hyphen after a number that pdftotext shows joined («1қосымша»: broken at the hyphen).
    Table cells, which pdftotext also puts on lines of their own, hold no such pair, so they are never flagged."""
    lines = [line.split() for line in pdf_text.replace("\u00a0", " ").splitlines() if line.split()]
    tokens = list(re.finditer(r"\S+", docx_text))  # the .docx's whole tokens, and those joined by one no-break space
    joined = {(a.group(), b.group()) for a, b in zip(tokens, tokens[1:]) if docx_text[a.end():b.start()] == "\u00a0"}
    found = []
    for line, following in zip(lines, lines[1:]):
        if (line[-1], following[0]) in joined:
            found.append(f"{line[-1]} / {following[0]}")
    for number, word in re.findall(r"(\d)([^\W\d_]+)", pdf_text):
        if f"{number}\u2011{word}" in docx_text and f"{number}{word}" not in docx_text:
            found.append(f"{number}{word}")
    return found


def test_unbreakable_breaks_are_found():
    docx = "жалпы ұпай саны – 100\u00a0201\u00a0ұпай; ҚАУЛЫ\u00a0ЕТЕДІ: осы Ережеге 1\u2011қосымша 1.6 | адам"
    assert unbreakable_breaks("жалпы ұпай саны – 100 201\nұпай;", docx) == ["201 / ұпай;"]
    assert unbreakable_breaks("Атқару комитеті ҚАУЛЫ\nЕТЕДІ:", docx) == ["ҚАУЛЫ / ЕТЕДІ:"]
    assert unbreakable_breaks("осы Ережеге 1қосымша", docx) == ["1қосымша"]
    assert unbreakable_breaks("100 201 ұпай\nҚАУЛЫ ЕТЕДІ:\n1.6\nадам", docx) == []  # table cells: not flagged
    assert unbreakable_breaks("жалпы 100\n2", docx) == []  # whole tokens only: «100 2» is not «100 201»


@needs_soffice
def test_no_line_of_any_document_breaks_where_typography_forbids(every_document, pdfs):
    found = {docx.name: unbreakable_breaks(pdf_text(pdfs[docx]), "\n".join(block_texts(docx, raw=True)))
             for docx in every_document}
    assert {name: breaks for name, breaks in found.items() if breaks} == {}


def bookmarks(path: Path) -> list[str]:
    """Return the titles of a PDF's bookmarks (LibreOffice writes them uncompressed, as UTF-16 hex strings)."""
    data = path.read_bytes()
    start = data.find(b"/Outlines")
    if start < 0:
        return []
    return [bytes.fromhex(m.group(1).decode()).decode("utf-16")
            for m in re.finditer(rb"/Title\s*<([0-9A-Fa-f]+)>\s*/Dest", data)]


@needs_soffice
def test_the_pdfs_have_bookmarks_of_their_headings(every_document, pdfs):
    by_name = {docx.name: bookmarks(pdfs[docx]) for docx in every_document}
    regulation = by_name["regulation-2026-02-20.kk.docx"]
    assert regulation[0] == "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ереже"
    assert "1. Жалпы ережелер" in regulation and "Мүшелік ұйымдардың қызметін бағалау критерийлері" in regulation
    assert any(t.startswith("Сравнительная таблица к проекту постановления") for t in
               by_name["comparison-2026-02-20.ru.docx"])
    assert [name for name, titles in by_name.items() if not titles] == []  # every document has its headings


@needs_soffice
def test_page_one_of_every_document_is_kept_as_a_picture_for_a_person(every_document, pdfs):
    """Page 1 of each document at 60 dpi in ci-output/documents/ (listed at the end of .ci/run): for a person to
    look at, never compared pixel by pixel."""
    from datatree import REPO

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    shots = REPO / "ci-output" / "documents"
    shots.mkdir(parents=True, exist_ok=True)
    for docx in every_document:
        target = shots / docx.stem
        subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdfs[docx]),
                        str(target)], check=True, capture_output=True)
        picture = target.parent / f"{target.name}.png"
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
