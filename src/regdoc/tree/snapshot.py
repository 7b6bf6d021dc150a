"""The validated-tree cache: the model a data tree was read into, and what `check` found in it, kept in the user's
cache folder and found again by the bytes of the tree's files.

Reading a data tree means reading, parsing and validating every file (regdoc.tree.cache keeps that per file),
building the model from them and running the semantic and scoring checks; `check` also reads and scores every
evaluation. For a tree whose files hold the same bytes as when it was last read, this cache gives the same result
without any of that (and without importing YAML, jsonschema or the checks):

- "tree": the DataTree and the problems of reading it and of its semantic checks (what load_tree raises on);
- "check": the DataTree and every problem `check` finds in it (what regdoc.tree.check.checked_tree returns);
- "problems": those problems alone (what the `check` command prints: it needs no model);
- "evaluation YEAR": an evaluation of the tree's own files (what load_evaluation returns).

An entry is kept only when its problems hold no error, so a tree with errors is always read again and its errors
always found. The key is the SHA-256 of: the kind; every name under regulation/, organisations/, resolutions/ and
evaluations/ with the bytes of each file (every file those folders hold, not only those regdoc reads: whatever
may have been read is in the key); the interface language (the problems' words); regdoc's version and the name,
size and modification time of every file of regdoc's own package (its code, schemas and catalogs). A tree with a
link, a special file or a file over MAX_FILE_BYTES in those folders is not cached. Before an entry is stored,
every file the result was read from is checked against the key's bytes, so a file changed while it was read is
not stored under its new bytes.

Entries are pickles, so an entry is loaded only when it carries the HMAC-SHA256 of a secret key kept beside them
(created once, readable by its owner alone): an entry that is corrupt, truncated, written for another key or
copied from another account or machine is ignored, and reading goes on uncached. The folder is regdoc.tree.cache's
($REGDOC_CACHE_DIR, else $XDG_CACHE_HOME/regdoc, else ~/.cache/regdoc); REGDOC_CACHE=off turns it off.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import os
import pickle
import stat
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Optional

from regdoc.collector import lasting
from regdoc.tree.cache import cache_dir, write_entry

FORMAT = 1
FOLDERS = ("regulation", "organisations", "resolutions", "evaluations")  # what a tree is read from
MAX_FILE_BYTES = 64 * 1024 * 1024  # a larger file in those folders: the tree is not cached
SECRET_BYTES = 32
_MAC = hashlib.sha256().digest_size


# ----- the key ----------------------------------------------------------------------------------------------

def listing(root: Path) -> Optional[dict[str, Optional[str]]]:
    """Return every name under the data folders of `root`: relative path -> SHA-256 of a file's bytes, None for
    a folder; None when the tree cannot be cached (a link, a special file, a file over MAX_FILE_BYTES, or a
    folder or file that cannot be read)."""
    out: dict[str, Optional[str]] = {}
    try:
        for name in FOLDERS:
            top = os.path.join(root, name)
            try:
                st = os.lstat(top)
            except FileNotFoundError:
                out[name] = "absent"
                continue
            if not _walk(top, name, st, out):
                return None
    except OSError:
        return None
    return out


def _walk(path: str, rel: str, st: os.stat_result, out: dict) -> bool:
    if stat.S_ISDIR(st.st_mode):
        out[rel] = None
        with os.scandir(path) as entries:
            children = sorted(entries, key=lambda e: e.name)
        for entry in children:
            if not _walk(entry.path, f"{rel}/{entry.name}", entry.stat(follow_symlinks=False), out):
                return False
        return True
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
        return False
    with open(path, "rb") as f:
        out[rel] = hashlib.sha256(f.read(MAX_FILE_BYTES + 1)).hexdigest()
    return True


@lru_cache(maxsize=None)
def code_digest() -> bytes:
    """regdoc's version and the name, size and modification time of every file of its package."""
    from regdoc import __version__

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"regdoc {__version__} snapshot {FORMAT}\0".encode())
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            st = os.stat(os.path.join(folder, name))
            h.update(f"{os.path.relpath(os.path.join(folder, name), package)}\0{st.st_size}\0{st.st_mtime_ns}\0"
                     .encode())
    return h.digest()


def key_of(kind: str, files: dict[str, Optional[str]]) -> str:
    """Return the key of an entry of `kind` for a tree whose data folders hold `files` (listing's answer)."""
    from regdoc.i18n import current

    h = hashlib.sha256(code_digest() + f"\0{kind}\0{current()}\0".encode())
    for rel, digest in files.items():
        h.update(f"{rel}\0{digest}\0".encode())
    return h.hexdigest()


