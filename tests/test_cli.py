from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from regdoc import __version__
from regdoc.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"regdoc {__version__}"


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "check" in capsys.readouterr().out


def test_check_clean_tree(repo: Path, capsys):
    assert main(["check", "--root", str(repo)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # warnings and the summary are messages: stderr (issue 14)
    out = captured.err
    # the numbering gap as issued, and the issued amendment's missing justification (issue 12)
    assert out.strip().splitlines()[-1].endswith("valid (0 errors, 2 warnings)")
    assert "warning: items are numbered 1, 3, 4, 5, 6" in out


def test_check_takes_the_path_as_argument(repo: Path, capsys):
    assert main(["check", str(repo)]) == 0


# Modules `--help` (of regdoc and of every command) must not import, and those `check` must not import either:
# the document stack (python-docx, docxtpl, lxml, Jinja), spreadsheets (openpyxl) and regdoc's own glue to them.
DOCUMENT_STACK = ("docx", "docxtpl", "lxml", "jinja2", "openpyxl", "babel", "num2words", "regdoc.documents",
                  "regdoc.files.xlsx", "regdoc.views.html", "regdoc.files.archives", "starlette", "uvicorn",
                  "regdoc.web")
HELP_ALSO = ("jsonschema", "yaml", "regdoc.tree", "regdoc.files.spreadsheets")
PROBE = """
import contextlib, io, sys
from regdoc.cli import build_parser, main
from test_nothing_lost import commands

def loaded(names):
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in sys.modules))

for words in [()] + sorted(commands(build_parser())):
    for lang in ("en", "kk", "ru"):  # the interface catalogs read no document stack either
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main(["--ui-lang", lang] + list(words) + ["--help"])
            except SystemExit:
                pass
print("HELP=" + ",".join(loaded(DOCUMENT_STACK + HELP_ALSO)))
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["check", "--root", ROOT]) == 0
print("CHECK=" + ",".join(loaded(DOCUMENT_STACK)))
"""


def test_help_and_check_do_not_import_the_document_stack(repo: Path):
    code = f"DOCUMENT_STACK = {DOCUMENT_STACK!r}\nHELP_ALSO = {HELP_ALSO!r}\nROOT = {str(repo)!r}\n" + PROBE
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(repo / "src"), str(repo / "tests")]))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip().splitlines()[-2:] == ["HELP=", "CHECK="], result.stdout


def test_internal_errors_are_one_line(monkeypatch, capsys):
    import regdoc.cli.check as check_command

    def boom(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(check_command, "run", boom)
    monkeypatch.delenv("REGDOC_DEBUG", raising=False)
    assert main(["check"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: ZeroDivisionError" in err and "Traceback" not in err


def test_a_closed_pipe_is_not_an_internal_error(repo: Path):
    """`regdoc regulation | head` may close the pipe before regdoc is done: regdoc stops quietly."""
    proc = subprocess.Popen([sys.executable, "-m", "regdoc", "regulation", "--root", str(repo)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before regdoc writes anything
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""
