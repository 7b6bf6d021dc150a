"""The repository's own data tree for tests: where it is, a copy of it, and a digest of its files."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA_DIRS = ("regulation", "resolutions", "organisations", "evaluations", "templates")


def copy_tree(dest: Path) -> Path:
    """Copy the shipped data tree (its data folders only) into `dest` and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in DATA_DIRS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    return dest


def digest(root: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under the data folders of `root`.

    The same files as Path.rglob("*") and is_file() would find (a link to a file is read through; a linked folder
    is not entered), walked with os.walk and plain strings: pathlib's objects for every entry cost more than the
    hashing (the bad-inputs corpus takes four digests per case)."""
    out = {}
    root = os.fspath(root)
    start = len(root) + 1
    for name in DATA_DIRS:
        top = os.path.join(root, name)
        if not os.path.isdir(top):
            continue
        for folder, dirs, files in os.walk(top):
            for entry in dirs + files:
                path = os.path.join(folder, entry)
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        out[path[start:].replace(os.sep, "/")] = hashlib.sha256(f.read()).hexdigest()
    return dict(sorted(out.items()))


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file by `new`; return the line where it stood."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


GIT = ["git", "-c", "user.name=setup", "-c", "user.email=setup@example.invalid"]


def git(root: Path, *args: str) -> str:
    """Run git in `root` as the test setup's user; return what it printed."""
    return subprocess.run(GIT + ["-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def in_git(root: Path) -> Path:
    """Make the data tree `root` a git repository whose one commit holds all of it."""
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root
