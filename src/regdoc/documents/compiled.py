"""Compiled templates kept in the user's cache folder: the Python code Jinja compiles a template's text into, made
once and found again by that text.

Before it renders a part of a .docx template (its body, a header, a footer), Jinja compiles the part's text into
Python code; for the packet's documents this took about 27 ms of each `regdoc build` (9 texts), although templates
change far less often than the data. Jinja keeps compiled code between processes itself only for templates it
loads by name (jinja2.bccache); docxtpl makes its templates from strings. This keeps the same thing, the code
object (marshal), under the SHA-256 of the text, of autoescape, of the versions of Jinja and of Python's bytecode,
and of regdoc's own code (regdoc.tree.snapshot.code_digest: its version and the name, size and modification time
of its files, which hold the sandbox's settings).

Loading code runs it, so an entry is sealed with the cache folder's secret (HMAC-SHA256, regdoc.tree.snapshot): an
entry that is missing, corrupt, truncated, foreign or unreadable is ignored, the text compiled again and the entry
written anew. The folder is regdoc.tree.cache's; REGDOC_CACHE=off turns this off with it.
"""
from __future__ import annotations

import hashlib
import marshal
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Callable, Optional

FORMAT = 1


def _path(folder: Path, source: str, autoescape: object) -> Path:
    import jinja2

    from regdoc.tree.snapshot import code_digest

    h = hashlib.sha256(code_digest() + MAGIC_NUMBER)
    h.update(f"\0compiled {FORMAT}\0jinja {jinja2.__version__}\0autoescape {autoescape!r}\0".encode())
    h.update(source.encode("utf-8", "surrogatepass"))
    key = h.hexdigest()
    return folder / "compiled" / key[:2] / f"{key}.marshal"


def compiled(source: str, autoescape: object, compile: Callable[[str], CodeType]) -> CodeType:
    """Return the code of `source` (Jinja's `compile(source)` rendering with `autoescape`), from the cache folder
    when it holds it, else compiled now and kept there. What `compile` raises (a syntax error) is raised."""
    from regdoc.tree.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return compile(source)
    path = _path(folder, source, autoescape)
    found = _load(folder, path)
    if found is not None:
        return found
    code = compile(source)
    from regdoc.tree.snapshot import write_sealed

    write_sealed(folder, path, marshal.dumps(code))
    return code


def _load(folder: Path, path: Path) -> Optional[CodeType]:
    from regdoc.tree.snapshot import read_sealed

    payload = read_sealed(folder, path)
    if payload is None:
        return None
    try:
        code = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):  # authentic, yet not code this Python reads: compiled again
        return None
    return code if isinstance(code, CodeType) else None
