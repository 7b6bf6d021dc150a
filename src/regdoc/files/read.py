"""Reading a data file: once, only a regular file inside the data tree, never more than its limit plus one byte.

`read_bounded(root, path, limit)` is the one way regdoc reads a file of the data tree. It returns the bytes read
and their SHA-256 (`Source`), so that whatever is made from a file (a parsed document, a cache entry, a manifest's
digest) is made from exactly those bytes, read once: a file saved while regdoc runs cannot give its documents one
version and its manifest another.

- The file is opened without blocking (a FIFO cannot make regdoc wait) and checked with fstat on the open
  descriptor: devices, FIFOs, sockets and folders are refused, never read.
- A link is followed only when it leads to a file inside the data tree; the check is made on the file actually
  opened (through /proc/self/fd where there is one), so a link swapped in between check and open is caught too.
- A file longer than `limit` is refused unread (by its size on the open descriptor), and at most `limit + 1`
  bytes are ever read: a file growing while it is read stops at the bound (a link to /dev/zero would be refused
  as a device anyway).
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from regdoc.errors import RegdocError, os_reason
from regdoc.i18n import _

_CHUNK = 1 << 16


@dataclass(frozen=True)
class Source:
    """The bytes of one data file as read, and their SHA-256 (hex)."""

    data: bytes
    sha256: str


def file_kind(mode: int) -> str | None:
    """Return what a file of `mode` is when it is not a regular file (a folder, a link, a FIFO, a socket, a
    device), in words for a message; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    return _("not a regular file")


def _opened_path(fd: int, fallback: Path) -> Path:
    """Return the real path of the file open as `fd` (through /proc/self/fd), or `fallback` resolved."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return fallback.resolve()


def inside(root: Path | str, path: Path | str) -> bool:
    """Return whether `path`, with every link resolved, lies inside the folder `root` (links resolved too)."""
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def read_bounded(root: Path | str | None, path: Path | str, limit: int, shown: str | Path | None = None) -> Source:
    """Return the bytes of the regular file `path` inside the data tree `root` (at most `limit` of them) and their
    SHA-256; raise RegdocError naming `shown` for a file that is missing, special, outside the tree or too long.

    `root` None reads a file the user named outside any tree (an `--input` spreadsheet): still only a regular
    file, still bounded."""
    path = Path(path)
    shown = shown if shown is not None else path
    real_root = Path(root).resolve() if root is not None else None
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0) | \
        getattr(os, "O_NOCTTY", 0)
    try:
        before = os.stat(path)  # a device is refused before it is opened (opening some has effects)
        if not stat.S_ISREG(before.st_mode):
            raise RegdocError(_("is {kind}, not a regular file: regdoc reads only regular files").format(
                kind=file_kind(before.st_mode)), shown)
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise RegdocError(_("cannot read file: a loop of links"), shown) from None
        raise RegdocError(_("cannot read file: {reason}").format(reason=os_reason(exc)), shown) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the two looks
            raise RegdocError(_("is {kind}, not a regular file: regdoc reads only regular files").format(
                kind=file_kind(info.st_mode)), shown)
        real = _opened_path(fd, path)
        if real_root is not None and not real.is_relative_to(real_root):
            raise RegdocError(_("is a link to {target}, outside the data tree: every data file must be a file "
                                "inside the data tree").format(target=real), shown)
        os.set_blocking(fd, True)
        chunks, size, digest = [], 0, hashlib.sha256()
        unread = info.st_size > limit  # longer than the limit already: refused without reading it
        while size <= limit and not unread:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            digest.update(chunk)
            size += len(chunk)
    except OSError as exc:
        raise RegdocError(_("cannot read file: {reason}").format(reason=os_reason(exc)), shown) from None
    finally:
        os.close(fd)
    if size > limit or unread:
        raise RegdocError(_("file is {size} bytes, larger than the limit of {limit} bytes").format(
            size=max(info.st_size, size), limit=limit), shown)
    return Source(b"".join(chunks), digest.hexdigest())