# ----- entries, sealed with an HMAC (pickles; compiled templates: regdoc.documents.compiled) -------------------

def read_sealed(folder: Path, path: Path) -> Optional[bytes]:
    """Return the payload of the entry at `path` in the cache `folder` when it carries the HMAC of the folder's
    secret; None when it is missing, unreadable, truncated, changed or sealed with another secret."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    secret = _secret(folder)
    if secret is None or len(raw) <= _MAC:
        return None
    mac, payload = raw[:_MAC], raw[_MAC:]
    if not hmac.compare_digest(mac, hmac.new(secret, payload, hashlib.sha256).digest()):
        return None
    return payload


def write_sealed(folder: Path, path: Path, payload: bytes) -> None:
    """Write `payload` to `path` in the cache `folder`, sealed with the folder's secret (whole or not at all; a
    cache that cannot be written is no error)."""
    secret = _secret(folder)
    if secret is not None:
        write_entry(path, hmac.new(secret, payload, hashlib.sha256).digest() + payload)


def _secret(folder: Path) -> Optional[bytes]:
    """Return the secret key of the cache folder, made on first use (mode 0600); None when it cannot be had."""
    path = folder / "snapshots" / "secret"
    try:
        data = path.read_bytes()
        if len(data) == SECRET_BYTES:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile, or it is damaged: use it if it is whole
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if len(data) == SECRET_BYTES else None
    except OSError:
        return None
    secret = os.urandom(SECRET_BYTES)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
    except OSError:
        return None
    return secret


def _proxy(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


class _Pickler(pickle.Pickler):
    dispatch_table = {MappingProxyType: lambda proxy: (_proxy, (dict(proxy),))}


_ALLOWED = {"builtins": {"set", "frozenset", "tuple", "list", "dict"}, "datetime": {"date", "datetime"},
            "decimal": {"Decimal"}, "regdoc.tree.snapshot": {"_proxy"}}


class _Unpickler(pickle.Unpickler):
    """Loads regdoc's model values alone (the entry is authenticated already: this is a second fence)."""

    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED.get(module, ()) or module in ("regdoc.data.model", "regdoc.errors"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a model value")


def _path(folder: Path, key: str) -> Path:
    return folder / "snapshots" / key[:2] / f"{key}.pickle"


def lookup(kind: str, root: Path, files: Optional[dict] = None) -> tuple[Optional[Any], Optional[dict]]:
    """Return the value stored for `kind` and the present bytes of the tree under `root` (None when there is
    none, or it cannot be used), and the tree's listing (`files`, when the caller has it already), which `store`
    takes."""
    folder = cache_dir()
    if folder is None:
        return None, None
    files = files if files is not None else listing(root)
    if files is None:
        return None, None
    key = key_of(kind, files)
    payload = read_sealed(folder, _path(folder, key))
    if payload is None:
        return None, files
    try:
        with lasting():  # every object unpickled lives on: no garbage collection while they are made
            stored = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - whatever an unreadable entry raises, it is not used
        return None, files
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == FORMAT and stored[1] == key):
        return None, files
    return stored[2], files


def store(kind: str, files: Optional[dict], value: Any, read: dict[str, str]) -> None:
    """Store `value` for `kind` and the tree's listing `files`, when every file it was read from (`read`: relative
    path -> SHA-256 of the bytes read) holds in the listing the bytes it was read with."""
    folder = cache_dir()
    if folder is None or files is None:
        return
    if any(files.get(rel) != digest for rel, digest in read.items()):
        return  # read from a file outside the listing, or from bytes that are not the listing's
    key = key_of(kind, files)
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((FORMAT, key, value))
    except Exception:  # noqa: BLE001 - a value that cannot be kept is simply not cached
        return
    write_sealed(folder, _path(folder, key), buffer.getvalue())


# ----- what is kept -----------------------------------------------------------------------------------------

def keepable(problems, root: str) -> bool:
    """Whether a result with these problems may be kept: no error among them, and none that names the tree's
    own place (it would be wrong for a copy of the tree elsewhere)."""
    if any(p.severity == "error" for p in problems):
        return False
    places = {str(Path(root).resolve())} | ({root} if root not in (".", "") else set())
    return not any(place in str(p) for p in problems for place in places)


def rooted(data_tree, root: Path):
    """Return `data_tree` as read from `root` (an entry may have been stored from a copy of the tree elsewhere)."""
    return data_tree if data_tree.root == str(root) else dataclasses.replace(data_tree, root=str(root))
