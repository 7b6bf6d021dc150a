"""The validated-document cache: what reading a data file gave (its plain data, the line of every node, and the
schema kinds it was found valid as), kept in the user's cache folder and found again by the file's bytes.

Reading a data file means parsing YAML with line numbers and validating it against a JSON Schema; for a file
read before with the same bytes, the cache gives the same Document without either (and without importing
jsonschema). The key is the SHA-256 of regdoc's version, of the schemas' text and of the file's bytes: a change
to the file, to a schema or to regdoc's version finds nothing. An entry is plain JSON (never code); one that is
unreadable, malformed or written for another key is ignored and replaced. Only documents without errors are
kept, so every problem of a file is still found and reported by reading it.

The cache lives outside the data tree: $REGDOC_CACHE_DIR, else $XDG_CACHE_HOME/regdoc, else ~/.cache/regdoc.
REGDOC_CACHE=off turns it off. A cache folder that cannot be written is no error: reading just works uncached.
load_tree and load_evaluation (regdoc.tree.load) use it; so does whatever reads through regdoc.tree.read.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # imported where used: regdoc.tree.snapshot needs cache_dir alone, without YAML
    from regdoc.data.yamldoc import Document
    from regdoc.files.read import Source

FORMAT = 1


def cache_dir() -> Optional[Path]:
    """Return the folder of the cache, or None when it is turned off."""
    if os.environ.get("REGDOC_CACHE", "").lower() in ("off", "0", "no"):
        return None
    explicit = os.environ.get("REGDOC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "regdoc"


@lru_cache(maxsize=None)
def _salt() -> bytes:
    """regdoc's version and the text of every schema: what a cached document depends on besides its bytes."""
    from regdoc import __version__
    from regdoc.data.schemas import KINDS, schema_text

    h = hashlib.sha256(f"regdoc {__version__} cache {FORMAT}\0".encode())
    for kind in KINDS:
        try:
            h.update(kind.encode() + b"\0" + schema_text(kind).encode("utf-8") + b"\0")
        except FileNotFoundError:
            continue
    return h.digest()


def key_of(source: Source) -> str:
    """Return the cache key of a data file's bytes (as read: regdoc.files.read.Source, with their SHA-256)."""
    return hashlib.sha256(_salt() + source.sha256.encode("ascii")).hexdigest()


@dataclass
class Entry:
    """A cached document: its key and the schema kinds it is valid as."""

    key: str
    valid_as: set = field(default_factory=set)


def _path(folder: Path, key: str) -> Path:
    return folder / "documents" / key[:2] / f"{key}.json"


def load(source: Source, shown: str) -> tuple[Optional[Document], Entry]:
    """Return the cached Document of a file's bytes (or None when there is none usable) and its entry."""
    entry = Entry(key_of(source))
    folder = cache_dir()
    if folder is None:
        return None, entry
    try:
        stored = json.loads(_path(folder, entry.key).read_bytes())
        if not (isinstance(stored, dict) and stored.get("format") == FORMAT and stored.get("key") == entry.key):
            return None, entry
        lines = {tuple(path): line for path, line in stored["lines"]}
        valid_as = set(stored["valid_as"])
        data = stored["data"]
    except (OSError, ValueError, TypeError, KeyError):  # missing, unreadable, corrupt or foreign: not used
        return None, entry
    entry.valid_as = valid_as
    from regdoc.data.yamldoc import Document

    return Document(Path(shown), data, lines), entry


def store(doc: Document, entry: Entry, kind: str) -> None:
    """Record that `doc` (the document of the bytes `entry` was made for) is valid as `kind`."""
    folder = cache_dir()
    if folder is None or kind in entry.valid_as:
        return
    entry.valid_as.add(kind)
    payload = json.dumps({"format": FORMAT, "key": entry.key, "valid_as": sorted(entry.valid_as),
                          "data": doc.data, "lines": [[list(p), line] for p, line in doc.lines.items()]},
                         ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_entry(_path(folder, entry.key), payload)


def write_entry(target: Path, payload: bytes) -> None:
    """Write a cache entry whole or not at all (a nameless temporary file, then a rename); a cache that cannot be
    written is no error, so an OSError leaves nothing behind and is not raised."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry-", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, target)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def clear() -> None:
    """Remove every cached document."""
    import shutil

    folder = cache_dir()
    if folder is not None:
        shutil.rmtree(folder / "documents", ignore_errors=True)
