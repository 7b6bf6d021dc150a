"""Shared fixtures: the repository's own data tree, and copies of it that a test may change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA_DIRS = ("regulation", "resolutions", "organisations", "evaluations", "templates")


def copy_tree(dest: Path) -> Path:
    """Copy the shipped data tree (data folders only) into `dest` and return it."""
    for name in DATA_DIRS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    return dest


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the shipped data tree."""
    return copy_tree(tmp_path / "data")


def digest(root: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under the data folders of `root`."""
    import hashlib

    out = {}
    for name in DATA_DIRS:
        for path in sorted((root / name).rglob("*")) if (root / name).is_dir() else ():
            if path.is_file():
                out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(autouse=True)
def shipped_data_unchanged():
    """No test, and so no command run by a test, may change the repository's own data tree."""
    before = digest(REPO)
    yield
    assert digest(REPO) == before, "the repository's data tree was changed"
