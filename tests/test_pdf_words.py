"""Every document of regdoc, converted to PDF with LibreOffice, shows no word broken inside: a word of the .docx
that the PDF splits over two lines («Максимальн» / «ое») is a column too narrow for it, whichever document it is
in. A break at a word's own hyphen («Ақпараттық-» / «түсіндіру») is allowed: pdftotext then joins the two halves
without the hyphen (../shared/pitfalls.md item 11)."""
from __future__ import annotations

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
def every_document(tmp_path_factory) -> list[Path]:
    """Return every document regdoc makes from the shipped data: the packet, the parallel documents, the
    register."""
    from datatree import REPO

    out = tmp_path_factory.mktemp("documents")
    assert main(["build", "--root", str(REPO), "--out", str(out)]) == 0
    for args in (["resolution", "2026-02-20/9/7"], ["regulation", "--as-of", "2026-02-20"], ["results", "2025"]):
        assert main(["render", *args, "--lang", "both", "--parallel", "--root", str(REPO), "--out", str(out)]) == 0
    assert main(["render", "register", "2026", "--root", str(REPO), "--out", str(out)]) == 0
    return sorted(out.glob("*.docx")) + sorted(out.glob("2026-02-20-9-7/*.docx"))  # build: the packet's folder


@needs_soffice
def test_no_word_of_any_document_breaks_inside_in_its_pdf(every_document, tmp_path: Path):
    assert len(every_document) >= 17
    result = pdf.convert(every_document, tmp_path)
    assert not result.failed, result.failed
    broken = {}
    for docx in every_document:
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / f"{docx.stem}.pdf"), "-"],
                              capture_output=True, check=True, text=True).stdout
        found = broken_words(text, docx_words(docx))
        if found:
            broken[docx.name] = found
    assert broken == {}
