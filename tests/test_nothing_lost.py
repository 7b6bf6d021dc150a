"""Nothing lost: every command, run with typical arguments on a copy of the shipped data tree, leaves the data
tree byte for byte as it was, except `resolution new`, which only adds its one new file; the test knows every
command the CLI has, so a new command without a case here fails it. And a build is reproducible: two builds in
two processes (other hash seeds, other time zones) give byte-identical files whose hashes the manifest holds."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from datatree import REPO, digest

from regdoc.cli import build_parser, main

# Each command's typical runs: arguments after the command's words ({root}: the data tree, {out}: a folder for
# outputs outside the tree's sources, {input}: a filled reporting spreadsheet), and the exit code expected.
RUNS: dict[tuple[str, ...], list[tuple[str, int]]] = {
    ("check",): [("--root {root}", 0), ("{root}", 0)],
    ("regulation",): [("--root {root}", 0), ("--as-of 2025-01-01 --lang ru --format md --root {root}", 0),
                      ("--as-of 2026-02-20 --format json --root {root}", 0)],
    ("history",): [("4.2 --root {root}", 0), ("5.2 --lang ru --format json --root {root}", 0)],
    ("diff",): [("2023-03-01 2026-02-20 --root {root}", 0), ("2025-01-01 2026-03-01 --format md --root {root}", 0),
                ("2023-03-01 2026-02-20 --format html --out {out}/diff.html --root {root}", 0)],
    ("criteria", "diff"): [("2025 2026 --root {root}", 0), ("2023-03-01 2026-02-20 --format json --root {root}", 0)],
    ("score",): [("2025 --root {root}", 0), ("2025 --lang ru --format md --root {root}", 0),
                 ("2025 --format xlsx --out {out}/score.xlsx --root {root}", 0),
                 ("2025 --format csv --out {out}/score.csv --root {root}", 0),
                 ("2025 --explain aktobe --format json --root {root}", 0),
                 ("2025 --input {input} --root {root}", 0)],
    ("evaluation", "template"): [("2025 --out {out}/t.xlsx --root {root}", 0),
                                 ("2025 --filled --format csv --out {out}/t.csv --root {root}", 0),
                                 ("2026 --format csv --root {root}", 0)],
    ("resolution", "list"): [("--root {root}", 0), ("--format json --root {root}", 0),
                             ("--format xlsx --out {out}/register.xlsx --root {root}", 0)],
    ("resolution", "new"): [],  # the one command that writes into the tree: test_resolution_new_only_adds_its_file
    ("build",): [("--root {root}", 0), ("--out {out} --root {root}", 0)],
    ("render", "resolution"): [("2026-02-20/9/7 --out {out} --root {root}", 0),
                               ("2026-02-20/9/7 --lang kk --pdf --out {out} --root {root}", 0)],
    ("render", "regulation"): [("--as-of 2026-02-20 --parallel --out {out} --root {root}", 0)],
    ("render", "results"): [("2025 --lang ru --out {out} --root {root}", 0)],
    ("render", "comparison"): [("2026-02-20 --out {out} --root {root}", 0)],
    ("render", "register"): [("2026 --out {out} --root {root}", 0)],
    ("templates", "check"): [("--root {root}", 0)],
    ("serve",): [("--host 0.0.0.0 --users {out}/none.json --root {root}", 1)],  # no accounts: refused at once
    ("users", "add"): [("alice --role viewer --users {root}/users.json --root {root}", 1)],  # inside the tree
    ("redline",): [("2023-03-01 2026-02-20 --out {out}/redline.docx --root {root}", 0)],
}


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Return the word sequences of every command the parser runs (the leaves of its subcommands)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {prefix}
    found = set()
    for action in subs:
        for name, sub in action.choices.items():
            found |= commands(sub, prefix + (name,))
    return found


def test_every_command_has_its_runs():
    assert commands(build_parser()) == set(RUNS)


CASES = [(words, args, code) for words, runs in RUNS.items() for args, code in runs]


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("input") / "filled.xlsx"
    assert main(["evaluation", "template", "2025", "--filled", "--out", str(path), "--root", str(REPO)]) == 0
    return path


@pytest.mark.parametrize("words, args, code", CASES, ids=[" ".join(w) + ": " + a for w, a, _ in CASES])
def test_a_command_leaves_the_data_tree_unchanged(words, args, code, tree: Path, tmp_path: Path, filled: Path,
                                                  monkeypatch, capsys):
    if "--pdf" in args and not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(tmp_path)
    before = digest(tree)
    argv = list(words) + [a.format(root=tree, out=out, input=filled) for a in args.split()]
    assert main(argv) == code, capsys.readouterr().err
    assert digest(tree) == before


def test_resolution_new_only_adds_its_file(tree: Path, capsys):
    before = digest(tree)
    assert main(["resolution", "new", "--date", "2026-03-05", "--title-kk", "Сынақ", "--root", str(tree)]) == 0
    after = digest(tree)
    added = sorted(set(after) - set(before))
    assert added == ["resolutions/2026/2026-03-05-10-1.yaml"], capsys.readouterr()
    assert {k: v for k, v in after.items() if k not in added} == before


def test_a_build_is_reproducible_across_processes(tree: Path, tmp_path: Path):
    outputs = []
    for seed, zone in (("1", "UTC"), ("2", "Asia/Almaty")):
        out = tmp_path / f"out-{seed}"
        out.mkdir()
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"), PYTHONHASHSEED=seed, TZ=zone)
        run = subprocess.run([sys.executable, "-m", "regdoc", "build", "--root", str(tree), "--out", str(out)],
                             capture_output=True, text=True, env=env, timeout=300)
        assert run.returncode == 0, run.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    manifest = json.loads(outputs[0]["manifest.json"])
    assert manifest["not_produced"] == []
    assert {e["file"]: e["sha256"] for e in manifest["files"]} == \
        {name: hashlib.sha256(data).hexdigest() for name, data in outputs[0].items() if name != "manifest.json"}
    for entry in manifest["files"]:
        for source in entry.get("sources", ()):
            assert source["sha256"] == hashlib.sha256((tree / source["file"]).read_bytes()).hexdigest()
