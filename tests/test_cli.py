from __future__ import annotations

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
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].endswith("valid (0 error(s), 1 warning(s))")
    assert "warning: items are numbered 1, 3, 4, 5, 6" in out


def test_check_takes_the_path_as_argument(repo: Path, capsys):
    assert main(["check", str(repo)]) == 0


def test_help_does_not_import_the_document_stack(repo: Path):
    code = ("import sys; from regdoc.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('docx', 'docxtpl', 'openpyxl', 'babel', 'jsonschema') if m in sys.modules]\n"
            "print('HEAVY=' + ','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="


def test_internal_errors_are_one_line(monkeypatch, capsys):
    import regdoc.commands.check as check_command

    def boom(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(check_command, "run", boom)
    monkeypatch.delenv("REGDOC_DEBUG", raising=False)
    assert main(["check"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: ZeroDivisionError" in err and "Traceback" not in err
