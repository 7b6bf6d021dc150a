"""The data tree of the served root, loaded once and kept while no file under it changes.

Every request asks `Workspace.state()`: the signature of the data files (regdoc.app.workspace: each file's path,
size, times and inode; about a millisecond on the shipped data) is compared with that of the last load; on any
difference (a clerk's edit, a `git pull`) the tree is loaded (through regdoc.app.workspace's cache, shared with
the application functions) and checked (regdoc.app.check) again. A tree that does not load gives a state holding
the problems instead, which the pages show as `check` shows them. Derived values (editions, a year's scored results) are kept
on the state, so they too are computed once per version of the files, and so are the read pages rendered from them
(regdoc.web.pages: at most MAX_PAGES of them and PAGE_BYTES in all, the least recently used dropped first).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from regdoc.errors import CheckFailed, Problem, RegdocError
from regdoc.kept import Kept

MAX_PAGES = 512  # rendered read pages kept per version of the tree
PAGE_BYTES = 64 * 1024 * 1024  # and their bytes in all (a ranking of 10 000 organisations is some megabytes)


def fingerprint(root: Path) -> tuple:
    """Return what identifies the present state of the data files under `root` (regdoc.app.workspace)."""
    from regdoc.app.workspace import signature

    return signature(root.resolve())


def _page_size(_key: tuple, page: tuple[bytes, ...]) -> int:
    return sum(len(part) for part in page)


@dataclass
class State:
    """One version of the data tree: the loaded tree, or the problems that stop it loading."""

    key: tuple
    tree: Any = None
    problems: list[Problem] = field(default_factory=list)
    _derived: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # the rendered pages (regdoc.kept: its own lock, as `derived` holds _lock while it computes and a kept page is
    # looked up in the event loop); a page larger than a quarter of PAGE_BYTES is not kept
    _pages: Kept = field(default_factory=lambda: Kept(MAX_PAGES, PAGE_BYTES, weigh=_page_size,
                                                      largest=PAGE_BYTES // 4))

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

    def page(self, key: tuple) -> Any:
        """Return the rendered page kept under `key` for this version of the tree, or None."""
        return self._pages.get(key)

    def keep_page(self, key: tuple, page: tuple[bytes, ...]) -> None:
        """Keep a rendered page (its parts) under `key`, dropping the least recently used beyond MAX_PAGES pages
        or PAGE_BYTES bytes; a page larger than a quarter of PAGE_BYTES is not kept."""
        self._pages.keep(key, page)


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

    def fresh(self) -> Optional[State]:
        """Return the state already loaded if no file has changed since, else None (without loading: the caller
        then goes the slow way, in a worker thread)."""
        current = self._state
        if current is not None and current.key == fingerprint(self.root):
            return current
        return None

    def _load(self, key: tuple) -> State:
        from regdoc.app.check import check
        from regdoc.app.workspace import data_tree

        state = State(key)
        try:
            state.tree = data_tree(self.root)
        except CheckFailed as failed:
            state.problems = list(failed.problems)
            return state
        except RegdocError as err:
            state.problems = [Problem.from_error(err)]
            return state
        state.problems = list(check(self.root).problems)
        return state
