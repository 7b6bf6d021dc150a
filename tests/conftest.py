"""Shared fixtures: the repository's own data tree, and copies of it that a test may change."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from datatree import REPO, copy_tree, digest

# Bytecode is cached outside the checkout (as the benchmarks do): the commands the tests start as processes, and
# the modules this process imports from now on, compile regdoc once instead of in every process. A process started
# with PYTHONDONTWRITEBYTECODE=1 still reads what the others cached.
PYCACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "regdoc-tests" / "pycache"
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
sys.pycache_prefix, sys.dont_write_bytecode = str(PYCACHE), False


@pytest.fixture(scope="session", autouse=True)
def document_cache(tmp_path_factory):
    """The validated-document cache of regdoc.tree.cache in a folder of this test session (shared by its tests
    and the commands they start), never the user's own cache folder."""
    folder = tmp_path_factory.mktemp("regdoc-cache")
    saved = {k: os.environ.get(k) for k in ("REGDOC_CACHE_DIR", "REGDOC_CACHE")}
    os.environ["REGDOC_CACHE_DIR"] = str(folder)
    os.environ.pop("REGDOC_CACHE", None)
    yield folder
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


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
