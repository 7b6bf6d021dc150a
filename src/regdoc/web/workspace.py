"""The data tree of the served root, loaded once and kept while no file under it changes.

Every request asks `Workspace.state()`: a walk of the tree's folders compares each file's size and modification
time with those of the last load (about a millisecond on the shipped data); on any difference (a clerk's edit, a
`git pull`) the tree is read and checked again. A tree that does not load gives a state holding the problems
instead, which the pages show as `check` shows them. Derived values (editions, a year's scored results) are kept
on the state, so they too are computed once per version of the files.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from regdoc.errors import CheckFailed, Problem, RegdocError

# The folders a data tree is read from; out/ (built documents) and .git are not part of it.
WATCHED = ("regulation", "resolutions", "organisations", "evaluations", "templates")


def fingerprint(root: Path) -> tuple:
    """Return the (path, size, mtime_ns) of every file under the watched folders of `root`, sorted."""
    out = []
    for top in WATCHED:
        stack = [root / top]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    else:
                        st = entry.stat()
                        out.append((entry.path, st.st_size, st.st_mtime_ns))
                except OSError:
                    continue
    return tuple(sorted(out))


@dataclass
class State:
    """One version of the data tree: the loaded tree, or the problems that stop it loading."""

    key: tuple
    tree: Any = None
    problems: list[Problem] = field(default_factory=list)
    _derived: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def ok(self) -> bool:
        return self.tree is not None

    def derived(self, name: Any, make: Callable[[], Any]) -> Any:
        """Return the value `make()` computed once for this version of the tree (errors are kept too)."""
        with self._lock:
            if name not in self._derived:
                try:
                    self._derived[name] = (True, make())
                except RegdocError as err:
                    self._derived[name] = (False, err)
            ok, value = self._derived[name]
        if not ok:
            raise value
        return value


class Workspace:
    """The served data tree (see the module's docstring)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._state: Optional[State] = None
        self._lock = threading.Lock()

    def state(self) -> State:
        """Return the state of the tree as its files are now."""
        key = fingerprint(self.root)
        current = self._state
        if current is not None and current.key == key:
            return current
        with self._lock:
            if self._state is not None and self._state.key == key:
                return self._state
            self._state = self._load(key)
            return self._state

    def _load(self, key: tuple) -> State:
        from regdoc.tree.check import check_tree
        from regdoc.tree.load import load_tree

        state = State(key)
        try:
            state.tree = load_tree(self.root)
        except CheckFailed as failed:
            state.problems = list(failed.problems)
            return state
        except RegdocError as err:
            state.problems = [Problem.from_error(err)]
            return state
        state.problems = check_tree(self.root)
        return state
