"""`regdoc build`, `regdoc render ...` and `regdoc templates check` on the shipped data and on changed copies."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from render_helpers import block_texts, plain_document

from regdoc.cli import main
from regdoc.documents import pdf

PACKET = sorted(["regulation-2026-02-20.kk.docx", "regulation-2026-02-20.ru.docx",
                 "resolution-2026-02-20-9-7.kk.docx", "resolution-2026-02-20-9-7.ru.docx", "results-2025.kk.docx",
                 "results-2025.ru.docx", "comparison-2026-02-20.kk.docx", "comparison-2026-02-20.ru.docx",
                 "redline-2023-03-01-2026-02-20.kk.docx", "redline-2023-03-01-2026-02-20.ru.docx",
                 "appendix-1-2026-02-20.kk.docx", "appendix-1-2026-02-20.ru.docx"])


PACKET_DIR = "out/2026-02-20-9-7"  # regdoc build: one folder per packet, named after the resolution's id


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sha(p) for p in sorted(root.rglob("*"))
            if p.is_file() and "out" not in p.relative_to(root).parts}


def test_build_writes_the_packet_and_its_manifest(tree: Path, capsys):
    before = _digest(tree)
    assert main(["build", "--root", str(tree)]) == 0
    out = tree / PACKET_DIR
    assert sorted(_files(out)) == sorted(PACKET + ["manifest.json"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["resolution"] == "2026-02-20/9/7"
    assert manifest["regulation_as_of"] == "2026-02-20" and manifest["evaluation"] == 2025
    assert manifest["amendment"] == "2026-02-20"
    assert manifest["not_produced"] == [] and manifest["not_applicable"] == []
    assert sorted(f["file"] for f in manifest["files"]) == PACKET
    for entry in manifest["files"]:
        assert entry["sha256"] == _sha(out / entry["file"])
        assert entry["bytes"] == (out / entry["file"]).stat().st_size
        # the redline is written on the Regulation's template (its styles and layout)
        document = "regulation" if entry["document"] == "redline" else entry["document"]
        assert entry["template"] == f"templates/{entry['lang']}/{document}.docx"
        for source in entry["sources"]:
            assert source["sha256"] == _sha(tree / source["file"]), source
    by_file = {e["file"]: {s["file"] for s in e["sources"]} for e in manifest["files"]}
    assert {"resolutions/2026/2026-02-20-9-7.yaml", "regulation/versions/2026-02-20.yaml",
            "organisations/organisations.yaml"} <= by_file["resolution-2026-02-20-9-7.kk.docx"]
    assert {"regulation/versions/2023-03-01.yaml", "regulation/versions/2026-02-20.yaml"} <= \
        by_file["regulation-2026-02-20.ru.docx"]
    assert any(f.startswith("evaluations/2025/") for f in by_file["results-2025.kk.docx"])
    for name in ("comparison-2026-02-20.kk.docx", "redline-2023-03-01-2026-02-20.ru.docx"):
        assert {"regulation/versions/2023-03-01.yaml", "regulation/versions/2026-02-20.yaml"} <= by_file[name]
    for name in PACKET:  # every document opens
        assert plain_document(str(out / name)).paragraphs
    assert _digest(tree) == before  # nothing under the data tree changed
    assert "12 files written, 0 not produced" in capsys.readouterr().err


def test_a_resolution_without_evaluation_builds_without_results(tree: Path, capsys):
    """A later resolution that approves no evaluation: its packet has no results document, and that is no failure."""
    from registry_support import write_resolution

    write_resolution(tree, "2026-03-05/10/1")
    assert main(["build", "--root", str(tree)]) == 0
    out = capsys.readouterr().err
    manifest = json.loads((tree / "out/2026-03-05-10-1/manifest.json").read_text(encoding="utf-8"))
    assert manifest["resolution"] == "2026-03-05/10/1" and manifest["evaluation"] is None
    assert manifest["not_produced"] == []
    assert [e["document"] for e in manifest["not_applicable"]] == ["results"]
    assert not any(f["document"] == "results" for f in manifest["files"])
    assert {"resolution-2026-03-05-10-1.kk.docx", "resolution-2026-03-05-10-1.ru.docx"} <= \
        {f["file"] for f in manifest["files"]}
    assert out.count("no results document: resolution 2026-03-05/10/1 approves no evaluation") == 1


def test_two_builds_are_byte_identical(tree: Path, tmp_path: Path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert main(["build", "--root", str(tree), "--out", str(first)]) == 0
    assert main(["build", "--root", str(tree), "--out", str(second)]) == 0
    assert _files(first / "2026-02-20-9-7") == _files(second / "2026-02-20-9-7")


def test_a_build_replaces_the_previous_files_whole_and_leaves_no_temporary_file(tree: Path, shipped_build: Path):
    shutil.copytree(shipped_build, tree / "out")  # a first build
    (tree / PACKET_DIR / PACKET[0]).write_bytes(b"stale")
    assert main(["build", "--root", str(tree)]) == 0
    assert (tree / PACKET_DIR / PACKET[0]).read_bytes()[:2] == b"PK"
    assert not [p for p in (tree / PACKET_DIR).iterdir() if p.name.startswith(".")]


def test_a_failing_write_keeps_the_previous_packet_whole(tree: Path, capsys, monkeypatch, shipped_build: Path):
    from regdoc.files import write as files

    shutil.copytree(shipped_build, tree / "out")  # a first build
    before = _files(tree / PACKET_DIR)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    assert main(["build", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "regdoc: not produced: resolution-2026-02-20-9-7.kk.docx:" in err and "No space left on device" in err
    assert _files(tree / PACKET_DIR) == before  # every previous file intact, no temporary file left


def test_a_build_reports_the_files_it_did_not_produce(tree: Path, capsys):
    (tree / "templates" / "ru" / "results.docx").unlink()
    assert main(["build", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "regdoc: not produced: results-2025.ru.docx: templates/ru/results.docx: template not found" in err
    assert "11 files written, 1 not produced" in err
    manifest = json.loads((tree / PACKET_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert [e["file"] for e in manifest["not_produced"]] == ["results-2025.ru.docx"]
    assert (tree / PACKET_DIR / "results-2025.kk.docx").is_file()


def test_a_build_does_not_render_an_unfinished_draft_as_an_official_resolution(tree: Path, capsys):
    assert main(["resolution", "new", "--root", str(tree), "--date", "2026-03-05", "--title-kk", "Сынақ",
                 "--title-ru", "Тест"]) == 0
    capsys.readouterr()
    assert main(["build", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    for lang in ("kk", "ru"):
        assert (f"regdoc: not produced: resolution-2026-03-05-10-1.{lang}.docx: resolution 2026-03-05/10/1 is an "
                "unfinished draft") in err
        assert not (tree / "out/2026-03-05-10-1" / f"resolution-2026-03-05-10-1.{lang}.docx").exists()
    assert (tree / "out/2026-03-05-10-1" / "regulation-2026-03-05.kk.docx").is_file()


def test_a_sandbox_breach_in_a_template_is_refused_and_reported(tree: Path, capsys):
    from render_helpers import make_template

    make_template(tree / "templates" / "kk" / "resolution.docx", ["{{ ''.__class__.__mro__ }}"])
    assert main(["build", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "resolution-2026-02-20-9-7.kk.docx: templates/kk/resolution.docx: refused by the template sandbox" in err
    assert not (tree / PACKET_DIR / "resolution-2026-02-20-9-7.kk.docx").exists()


def test_an_output_folder_that_does_not_exist_is_refused(tree: Path, capsys):
    assert main(["build", "--root", str(tree), "--out", str(tree / "missing")]) == 1
    assert "the folder to write into does not exist" in capsys.readouterr().err
    assert not (tree / "missing").exists()


@pytest.mark.parametrize("command", [["build"], ["render", "results", "2025"], ["render", "regulation"]])
def test_a_missing_output_folder_is_refused_before_the_data_are_read(tree: Path, capsys, monkeypatch, command):
    def no_reading(*args, **kwargs):
        raise AssertionError("the data tree was read before --out was checked")

    monkeypatch.setattr("regdoc.app.documents.data_tree", no_reading)
    monkeypatch.setattr("regdoc.tree.check.checked_tree", no_reading)
    assert main([*command, "--root", str(tree), "--out", str(tree / "missing")]) == 1
    assert "the folder to write into does not exist" in capsys.readouterr().err


def test_an_output_folder_inside_the_data_is_refused(tree: Path, capsys):
    before = _digest(tree)
    assert main(["build", "--root", str(tree), "--out", str(tree / "resolutions")]) == 1
    assert "refusing to write into the data tree's source folder resolutions/" in capsys.readouterr().err
    assert _digest(tree) == before


def test_render_one_language(tree: Path, capsys):
    assert main(["render", "resolution", "2026-02-20/9/7", "--lang", "kk", "--root", str(tree)]) == 0
    # issue 15: with the annexes its items approve (Appendix 1 in new wording) and attach (the results)
    assert sorted(_files(tree / "out")) == ["appendix-1-2026-02-20.kk.docx", "resolution-2026-02-20-9-7.kk.docx",
                                            "results-2025.kk.docx"]


def test_render_an_unknown_resolution_suggests_the_nearest(tree: Path, capsys):
    assert main(["render", "resolution", "2026-02-20/9/6", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "no resolution 2026-02-20/9/6" in err and "did you mean '2026-02-20/9/7'" in err


def test_parallel_needs_both_languages(tree: Path, capsys):
    assert main(["render", "resolution", "2026-02-20/9/7", "--lang", "ru", "--parallel", "--root", str(tree)]) == 1
    assert "--parallel" in capsys.readouterr().err


def test_render_parallel_documents(tree: Path):
    for args in (["resolution", "2026-02-20/9/7"], ["regulation", "--as-of", "2026-02-20"], ["results", "2025"]):
        assert main(["render", *args, "--parallel", "--root", str(tree)]) == 0
    names = sorted(_files(tree / "out"))
    # the resolution's Appendix 1 has no side-by-side form: it comes in both languages (issue 15)
    assert names == ["appendix-1-2026-02-20.kk.docx", "appendix-1-2026-02-20.ru.docx",
                     "regulation-2026-02-20.kk-ru.docx", "resolution-2026-02-20-9-7.kk-ru.docx",
                     "results-2025.kk-ru.docx"]
    for name in (n for n in names if ".kk-ru." in n):
        [table] = plain_document(str(tree / "out" / name)).tables
        assert [c.text for c in table.rows[0].cells] == ["Қазақ тілінде", "На русском языке"]


def test_render_the_regulation_before_and_after_the_amendment(tree: Path):
    assert main(["render", "regulation", "--as-of", "2025-06-01", "--root", str(tree)]) == 0
    assert main(["render", "regulation", "--as-of", "2026-03-01", "--root", str(tree)]) == 0
    before = "\n".join(block_texts(tree / "out" / "regulation-2025-06-01.kk.docx"))
    after = "\n".join(block_texts(tree / "out" / "regulation-2026-03-01.kk.docx"))
    assert "Ескерту." not in before
    assert "Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен." in after
    assert "01.06.2025 жағдай бойынша" in before


def test_render_rejects_a_bad_date(tree: Path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["render", "regulation", "--as-of", "2026-02-30", "--root", str(tree)])
    assert info.value.code == 2
    assert "'2026-02-30' is not a date of the form YYYY-MM-DD" in capsys.readouterr().err


def test_templates_check_passes_on_the_shipped_templates(repo: Path, capsys):
    assert main(["templates", "check", "--root", str(repo)]) == 0
    assert "regdoc templates check: 13 templates fine" in capsys.readouterr().err


def test_templates_check_finds_a_split_tag(tree: Path, capsys):
    path = tree / "templates" / "ru" / "regulation.docx"
    doc = plain_document(str(path))
    para = next(p for p in doc.paragraphs if p.text == "{{ title }}")
    para.runs[0].text = "{{ ti"
    para.add_run("tle }}").bold = True  # what Word does when a person makes half a tag bold
    doc.save(str(path))
    assert main(["templates", "check", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "templates/ru/regulation.docx: tag {{ title }} is split across 2 runs" in err


def test_without_libreoffice_the_docx_files_are_still_written(tree: Path, capsys, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    assert main(["build", "--pdf", "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "LibreOffice (soffice) is not installed" in err
    assert sorted(n for n in _files(tree / PACKET_DIR) if n.endswith(".docx")) == PACKET
    manifest = json.loads((tree / PACKET_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["file"] for e in manifest["not_produced"]) == sorted(n[:-5] + ".pdf" for n in PACKET)


def _pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = ["-f", str(first), "-l", str(last)] if first else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdfinfo") is None
                    or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or poppler-utils (pdfinfo, pdftotext) is not installed")
def test_build_pdf_converts_every_document(shipped_pdf_build: Path):
    out = shipped_pdf_build  # `regdoc build --pdf` over a copy of the shipped tree (conftest: once per process)
    pdfs = sorted(n for n in _files(out) if n.endswith(".pdf"))
    assert pdfs == sorted(n[:-5] + ".pdf" for n in PACKET)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    converted = {e["file"]: e["converted_from"] for e in manifest["files"] if "converted_from" in e}
    assert converted == {n[:-5] + ".pdf": n for n in PACKET}
    pages = {name: _pages(out / name) for name in pdfs}
    assert 1 <= pages["resolution-2026-02-20-9-7.kk.pdf"] <= 3
    assert 1 <= pages["resolution-2026-02-20-9-7.ru.pdf"] <= 3
    assert pages["regulation-2026-02-20.kk.pdf"] >= 4  # the text, then Appendix 1 on landscape pages
    assert pages["results-2025.kk.pdf"] >= 1
    for lang in ("kk", "ru"):  # same structure in both languages: page counts close
        assert abs(pages[f"regulation-2026-02-20.{lang}.pdf"] - pages["regulation-2026-02-20.kk.pdf"]) <= 2
    kk = " ".join(_pdf_text(out / "resolution-2026-02-20-9-7.kk.pdf").split())  # lines and spacing ignored
    for text in ("ҚАУЛЫ ЕТЕДІ:", "Қазақстандық оқу-ағарту", "жалпы ұпай саны – 100 201", "Мұқашева"):
        assert text in kk, text
    for name in pdfs:
        text = _pdf_text(out / name)
        if ".kk." in name:
            assert set("әғқңөұүі") <= set(text.lower()), name  # the Kazakh letters survive
        if pages[name] > 1:  # numbered from the second page: «2» heads page 2, page 1 has no number
            assert _pdf_text(out / name, 2, 2).split()[0] == "2", name
            assert _pdf_text(out / name, 1, 1).split()[0] != "1", name


def test_a_restyled_template_is_used_as_it_is(tree: Path):
    path = tree / "templates" / "kk" / "resolution.docx"
    doc = plain_document(str(path))
    doc.styles["Place"].font.bold = True  # what a person does in Word: change the style, not the text
    doc.styles["Normal"].paragraph_format.first_line_indent = None
    doc.save(str(path))
    assert main(["render", "resolution", "2026-02-20/9/7", "--lang", "kk", "--root", str(tree)]) == 0
    out = plain_document(str(tree / "out" / "resolution-2026-02-20-9-7.kk.docx"))
    assert out.styles["Place"].font.bold is True
    assert out.styles["Normal"].paragraph_format.first_line_indent is None
    assert [p.style.name for p in out.paragraphs if p.text.startswith("ІІ орын")] == ["Place"]
