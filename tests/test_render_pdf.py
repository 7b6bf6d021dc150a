"""PDF through LibreOffice: one process per batch, outputs checked, a clear message without LibreOffice."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from render_helpers import make_template

from regdoc.documents import pdf
from regdoc.documents.writer import DocProps, render_docx
from regdoc.errors import RegdocError

CONTENT_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 '</Types>')
needs_soffice = pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice (soffice) or pdftotext is not installed")


def _docx(tmp_path: Path, name: str, text: str) -> Path:
    template = make_template(tmp_path / f"{name}.template.docx", ["{{ text }}"])
    path = tmp_path / f"{name}.docx"
    path.write_bytes(render_docx(template, {"text": text}, DocProps("t", "a", date(2026, 2, 20), "kk")))
    return path


def test_without_libreoffice_the_message_says_what_to_install(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(pdf.PdfUnavailable) as info:
        pdf.convert([_docx(tmp_path, "a", "x")], tmp_path)
    assert "LibreOffice (soffice) is not installed" in str(info.value)
    assert "the .docx files were written" in str(info.value)


def test_the_override_names_the_executable(monkeypatch):
    monkeypatch.setenv("REGDOC_SOFFICE", "no-such-soffice-here")
    assert pdf.find_soffice() is None


def test_two_documents_of_one_batch_may_not_share_a_name(tmp_path: Path):
    (tmp_path / "x").mkdir()
    first, second = _docx(tmp_path, "a", "1"), _docx(tmp_path / "x", "a", "2")
    with pytest.raises(RegdocError, match="same name"):
        pdf.convert([first, second], tmp_path)


@needs_soffice
def test_a_batch_is_converted_by_one_process_and_each_output_checked(tmp_path: Path, monkeypatch):
    started = []
    real_popen = subprocess.Popen

    def counting(*args, **kwargs):
        started.append(args[0])
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "Popen", counting)
    good = [_docx(tmp_path, "one", "Қазақстандық «№ 9» әғқңөұүһі"), _docx(tmp_path, "two", "Екінші")]
    broken = tmp_path / "broken.docx"  # a package LibreOffice cannot load: it exits 0 and writes nothing
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", "<<<garbage")
    text_file = tmp_path / "text.docx"  # LibreOffice would print it as text: never handed to it
    text_file.write_bytes(b"this is not a word document")
    out = tmp_path / "out"
    out.mkdir()
    (out / "one.pdf").write_bytes(b"%PDF- old")
    result = pdf.convert(good + [broken, text_file], out)
    assert len(started) == 1
    assert sorted(p.name for p in result.written) == ["one.pdf", "two.pdf"]
    failed = dict((f.name, reason) for f, reason in result.failed)
    assert failed.keys() == {"broken.docx", "text.docx"}
    assert failed["broken.docx"].startswith("LibreOffice wrote no PDF (exit code 0")
    assert failed["text.docx"] == "not a .docx file (not a zip archive)"
    assert (out / "one.pdf").read_bytes() != b"%PDF- old"
    text = subprocess.run(["pdftotext", str(out / "one.pdf"), "-"], capture_output=True, check=True).stdout
    assert "Қазақстандық «№ 9» әғқңөұүһі" in text.decode("utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["one.pdf", "two.pdf"]  # staging folder removed
