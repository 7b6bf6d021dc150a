"""Special files and links, through the CLI in subprocesses: at --out (refused, left untouched), as the output
folder (a link leaving the tree is refused) and inside the data tree (links leaving it, devices and FIFOs are
refused, not read). Every case leaves the tree and earlier outputs byte for byte as they were."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from datatree import REPO, copy_tree, digest

TIMEOUT = 120


def regdoc(*argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("REGDOC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "regdoc", *argv], capture_output=True, text=True, env=env,
                          timeout=TIMEOUT)


def refused(run: subprocess.CompletedProcess, *parts: str) -> None:
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert any(all(p in line for p in parts) for line in run.stderr.splitlines()), (parts, run.stderr)


def snapshot(folder: Path) -> dict:
    """Return every entry under `folder` (links and special files included, not followed) with its content."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                out[str(path)] = ("link", os.readlink(path))
            elif path.is_fifo():
                out[str(path)] = ("fifo",)
            elif path.is_file():
                out[str(path)] = ("file", path.read_bytes())
    return out


# ----- at --out ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "link", "dangling-link"])
def test_a_special_file_at_out_is_refused_and_left_untouched(tmp_path, kind):
    root = copy_tree(tmp_path / "data")
    target = tmp_path / "kept.txt"
    target.write_text("kept\n", encoding="utf-8")
    out = tmp_path / "result.txt"
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "link":
        out.symlink_to(target)
    else:
        out.symlink_to(tmp_path / "nowhere.txt")
    before = snapshot(tmp_path)
    run = regdoc("score", "2025", "--root", str(root), "--out", str(out))
    refused(run, str(out), "regdoc writes only regular files")
    assert snapshot(tmp_path) == before


def test_a_device_at_out_is_refused_and_left_untouched(tmp_path):
    root = copy_tree(tmp_path / "data")
    before = os.stat("/dev/null")
    run = regdoc("score", "2025", "--root", str(root), "--out", "/dev/null")
    refused(run, "/dev/null", "is a device")
    after = os.stat("/dev/null")
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)


def test_an_output_folder_linked_out_of_the_tree_is_refused(tmp_path):
    root = copy_tree(tmp_path / "data")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "resolution-kk.docx").write_bytes(b"earlier")
    (root / "out").symlink_to(elsewhere)
    before = snapshot(tmp_path)
    run = regdoc("build", "--root", str(root))
    refused(run, "out", "outside the data tree")
    assert snapshot(tmp_path) == before


def test_the_same_folder_given_itself_is_written(tmp_path):
    root = copy_tree(tmp_path / "data")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = regdoc("score", "2025", "--root", str(root), "--out", str(elsewhere / "score.txt"))
    assert run.returncode == 0, run.stderr
    assert (elsewhere / "score.txt").is_file()


# ----- inside the data tree ---------------------------------------------------------------------------------

AMENDMENT = "regulation/versions/2026-02-20.yaml"


@pytest.mark.parametrize("rel", [AMENDMENT, "organisations/organisations.yaml", "regulation/regulation.yaml",
                                 "evaluations/2025/evaluation.yaml"])
def test_a_link_leaving_the_tree_is_refused_for_every_kind(tmp_path, rel):
    root = copy_tree(tmp_path / "data")
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((root / rel).read_bytes())
    (root / rel).unlink()
    (root / rel).symlink_to(outside)
    before = snapshot(tmp_path)
    run = regdoc("check", "--root", str(root))
    refused(run, rel, "outside the data tree")
    assert snapshot(tmp_path) == before


def test_a_link_inside_the_tree_is_followed(tmp_path):
    root = copy_tree(tmp_path / "data")
    (root / "organisations" / "kept.yaml").write_bytes((root / "organisations/organisations.yaml").read_bytes())
    (root / "organisations/organisations.yaml").unlink()
    (root / "organisations/organisations.yaml").symlink_to("kept.yaml")
    run = regdoc("check", "--root", str(root))
    assert run.returncode == 0, run.stderr


def test_a_link_to_dev_zero_as_an_amendment_is_refused_unread(tmp_path):
    root = copy_tree(tmp_path / "data")
    (root / "regulation/versions/2027-01-01.yaml").symlink_to("/dev/zero")
    run = regdoc("check", "--root", str(root))
    refused(run, "regulation/versions/2027-01-01.yaml", "is a device")
    assert "MemoryError" not in run.stderr


def test_a_fifo_in_the_tree_is_refused_without_hanging(tmp_path):
    root = copy_tree(tmp_path / "data")
    os.mkfifo(root / "regulation/versions/2027-01-01.yaml")
    run = regdoc("check", "--root", str(root))  # a hang fails by the subprocess timeout
    refused(run, "regulation/versions/2027-01-01.yaml", "FIFO")


@pytest.mark.parametrize("name", ["²", "２０２５", "٢٠٢٥"])
def test_an_evaluation_folder_with_foreign_digits_is_refused(tmp_path, name):
    root = copy_tree(tmp_path / "data")
    (root / "evaluations" / name).mkdir()
    (root / "evaluations" / name / "evaluation.yaml").write_bytes(
        (root / "evaluations/2025/evaluation.yaml").read_bytes())
    before = digest(root)
    run = regdoc("check", "--root", str(root))
    refused(run, f"evaluations/{name}", "not one of the digits 0-9")
    assert digest(root) == before


def test_each_amendment_error_is_reported_once(tmp_path):
    root = copy_tree(tmp_path / "data")
    path = root / AMENDMENT
    path.write_text(path.read_text(encoding="utf-8").replace('target: "3.2"', 'target: "9.99"', 1), encoding="utf-8")
    for argv in (["regulation"], ["check"], ["build", "--out", str(tmp_path)]):
        run = regdoc(*argv, "--root", str(root))
        lines = [line for line in run.stderr.splitlines() if "9.99" in line]
        assert len(lines) == 1, (argv, run.stderr)
