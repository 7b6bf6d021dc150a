"""When Python's cyclic garbage collector runs in regdoc.

The collector looks for unreachable reference cycles each time 700 more container objects exist than before, and
every so often it goes through every object the process holds. Loading a data tree or an evaluation makes many
objects that all live on (hundreds of thousands at 10 000 organisations): the collections made while they are
made find nothing to free, and each later full collection goes through all of them again. At 10 000
organisations this was about 30 % of `regdoc score` (BENCHMARKS.md).

- `lasting()`: a block that makes objects that live on (loading a tree or an evaluation). No collection runs
  while it runs; afterwards the collector runs as before, or, in a short-lived process, what exists is moved out
  of its sight (`gc.freeze`).
- `short_lived()`: said once by a command of the command line (not by `regdoc serve`, which runs for long). What
  the imports made is moved out of the collector's sight at once, and what each lasting block made when it ends.
  Nothing of that would ever be collected before the process ends anyway; memory is still freed as soon as a
  value is no longer referenced (reference counting). Only a reference cycle that was already garbage when it was
  frozen (a workbook read in the block, say) stays until the end of the command. The youngest generation is
  collected after YOUNG new objects rather than 700: what a command makes besides (imports of the document
  stack, a document's parts) is mostly not garbage either, and `build` spent 30-50 ms in some 80 collections.

Tests and the browser workspace never say short_lived: in them a lasting block only pauses the collector.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

_short_lived = False
YOUNG = 5000  # new container objects between two collections of the youngest generation, in a short-lived process


def short_lived() -> None:
    """Mark this process as one command that ends soon, and freeze what exists (the imports' objects)."""
    global _short_lived
    _short_lived = True
    gc.freeze()
    gc.set_threshold(YOUNG, *gc.get_threshold()[1:])


@contextmanager
def lasting() -> Iterator[None]:
    """Run the block without cyclic garbage collection (see the module's text). Nested blocks, and blocks run
    while the collector is off already, leave it as they found it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if _short_lived:
            gc.freeze()
        gc.enable()
