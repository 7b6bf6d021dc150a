"""Writing files safely: every file regdoc writes goes through this module.

- `create_exclusive(path, data)`: create a file, never replacing one (resolutions/ in the data tree);
- `replace_atomic(path, data)` and `replacing(path)` (a file object to stream into): write an output, replacing
  the previous one in one step; within `background_commits()` the last step (sync, then the name) of each file
  runs in a thread of its own while the writer goes on;
- `output_file(root, path)` / `output_folder(root, folder)`: the one place that refuses outputs among the data
  tree's sources and outputs into folders that do not exist;
- `folder_lock(folder)`: hold a folder exclusively.

A file becomes visible only when it is complete. Its bytes go first to an anonymous file in the target's folder
(Linux `O_TMPFILE`: it has no name, so a process killed while writing leaves nothing behind), are flushed to disk,
and only then the file gets its name: linked to it (exclusive creation: the link fails when the name is taken) or
linked to a hidden temporary name and renamed over the target (replacement: readers see the old file or the new
one, never a part). Where anonymous files are not available the bytes go to the hidden temporary name
(`.<name>.<pid>.<random>.tmp`, which no regdoc reader matches) from the start; should a process be killed while
such a file exists, the next write of the same file removes it. OS errors become RegdocError naming the file;
on any failure the previous file stays as it was and no partial or temporary file stays behind.
"""
from __future__ import annotations

import errno
import io
import os
import secrets
import stat
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Iterator, Optional

from regdoc.errors import RegdocError, os_reason
from regdoc.files.read import file_kind
from regdoc.i18n import N_, _

try:
    import fcntl
except ImportError:  # not POSIX: exclusive creation still holds, the folder lock does not exist
    fcntl = None

LOCK_WAIT_SECONDS = 30.0
# Folders of a data tree that regdoc reads and never writes into (a file written there would change a source).
SOURCE_DIRS = ("regulation", "resolutions", "organisations", "evaluations", "templates", ".git")
TREE_HINT = N_(" (the data tree is read-only here: nothing was written)")
OUTPUT_HINT = N_(" (no permission to write here: nothing was written)")

_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOENT}
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.ENOTSUP, errno.EISDIR, errno.EINVAL}
_CHUNK = 1 << 20


