"""Faults met while writing outputs, end to end through the CLI in a subprocess: a file size limit
(RLIMIT_FSIZE, so the write really fails half way with EFBIG) and a process killed mid-write. The previous output
stays intact, no partial or temporary file stays behind, and the error is one line naming the file."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from datatree import REPO

SRC = REPO / "src"


def regdoc(*argv: str, fsize: int | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONDONTWRITEBYTECODE="1")
    env.pop("REGDOC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "regdoc", *argv], capture_output=True, text=True, env=env,
                          preexec_fn=limit, timeout=120, cwd=cwd)


@pytest.mark.parametrize("fmt, message", [
    ("md", "{out}: cannot write the file: File too large"),
    ("csv", "{out}: cannot write the file: File too large"),
    ("xlsx", "{out}: cannot make the workbook: writing its sheets to the temporary folder"),
])
def test_a_write_cut_short_by_a_size_limit_keeps_the_previous_output(tmp_path, fmt, message):
    out = tmp_path / f"score.{fmt}"
    out.write_bytes(b"the previous results")
    run = regdoc("score", "2025", "--root", str(REPO), "--format", fmt, "--out", str(out), fsize=600)
    assert run.returncode == 1, run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith("regdoc: error: " + message.format(out=out)), run.stderr
    assert out.read_bytes() == b"the previous results"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_a_register_cut_short_keeps_the_previous_one(tmp_path):
    out = tmp_path / "register.xlsx"
    out.write_bytes(b"previous")
    run = regdoc("resolution", "list", "--root", str(REPO), "--format", "xlsx", "--out", str(out), fsize=600)
    assert run.returncode == 1 and run.stderr.startswith(f"regdoc: error: {out}: cannot write the file: File too large")
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1
    assert out.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == [out.name]


def test_the_same_command_without_the_limit_writes_the_file(tmp_path):
    out = tmp_path / "score.md"
    out.write_bytes(b"previous")
    run = regdoc("score", "2025", "--root", str(REPO), "--format", "md", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
