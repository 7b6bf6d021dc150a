"""Shared fixtures: the repository's own data tree, and copies of it that a test may change."""
from __future__ import annotations

from pathlib import Path

import pytest
from datatree import REPO, copy_tree, digest


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the shipped data tree."""
    return copy_tree(tmp_path / "data")


@pytest.fixture(autouse=True)
def shipped_data_unchanged():
    """No test, and so no command run by a test, may change the repository's own data tree."""
    before = digest(REPO)
    yield
    assert digest(REPO) == before, "the repository's data tree was changed"
