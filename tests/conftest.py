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