def os_error(exc: OSError, path: Path | str, doing: str, hint: str = TREE_HINT) -> RegdocError:
    """Return a RegdocError for an OSError met while `doing` something to `path` (`doing` and `hint` marked with
    N_, translated here)."""
    reason = os_reason(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason += _(hint)
    return RegdocError(_("cannot {doing}: {reason}").format(doing=_(doing), reason=reason), path)


# ----- where outputs may go ---------------------------------------------------------------------------------

def refuse_source(root: Path | str, path: Path | str) -> None:
    """Raise RegdocError when `path` lies in one of the data tree's source folders (outputs never go there)."""
    resolved = Path(path).resolve()
    for name in SOURCE_DIRS:
        source = (Path(root) / name).resolve()
        if resolved == source or source in resolved.parents:
            raise RegdocError(_("refusing to write into the data tree's source folder {name}/ (outputs never go "
                                "among sources); choose another place, such as out/").format(name=name), path)


def refuse_special(path: Path | str) -> None:
    """Raise RegdocError when `path` exists as anything but a regular file (a link, device, FIFO, socket or
    folder): regdoc replaces only regular files, and leaves anything else untouched."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise os_error(exc, path, N_("write the file"), OUTPUT_HINT) from None
    if stat.S_ISDIR(mode):
        raise RegdocError(_("is a folder; give a file name to write"), path)
    kind = file_kind(mode)
    if kind is not None:
        raise RegdocError(_("is {kind}: regdoc writes only regular files and left it untouched; choose another "
                            "name").format(kind=kind), path)


def refuse_link_out_of_tree(root: Path | str, folder: Path | str) -> None:
    """Raise RegdocError when `folder` lies in the data tree by its name but a link takes it outside the tree
    (writing there would replace files elsewhere under the tree's name)."""
    tree = Path(os.path.abspath(root))
    named = Path(os.path.abspath(folder))
    if not named.is_relative_to(tree):
        return
    real_tree, real = tree.resolve(), named.resolve()
    if not real.is_relative_to(real_tree):
        raise RegdocError(_("is reached through a link to {target}, outside the data tree; refusing to write "
                            "there (give that folder itself with --out, or remove the link)").format(target=real),
                          folder)


def output_file(root: Path | str, path: Path | str, *, create_folder: bool = False) -> Path:
    """Return `path` checked as a file regdoc may write: a regular file or none yet (never a folder, link,
    device, FIFO or socket), outside the data tree's source folders, in a folder that exists (created when
    `create_folder`, as for default output names such as out/...) and not reached through a link out of the
    data tree."""
    path = Path(path)
    refuse_special(path)
    refuse_source(root, path)
    refuse_link_out_of_tree(root, path.parent)
    if not path.parent.is_dir():
        if not create_folder:
            raise RegdocError(_("the folder to write into does not exist; create it first or choose another place"),
                              path)
        _make_folder(path.parent, path)
    return path


def output_folder(root: Path | str, folder: Path | str, *, create: bool = False) -> Path:
    """Return `folder` checked as a folder regdoc may write files into: outside the data tree's source folders,
    existing (created when `create`, as for the default out/)."""
    folder = Path(folder)
    refuse_source(root, folder)
    refuse_link_out_of_tree(root, folder)
    if folder.exists() and not folder.is_dir():
        raise RegdocError(_("is a file, not a folder to write into"), folder)
    if not folder.is_dir():
        if not create:
            raise RegdocError(_("the folder to write into does not exist; create it first or choose another place"),
                              folder)
        _make_folder(folder, folder)
    return folder


def _make_folder(folder: Path, shown: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, shown, N_("create the folder"), OUTPUT_HINT) from None


# ----- staged files -----------------------------------------------------------------------------------------

def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


@lru_cache(maxsize=1)
def _proc_fd() -> bool:
    """Return whether an open file can be named through /proc/self/fd (what gives an anonymous file a name)."""
    return os.path.isdir("/proc/self/fd")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process, or no way to tell: keep its file
    return True


def sweep_leftovers(path: Path) -> list[Path]:
    """Remove the temporary files of `path` that a killed regdoc process left behind; return them.

    Only files named `.<name>.<pid>.<random>.tmp` whose process no longer runs are removed.
    """
    folder = path.parent
    prefix, removed = f".{path.name}.", []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        parts = name[len(prefix):-len(".tmp")].split(".")
        if len(parts) != 2 or not parts[0].isdigit() or int(parts[0]) == os.getpid() or _alive(int(parts[0])):
            continue
        try:
            os.unlink(folder / name)
            removed.append(folder / name)
        except OSError:
            pass
    return removed


class _FdRaw(io.RawIOBase):
    """A raw stream over a file descriptor through os.read/os.write/os.lseek (so faults can be injected)."""

    def __init__(self, fd: int):
        super().__init__()
        self._fd = fd

    def forget(self) -> None:
        """Detach from the descriptor: later writes fail (EBADF) instead of reaching a reused descriptor."""
        self._fd = -1

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def readinto(self, buffer) -> int:
        data = os.read(self._fd, len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def write(self, data) -> int:
        return os.write(self._fd, data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return os.lseek(self._fd, offset, whence)

    def tell(self) -> int:
        return os.lseek(self._fd, 0, os.SEEK_CUR)

    def truncate(self, size: Optional[int] = None) -> int:
        size = self.tell() if size is None else size
        os.ftruncate(self._fd, size)
        return size

    def close(self) -> None:  # the descriptor belongs to _Staged
        super().close()


class _Staged:
    """A file being written in the folder of `path`, invisible until `create` or `replace` names it."""

    def __init__(self, path: Path):
        self.path = path
        self.folder = path.parent
        self.temp: Optional[Path] = None
        self.fd = -1
        self._streams: list = []
        self.dir_fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
        try:
            self.fd = self._open()
        except BaseException:
            os.close(self.dir_fd)
            raise

    def _open(self) -> int:
        anonymous = getattr(os, "O_TMPFILE", 0)
        if anonymous and _proc_fd():
            try:
                return os.open(self.folder, anonymous | os.O_RDWR | os.O_CLOEXEC, 0o666)
            except OSError as exc:
                if exc.errno not in _NO_TMPFILE:
                    raise
        self.temp = _temporary(self.path)
        return _create(self.temp)

    def stream(self, text: bool = False) -> IO:
        """Return a file object writing to the staged file (UTF-8 text with `text`)."""
        raw = _FdRaw(self.fd)
        binary = io.BufferedRandom(raw)
        self._streams = [raw, binary]
        if text:
            self._streams.append(io.TextIOWrapper(binary, encoding="utf-8", newline=""))
        return self._streams[-1]

    def flush(self) -> None:
        """Flush the file object's buffers into the file."""
        for stream in reversed(self._streams[1:]):
            stream.flush()

    def sync(self) -> None:
        """Flush the file object's buffers and the file's bytes to disk."""
        self.flush()
        os.fsync(self.fd)

    def _link(self, name: str) -> None:
        """Give the anonymous file the name `name` in its folder (FileExistsError when taken)."""
        os.link(f"/proc/self/fd/{self.fd}", name, dst_dir_fd=self.dir_fd)

    def _copy_to(self, path: Path) -> None:
        """Write the staged bytes to a new file `path` (created exclusively), durably; remove it on failure."""
        out = _create(path)
        try:
            os.lseek(self.fd, 0, os.SEEK_SET)
            while chunk := os.read(self.fd, _CHUNK):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(out, view):]
            os.fsync(out)
        except BaseException:
            os.close(out)
            _remove(path)
            raise
        os.close(out)

    def create(self) -> None:
        """Name the staged file `path`; FileExistsError when anything stands there."""
        try:
            if self.temp is None:
                self._link(self.path.name)
            else:
                os.link(self.temp, self.path)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            self._copy_to(self.path)  # no hard links here: O_EXCL under the name itself, still never replacing

    def replace(self) -> None:
        """Put the staged file in place of `path` in one step."""
        if self.temp is None:
            temp = _temporary(self.path)
            try:
                self._link(temp.name)
            except OSError as exc:
                if exc.errno not in _NO_HARD_LINKS:
                    raise
                self._copy_to(temp)
            self.temp = temp
        os.replace(self.temp, self.path)
        self.temp = None

    def close(self) -> None:
        """Release the descriptors and remove the temporary name, if the file still has one."""
        if self._streams:  # what a failed write left in the buffers is dropped, never written elsewhere
            self._streams[0].forget()
            for stream in reversed(self._streams):
                try:
                    stream.close()
                except (OSError, ValueError):
                    pass
            self._streams = []
        for fd in (self.fd, self.dir_fd):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.fd = self.dir_fd = -1
        if self.temp is not None:
            _remove(self.temp)
            self.temp = None


def _create(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_BINARY", 0)
    return os.open(path, flags, 0o666)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


_deferred = threading.local()  # .folders: the folders whose sync waits for the end of a one_folder_sync block;
# .commits: the Commits of a background_commits block


@contextmanager
def one_folder_sync() -> Iterator[None]:
    """Within the block, the writers of this thread sync each folder they wrote into once, when the block ends
    (also when it raises), instead of once per file: a build of a dozen documents makes one folder sync.

    Each file's own bytes are still synced before it takes its name, so every file is at any moment the old
    complete file or the new complete one; only the moment the new names are durable moves to the block's end.
    Nested blocks sync at the end of the outermost one."""
    if getattr(_deferred, "folders", None) is not None:
        yield
        return
    _deferred.folders = {}
    try:
        yield
    finally:
        folders, _deferred.folders = _deferred.folders, None
        for folder in folders:
            _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    pending = getattr(_deferred, "folders", None)
    if pending is not None:
        pending[Path(folder)] = None
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


class Commits:
    """The files of a background_commits block whose last step runs in a thread of its own: their bytes synced to
    disk, then their name (`_Staged.sync` and `replace`, in that order, as in `replacing`). The disk's wait
    overlaps the writer's next work (a build renders the next document meanwhile)."""

    MAX_PENDING = 8  # files waiting for their sync at a time (each holds two descriptors)

    def __init__(self) -> None:
        self._pending: list[tuple[Path, threading.Thread, list]] = []
        self._failed: dict[Path, RegdocError] = {}
        self._folders: dict[Path, None] = {}

    def submit(self, path: Path, staged: _Staged) -> None:
        """Sync and name `staged` as `path` in a thread; the thread closes it. Any failure is kept for `wait`."""
        import contextvars

        while len(self._pending) >= self.MAX_PENDING:
            self._join(self._pending.pop(0))
        box: list = []
        # the thread runs in a copy of this context: its messages are in the interface language of the caller
        thread = threading.Thread(target=contextvars.copy_context().run, args=(_commit, staged, path, box),
                                  name=f"regdoc-commit-{path.name}")
        try:
            thread.start()
        except BaseException:
            staged.close()  # no thread: the file never takes its name
            raise
        self._pending.append((path, thread, box))
        self._folders[path.parent] = None

    def _join(self, entry: tuple[Path, threading.Thread, list]) -> None:
        path, thread, box = entry
        thread.join()
        if box:
            failure = box[0]
            if not isinstance(failure, RegdocError):
                raise failure
            self._failed[path] = failure

    def wait(self) -> dict[Path, RegdocError]:
        """Wait until every file submitted has its name (or failed); return the failures since the last wait, by
        path: each such file was not written and the old one, if any, stays as it was."""
        try:
            while self._pending:
                self._join(self._pending.pop(0))
        finally:
            folders, self._folders = self._folders, {}
            for folder in folders:
                _sync_folder(folder)
        failed, self._failed = self._failed, {}
        return failed


def _put_in_place(staged: _Staged, path: Path) -> None:
    """Sync the staged file's bytes to disk, then give it the name `path` (replacing the file there)."""
    staged.sync()
    refuse_special(path)  # once more just before the rename: a link or FIFO put there meanwhile stays
    staged.replace()


def _commit(staged: _Staged, path: Path, box: list) -> None:
    """Sync the staged file, then put it in place of `path` (a Commits thread); what fails goes into `box`."""
    try:
        _put_in_place(staged, path)
    except OSError as exc:
        box.append(os_error(exc, path, N_("write the file"), OUTPUT_HINT))
    except BaseException as exc:  # noqa: B902 (handed to the thread that waits: RegdocError or a bug to re-raise)
        box.append(exc)
    finally:
        staged.close()


@contextmanager
def background_commits() -> Iterator[Commits]:
    """Within the block, each file this thread writes with `replacing` or `replace_atomic` is synced and named in a
    thread of its own while the block goes on; the block's end waits for all of them (also when it raises).

    Every file is still synced before it takes its name, so it is at any moment the old complete file or the new
    complete one. What changes is when a write fails at its last step: not in the call but in `Commits.wait()`,
    which returns those files; a failure nobody collected is raised at the block's end. Nested blocks use the
    outermost one."""
    commits = getattr(_deferred, "commits", None)
    if commits is not None:
        yield commits
        return
    commits = _deferred.commits = Commits()
    failed = {}
    try:
        yield commits
    finally:
        _deferred.commits = None
        failed = commits.wait()
    if failed:
        raise next(iter(failed.values()))


def _write_all(staged: _Staged, data: bytes) -> None:
    staged.stream().write(data)
    staged.sync()


# ----- the writers ------------------------------------------------------------------------------------------

def create_exclusive(path: Path, data: bytes) -> None:
    """Create the file `path` holding `data`, complete before anyone can see it; never replace an existing file.

    Raises FileExistsError when `path` exists (as anything, a dangling link included), RegdocError for other
    OS errors. The bytes are staged in the folder and linked to `path`: link() fails when the name is taken, so
    of two writers racing for one name exactly one wins. Where the file system has no hard links, the file is
    created with O_EXCL under its own name instead (still never replacing; a reader may then see it while it is
    being written).
    """
    path = Path(path)
    sweep_leftovers(path)
    try:
        staged = _Staged(path)
    except OSError as exc:
        raise os_error(exc, path, N_("create the file")) from None
    try:
        _write_all(staged, data)
        staged.create()
    except FileExistsError:
        raise
    except OSError as exc:
        raise os_error(exc, path, N_("create the file")) from None
    finally:
        staged.close()
    _sync_folder(path.parent)


@contextmanager
def replacing(path: Path | str, *, text: bool = False) -> Iterator[IO]:
    """Yield a file to write the new content of `path` into (bytes, or UTF-8 text with `text`); when the block
    ends normally it replaces `path` in one step, when it raises `path` stays as it was. Either way nothing
    partial or temporary stays behind. OS errors (in the block too) become RegdocError naming `path`."""
    path = Path(path)
    refuse_special(path)
    sweep_leftovers(path)
    try:
        staged = _Staged(path)
    except OSError as exc:
        raise os_error(exc, path, N_("write the file"), OUTPUT_HINT) from None
    commits = getattr(_deferred, "commits", None)
    try:
        yield staged.stream(text)
        if commits is not None:  # a background_commits block: synced and named in a thread of its own
            staged.flush()
            commits.submit(path, staged)
            staged = None
            return
        _put_in_place(staged, path)
    except OSError as exc:
        raise os_error(exc, path, N_("write the file"), OUTPUT_HINT) from None
    finally:
        if staged is not None:
            staged.close()
    _sync_folder(path.parent)


def replace_atomic(path: Path | str, data: bytes) -> None:
    """Write `data` to `path`, replacing it in one step: readers see the old file or the new one, never a part."""
    with replacing(path) as out:
        out.write(data)


def write_text(path: Path | str, text: str) -> None:
    """Write `text` (UTF-8) to `path`, replacing it in one step."""
    replace_atomic(path, text.encode("utf-8"))


# ----- locking ----------------------------------------------------------------------------------------------

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
        raise os_error(exc, folder, N_("open the folder")) from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RegdocError(_("another regdoc has held the lock of this folder for {wait:.0f} s; try "
                                        "again when it has finished").format(wait=wait), folder) from None
                time.sleep(0.02)
            except OSError as exc:  # a file system without locks: carry on, exclusive creation still holds
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP):
                    break
                raise os_error(exc, folder, N_("lock the folder")) from None
        yield
    finally:
        os.close(fd)

