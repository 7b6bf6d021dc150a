"""The data tree of a root, loaded once and loaded again when a file under it changes.

Both faces use it: a CLI command loads its tree once; the browser workspace keeps it between requests, so that a
clerk's edit in an editor, or a `git pull`, shows on the next request. A tree with errors is never kept: loading
it again raises its CheckFailed with the present problems.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from regdoc.data import model as m
from regdoc.errors import CheckFailed
from regdoc.tree.load import load_evaluation, load_tree_and_drafts

# The folders whose files make up the loaded model (templates are read when a document is made).
DATA_FOLDERS = ("regulation", "organisations", "resolutions", "evaluations")


def signature(root: Path) -> tuple:
    """Return what identifies the present state of the data files under `root`: each file's path, size, change
    time and inode (an edit, a save by rename or a checkout changes at least one of them)."""
    found = []
    for name in DATA_FOLDERS:
        top = root / name
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            for f in sorted(files):
                path = os.path.join(folder, f)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                found.append((path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(found)


@dataclass
class _Entry:
    signature: tuple
    tree: m.DataTree
    drafts: list = field(default_factory=list)  # the problems found, when some are draft errors (Problem.draft)
    evaluations: dict = field(default_factory=dict)


MAX_ROOTS = 8  # data trees kept at once (a test run or a server rarely uses more than one)
_cache: dict[Path, _Entry] = {}
_lock = threading.Lock()


def data_tree(root: Path | str, drafts: bool = False) -> m.DataTree:
    """Return the DataTree under `root`, from memory when no data file changed since it was loaded; raise
    CheckFailed listing every error otherwise. With `drafts` (the read-only views), a tree whose only errors are
    draft errors (an amendment whose resolution does not exist yet) is returned, those amendments marked draft."""
    entry = _entry(Path(root))
    if entry.drafts and not drafts:
        raise CheckFailed(entry.drafts)
    return entry.tree


def evaluation(root: Path | str, year: int, reports_from: Optional[Path] = None,
               reports_shown: Optional[str] = None) -> m.Evaluation:
    """Return the evaluation of `year` (its reports replaced by those of `reports_from`, a .csv or .xlsx, shown
    in messages as `reports_shown`); raise CheckFailed listing every problem."""
    entry = _entry(Path(root))
    if entry.drafts:
        raise CheckFailed(entry.drafts)
    if reports_from is not None:
        return load_evaluation(root, year, entry.tree, reports_from, reports_shown)
    if year not in entry.evaluations:
        entry.evaluations[year] = load_evaluation(root, year, entry.tree)
    return entry.evaluations[year]


def _entry(root: Path) -> _Entry:
    key = root.resolve()
    with _lock:
        now = signature(key)
        entry = _cache.get(key)
        if entry is None or entry.signature != now:
            _cache.pop(key, None)
            entry = _Entry(now, *load_tree_and_drafts(root))
            while len(_cache) >= MAX_ROOTS:
                _cache.pop(next(iter(_cache)))
            _cache[key] = entry
        return entry
