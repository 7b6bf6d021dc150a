"""regdoc.cli.streams through the CLI: `--out -`, the format from --out's extension, results on stdout and every
message on stderr, and Kazakh text on any console encoding (subprocesses)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from datatree import REPO, digest

KAZAKH = "Мүшелік ұйымдардың"


def regdoc(*argv: str, env: dict | None = None, prelude: str = "") -> subprocess.CompletedProcess:
    code = prelude + "\nimport sys\nfrom regdoc.cli import main\nsys.exit(main(sys.argv[1:]))"
    if env is None:  # the caller's PYTHONIOENCODING would decide the streams' encoding: only a test's own counts
        env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env = dict(env, PYTHONPATH=str(REPO / "src"))
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, env=env, timeout=120)


def test_out_dash_writes_text_to_stdout_and_no_file(tree, tmp_path):
    run = regdoc("score", "2025", "--root", str(tree), "--out", "-", "--format", "md")
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode("utf-8").startswith("# ")
    assert not (tmp_path / "-").exists() and not (tree / "-").exists()


def test_out_dash_writes_binary_to_a_pipe(tree):
    run = regdoc("score", "2025", "--root", str(tree), "--format", "xlsx", "--out", "-")
    assert run.returncode == 0, run.stderr
    assert run.stdout[:2] == b"PK"


def test_binary_output_refuses_a_terminal(tree):
    prelude = "import sys\nsys.stdout.isatty = lambda: True"
    run = regdoc("score", "2025", "--root", str(tree), "--format", "xlsx", "--out", "-", prelude=prelude)
    assert run.returncode == 1 and b"not written to a terminal" in run.stderr and run.stdout == b""


def test_the_extension_selects_the_format(tree, tmp_path):
    run = regdoc("score", "2025", "--root", str(tree), "--out", str(tmp_path / "s.md"))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "s.md").read_text(encoding="utf-8").startswith("# ")
    run = regdoc("score", "2025", "--root", str(tree), "--out", str(tmp_path / "s.xlsx"))
    assert run.returncode == 0 and (tmp_path / "s.xlsx").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("argv", [["score", "2025", "--format", "md", "--out", "{tmp}/s.xlsx"],
                                  ["score", "2025", "--out", "{tmp}/s.html"],
                                  ["diff", "2023-03-01", "2026-02-20", "--format", "md", "--out", "{tmp}/d.html"]])
def test_an_extension_that_contradicts_the_format_is_refused(tree, tmp_path, argv):
    run = regdoc(*[a.format(tmp=tmp_path) for a in argv], "--root", str(tree))
    assert run.returncode == 1 and b"names the format" in run.stderr, run.stderr
    assert run.stdout == b""
    assert not any((tmp_path / name).exists() for name in ("s.xlsx", "s.html", "d.html"))  # nothing written


def test_out_dash_is_refused_where_files_are_written(tree):
    before = digest(tree)
    run = regdoc("build", "--root", str(tree), "--out", "-")
    assert run.returncode == 1 and b"standard output" in run.stderr
    assert digest(tree) == before and not (tree / "out").exists()


@pytest.mark.parametrize("argv", [["check"], ["build"], ["templates", "check"], ["score", "2025", "--out", "{out}"]])
def test_messages_go_to_stderr_and_only_results_to_stdout(tree, tmp_path, argv):
    run = regdoc(*[a.format(out=tmp_path / "s.txt") for a in argv], "--root", str(tree))
    assert run.returncode == 0, run.stderr
    assert run.stdout == b"", run.stdout
    assert run.stderr


@pytest.mark.parametrize("encoding", ["cp1251", "cp866", "ascii"])
def test_kazakh_on_a_console_that_cannot_carry_it_is_written_as_utf8(tree, encoding):
    prelude = f"import io, sys\nsys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='{encoding}')"
    run = regdoc("score", "2025", "--root", str(tree), prelude=prelude)
    assert run.returncode == 0, run.stderr
    assert KAZAKH in run.stdout.decode("utf-8")


@pytest.mark.parametrize("encoding", ["cp1251", "cp866", "ascii"])
def test_pythonioencoding_is_honoured_without_an_internal_error(tree, encoding):
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    run = regdoc("score", "2025", "--root", str(tree), env=env)
    assert run.returncode == 0, run.stderr
    text = run.stdout.decode(encoding)
    assert "\\u04b1" in text or "\\u04d9" in text  # the letters cp1251/cp866/ascii lack, as escapes
    run = regdoc("check", "--root", str(tree), env=env)  # messages too
    assert run.returncode == 0 and b"internal error" not in run.stderr


@pytest.mark.parametrize("argv", [["diff", "2023-03-01", "2026-02-20", "--format", "md"], ["resolution", "list"],
                                  ["evaluation", "template", "2025", "--format", "csv"]])
def test_out_dash_is_standard_output_for_every_text_command(tree, argv):
    before = digest(tree)
    run = regdoc(*argv, "--out", "-", "--root", str(tree))
    assert run.returncode == 0, run.stderr
    assert run.stdout and run.stderr == b""
    assert digest(tree) == before and not (tree / "-").exists()


def test_a_real_ascii_locale_gets_utf8(tree):
    """Not a simulated stream: Python started in the C locale without UTF-8 mode writes ascii on its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8"))}
    env.update(LC_ALL="C", PYTHONCOERCECLOCALE="0", PYTHONUTF8="0")
    probe = subprocess.run([sys.executable, "-c", "import sys; print(sys.stdout.encoding)"], capture_output=True,
                           env=env, text=True, timeout=60)
    if probe.stdout.strip().lower() not in ("ascii", "ansi_x3.4-1968"):
        pytest.skip(f"this Python writes {probe.stdout.strip()} in the C locale")
    run = regdoc("score", "2025", "--root", str(tree), env=env)
    assert run.returncode == 0, run.stderr
    assert KAZAKH in run.stdout.decode("utf-8")
