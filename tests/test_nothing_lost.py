"""Nothing lost: every command, run with typical arguments on a copy of the shipped data tree, leaves the data
tree byte for byte as it was, except `resolution new`, which only adds its one new file; the test knows every
command the CLI has, so a new command without a case here fails it. And a build is reproducible: two builds in
two processes (other hash seeds, other time zones) give byte-identical files whose hashes the manifest holds."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runs import RUNS, commands
from datatree import REPO, digest

from regdoc.cli import build_parser, main

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


def test_amendment_new_only_adds_its_file_and_never_overwrites_it(tree: Path, capsys):
    before = digest(tree)
    argv = ["amendment", "new", "--date", "2027-02-12", "--resolution", "2027-02-12/3/5", "--root", str(tree)]
    assert main(argv) == 0
    after = digest(tree)
    added = sorted(set(after) - set(before))
    assert added == ["regulation/versions/2027-02-12.yaml"], capsys.readouterr()
    assert {k: v for k, v in after.items() if k not in added} == before
    (tree / added[0]).write_text((tree / added[0]).read_text(encoding="utf-8") + "# the clerk's work\n",
                                 encoding="utf-8")
    edited = digest(tree)
    capsys.readouterr()
    assert main(argv) == 1
    assert "regulation/versions/2027-02-12.yaml exists already" in capsys.readouterr().err
    assert digest(tree) == edited


def test_a_build_is_reproducible_across_processes(tree: Path, tmp_path: Path):
    outputs = []
    for seed, zone in (("1", "UTC"), ("2", "Asia/Almaty")):
        out = tmp_path / f"out-{seed}"
        out.mkdir()
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"), PYTHONHASHSEED=seed, TZ=zone)
        run = subprocess.run([sys.executable, "-m", "regdoc", "build", "--root", str(tree), "--out", str(out)],
                             capture_output=True, text=True, env=env, timeout=300)
        assert run.returncode == 0, run.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted((out / "2026-02-20-9-7").iterdir())})
    assert outputs[0] == outputs[1]
    manifest = json.loads(outputs[0]["manifest.json"])
    assert manifest["not_produced"] == []
    assert {e["file"]: e["sha256"] for e in manifest["files"]} == \
        {name: hashlib.sha256(data).hexdigest() for name, data in outputs[0].items() if name != "manifest.json"}
    for entry in manifest["files"]:
        for source in entry.get("sources", ()):
            assert source["sha256"] == hashlib.sha256((tree / source["file"]).read_bytes()).hexdigest()
