"""`regdoc redline FROM TO` through regdoc.cli.main."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import digest
from redline_support import accept_all, blocks, document_xml, q, revisions

from regdoc.cli import main


def test_redline_to_the_default_folder(tree: Path, capsys):
    before = digest(tree)
    assert main(["redline", "2023-03-01", "2026-02-20", "--root", str(tree)]) == 0
    err = capsys.readouterr().err  # the "wrote" line is a message: on stderr
    path = tree / "out" / "redline-2023-03-01-2026-02-20.kk.docx"
    assert err.startswith(f"regdoc: wrote {path}  ") and "sha256" in err
    root = document_xml(path.read_bytes())
    assert revisions(root)
    assert any(isinstance(b, str) and b.startswith("4.2. Қорытындылау кезінде") for b in blocks(accept_all(root)))
    assert digest(tree) == before


def test_redline_to_a_file_by_dates_in_russian(tree: Path, tmp_path: Path, capsys):
    (tmp_path / "docs").mkdir()
    target = tmp_path / "docs" / "redline.docx"
    target.write_bytes(b"old")
    assert main(["redline", "2025-12-31", "2026-03-01", "--lang", "ru", "--out", str(target),
                 "--root", str(tree)]) == 0
    capsys.readouterr()
    root = document_xml(target.read_bytes())
    assert {r.get(q("author")) for r in revisions(root)} == {"Постановление Исполнительного комитета от 20.02.2026 № 9"}
    assert [p.name for p in target.parent.iterdir()] == ["redline.docx"]  # replaced whole, no temporary file left


@pytest.mark.parametrize("args, message", [
    (["2026-02-20", "2023-03-01"], "FROM 2026-02-20 (2026-02-20) is later than TO 2023-03-01"),
    (["2023-03-01", "2026-13-01"], "'2026-13-01' is neither a date YYYY-MM-DD nor an edition id"),
    (["2023-03-01", "2026-02-20", "--out", "regulation/r.docx"],
     "refusing to write into the data tree's source folder regulation/"),
    (["2023-03-01", "2026-02-20", "--out", "missing/r.docx"], "the folder to write into does not exist"),
])
def test_redline_errors(tree: Path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tree)
    before = digest(tree)
    assert main(["redline", *args, "--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert digest(tree) == before and not (tree / "out").exists()


def test_redline_without_the_template(tree: Path, capsys):
    (tree / "templates" / "kk" / "regulation.docx").unlink()
    assert main(["redline", "2023-03-01", "2026-02-20", "--root", str(tree)]) == 1
    assert "templates/kk/regulation.docx: template not found" in capsys.readouterr().err
    assert not (tree / "out").exists()
