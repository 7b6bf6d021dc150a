"""Writing files safely: create a file exclusively (never overwrite), replace one atomically, lock a folder.

A file becomes visible only when it is complete: its bytes go to a hidden temporary name in the same folder first
(`.<name>.<pid>.<random>.tmp`, which no regdoc reader matches), then it is linked (exclusive creation) or renamed
(replacement) to its name. OS errors become RegdocError naming the file.
"""
from __future__ import annotations

import errno
import os
import secrets
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import RegdocError

try:
    import fcntl
except ImportError:  # not POSIX: exclusive creation still holds, the folder lock does not exist
    fcntl = None

LOCK_WAIT_SECONDS = 30.0
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}


def os_error(exc: OSError, path: Path | str, doing: str) -> RegdocError:
    """Return a RegdocError for an OSError met while `doing` something to `path`."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason += " (the data tree is read-only here: nothing was written)"
    return RegdocError(f"cannot {doing}: {reason}", path)


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_new(path: Path, data: bytes) -> None:
    """Write `data` to a file that must not exist yet, durably; remove the partial file on failure."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o644)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _remove(path)
        raise


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_exclusive(path: Path, data: bytes) -> None:
    """Create the file `path` holding `data`, complete before anyone can see it; never replace an existing file.

    Raises FileExistsError when `path` exists (as anything, a dangling link included), RegdocError for other
    OS errors. The bytes are written to a temporary name and hard-linked to `path`: link() fails when the name is
    taken, so of two writers racing for one name exactly one wins. Where the file system has no hard links, the
    file is created with O_EXCL under its own name instead (still never replacing; a reader may then see it
    while it is being written).
    """
    path = Path(path)
    temporary = _temporary(path)
    try:
        _write_new(temporary, data)
    except OSError as exc:
        raise os_error(exc, path, "create the file") from None
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise os_error(exc, path, "create the file") from None
        try:
            _write_new(path, data)
        except FileExistsError:
            raise
        except OSError as exc2:
            raise os_error(exc2, path, "create the file") from None
    finally:
        _remove(temporary)
    _sync_folder(path.parent)


def replace_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path`, replacing it in one step: readers see the old file or the new one, never a part."""
    path = Path(path)
    if path.is_dir():
        raise RegdocError("is a folder; give a file name to write", path)
    temporary = _temporary(path)
    try:
        _write_new(temporary, data)
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        raise os_error(exc, path, "write the file") from None
    _sync_folder(path.parent)


@contextmanager
def folder_lock(folder: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on `folder` while the block runs (POSIX flock on the folder itself: no lock file).

    Another process taking the same lock waits for it, up to `wait` seconds, then gets a RegdocError. Without
    fcntl (not POSIX) the block runs unlocked.
    """
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise os_error(exc, folder, "open the folder") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RegdocError(f"another regdoc has held the lock of this folder for {wait:.0f} s; "
                                      "try again when it has finished", folder) from None
                time.sleep(0.02)
            except OSError as exc:  # a file system without locks: carry on, exclusive creation still holds
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP):
                    break
                raise os_error(exc, folder, "lock the folder") from None
        yield
    finally:
        os.close(fd)


# Folders of a data tree that regdoc reads and never writes into (a file written there would change a source).
SOURCE_DIRS = ("regulation", "resolutions", "organisations", "evaluations", "templates", ".git")


def output_file(root: Path | str, path: Path | str) -> Path:
    """Return `path` checked as a file regdoc may write: its folder exists, it is not a folder, and it lies
    outside the data tree's source folders (regulation/, resolutions/, templates/ ...)."""
    path = Path(path)
    if path.is_dir():
        raise RegdocError("is a folder; give a file name to write", path)
    if not path.parent.is_dir():
        raise RegdocError("the folder to write into does not exist; create it first", path)
    resolved = path.resolve()
    for name in SOURCE_DIRS:
        source = (Path(root) / name).resolve()
        if resolved == source or source in resolved.parents:
            raise RegdocError(f"refusing to write into the data tree's source folder {name}/; choose another file",
                              path)
    return path
