"""Shell completion (regdoc.cli.completion, argcomplete): the generated code completes commands, subcommands,
options and their choices in a real bash; zsh and fish code is generated; a run that is no completion request
never imports argcomplete (`regdoc --help` stays fast)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from datatree import REPO

BASH = shutil.which("bash")


@pytest.fixture
def on_path(tmp_path) -> dict:
    """An environment whose PATH has a `regdoc` that runs this checkout (the shell code calls it by name)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "regdoc"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m regdoc "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_ARC", "COMP_", "REGDOC_UI_LANG"))}
    return dict(env, PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(REPO / "src"))


def regdoc(*argv: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regdoc", *argv], capture_output=True, text=True, env=env,
                          timeout=120)


def bash_complete(line: str, env: dict, code: str) -> list[str]:
    """Return what bash offers for the command line `line` (the cursor at its end) with regdoc's completion
    `code` (what `regdoc completion bash` printed, which a person's bash evaluates)."""
    script = ('eval "$CODE"\n'
              'COMP_LINE="$LINE"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$LINE"\n'
              'if [[ "$LINE" == *" " ]]; then COMP_WORDS+=(""); fi\n'
              'COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n'
              '_python_argcomplete regdoc\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    run = subprocess.run([BASH, "--norc", "--noprofile", "-c", script], capture_output=True, text=True,
                         env=dict(env, LINE=line, CODE=code), timeout=120)
    assert run.returncode == 0, run.stderr
    return sorted(word.strip() for word in run.stdout.splitlines() if word.strip())


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_bash_completes_commands_subcommands_options_and_choices(on_path):
    generated = regdoc("completion", "bash", env=on_path)
    assert generated.returncode == 0 and "complete " in generated.stdout and "regdoc" in generated.stdout
    code = generated.stdout  # generated once, evaluated by each bash below
    assert bash_complete("regdoc sc", on_path, code) == ["schemas", "score"]
    assert bash_complete("regdoc resolution l", on_path, code) == ["list"]
    assert bash_complete("regdoc score 2025 --format ", on_path, code) == ["csv", "json", "md", "text", "xlsx"]
    assert "--explain" in bash_complete("regdoc score 2025 --", on_path, code)


@pytest.mark.parametrize("shell, marker", [("zsh", "#compdef regdoc"), ("fish", "complete --command regdoc")])
def test_zsh_and_fish_code_is_generated(on_path, shell, marker):
    run = regdoc("completion", shell, env=on_path)
    assert run.returncode == 0 and run.stderr == ""
    assert marker in run.stdout


def test_an_unknown_shell_is_a_usage_error(on_path):
    run = regdoc("completion", "powershell", env=on_path)
    assert run.returncode == 2 and "invalid choice" in run.stderr and run.stdout == ""


def test_a_run_that_is_no_completion_request_never_imports_argcomplete(on_path):
    code = ("import sys\nfrom regdoc.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "main(['schemas', '--path'])\nprint('argcomplete' in sys.modules, file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=on_path, timeout=120)
    assert run.returncode == 0 and run.stderr.strip() == "False", run.stderr
