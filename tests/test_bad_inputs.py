"""Every bad file in tests/data/bad/ is driven through `regdoc check`: non-zero exit, no traceback, and a
message naming the file, the line and the key.

Each bad file starts with two comment lines:
  # target: <path in the data tree that the file replaces>
  # expect: <file>:<line> | <text> | <text> ...   (every part must appear in one line of the output)
"""
from __future__ import annotations

from pathlib import Path

import pytest

from regdoc.cli import main

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted(BAD.glob("*.yaml"))


def header(path: Path) -> tuple[str, list[str]]:
    lines = path.read_bytes().split(b"\n")[:2]
    target = lines[0].decode().removeprefix("# target:").strip()
    expect = [part.strip() for part in lines[1].decode().removeprefix("# expect:").split("|")]
    return target, expect


def test_corpus_is_large_enough():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_file_is_refused_clearly(case: Path, tree: Path, capsys):
    target, expect = header(case)
    dest = tree / target
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(case.read_bytes())
    code = main(["check", "--root", str(tree)])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "Traceback" not in out + err
    error_lines = [line for line in err.splitlines() if ": error: " in line]
    assert error_lines, err
    assert any(all(part in line for part in expect) for line in error_lines), (expect, err)
