"""What a process keeps of work it may be asked to do again, within bounds.

A command does each piece of work once; the browser workspace (`regdoc serve`) and the tests run many in one
process, and ask again for the same: a template's package, the rows of an uploaded workbook read for its preview
and then for its acceptance, the model of a data file unchanged since the last edit, a page. `Kept` maps a key
(mostly the bytes, or the digest of the bytes, the work was done on) to its result, and stays bounded in a
long-running process: at most `entries` results, of at most `size` in all (as `weigh(key, result)` measures each,
in bytes or characters); the least recently used are dropped first, and one weighing more than `largest` (by
default `size`) is not kept.
Every caller gets the value that was kept: keep only values no one changes (or give each caller its copy).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, Optional


class Kept:
    """A bounded map, least recently used dropped first; safe to share between threads."""

    def __init__(self, entries: Optional[int] = None, size: Optional[int] = None,
                 weigh: Optional[Callable[[Any, Any], int]] = None, largest: Optional[int] = None) -> None:
        if size is not None and weigh is None:
            raise TypeError("a size bound needs a weigh function")
        self.entries, self.size, self.weigh = entries, size, weigh
        self.largest = size if largest is None else largest
        self._items: "OrderedDict[Hashable, tuple[Any, int]]" = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return the value kept under `key` (now the most recently used), or `default`."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return default
            self._items.move_to_end(key)
            return found[0]

    def keep(self, key: Hashable, value: Any) -> Any:
        """Keep `value` under `key` unless it alone is larger than the bounds allow; return `value`."""
        weight = self.weigh(key, value) if self.weigh is not None else 0
        if self.largest is not None and weight > self.largest:
            return value
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._held -= old[1]
            self._items[key] = (value, weight)
            self._held += weight
            while ((self.entries is not None and len(self._items) > self.entries)
                   or (self.size is not None and self._held > self.size)):
                self._held -= self._items.popitem(last=False)[1][1]
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._held = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    @property
    def held(self) -> int:
        """The weight of what is kept now (0 without a weigh function)."""
        return self._held
