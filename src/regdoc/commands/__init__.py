"""CLI commands, one module per feature. Each module has `register(subparsers, common)` that adds its
commands; each command is a thin function over the library API returning an exit code.

Modules are imported when the parser is built, so they must import heavy libraries only inside the command
functions.
"""
from __future__ import annotations

import sys
from typing import Iterable

EXIT_OK, EXIT_ERROR = 0, 1

MODULES = ("check", "resolution", "versioning", "scoring", "render", "comparison")


def modules() -> Iterable:
    from importlib import import_module

    for name in MODULES:
        yield import_module(f"{__name__}.{name}")


def use_colour(stream=sys.stdout) -> bool:
    """Return whether to colour output: only on a terminal, never with NO_COLOR set."""
    import os

    return stream.isatty() and not os.environ.get("NO_COLOR")
