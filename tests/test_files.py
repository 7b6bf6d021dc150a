"""Safe writing: exclusive creation, atomic replacement, the folder lock."""
from __future__ import annotations

import errno
import multiprocessing
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from regdoc.errors import RegdocError
from regdoc.files import write as files
from regdoc.files.write import create_exclusive, folder_lock, replace_atomic

SRC = Path(__file__).resolve().parents[1] / "src"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_create_exclusive_writes_the_whole_file(tmp_path):
    data = "id: 2026-02-20/9/8\ntitle: «Сынақ» & <тест>\n".encode() * 1000
    create_exclusive(tmp_path / "a.yaml", data)
    assert (tmp_path / "a.yaml").read_bytes() == data
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["file", "dangling link", "folder"])
def test_create_exclusive_never_replaces_what_stands_at_the_name(tmp_path, kind):
    target = tmp_path / "a.yaml"
    if kind == "file":
        target.write_bytes(b"first")
    elif kind == "dangling link":
        target.symlink_to(tmp_path / "nowhere")
    else:
        target.mkdir()
    with pytest.raises(FileExistsError):
        create_exclusive(target, b"second")
    if kind == "file":
        assert target.read_bytes() == b"first"
    assert not (tmp_path / "nowhere").exists()
    assert leftovers(tmp_path) == []


def test_without_hard_links_creation_is_still_exclusive(tmp_path, monkeypatch):
    def no_links(src, dst, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    create_exclusive(tmp_path / "a.yaml", b"first")
    assert (tmp_path / "a.yaml").read_bytes() == b"first"
    with pytest.raises(FileExistsError):
        create_exclusive(tmp_path / "a.yaml", b"second")
    assert (tmp_path / "a.yaml").read_bytes() == b"first"
    assert leftovers(tmp_path) == []


def test_create_exclusive_in_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(RegdocError, match="cannot create the file: No such file or directory") as err:
        create_exclusive(tmp_path / "missing" / "a.yaml", b"x")
    assert err.value.file == str(tmp_path / "missing" / "a.yaml")


def test_replace_atomic_replaces_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "register.json"
    target.write_text("old", encoding="utf-8")
    replace_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_replace_atomic_keeps_the_old_file_when_it_fails(tmp_path, monkeypatch):
    target = tmp_path / "register.json"
    target.write_text("old", encoding="utf-8")

    def failing(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", failing)
    with pytest.raises(RegdocError, match="cannot write the file: No space left on device"):
        replace_atomic(target, b"new")
    assert target.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


def _folder_syncs(monkeypatch) -> list[str]:
    """Record the paths of the folders fsync is called on (files are still synced, and counted apart)."""
    synced: list[str] = []
    real_fsync, real_open, real_close = files.os.fsync, files.os.open, files.os.close
    opened: dict[int, str] = {}

    def close(fd):
        opened.pop(fd, None)
        return real_close(fd)

    def opening(path, flags, *args, **kwargs):
        fd = real_open(path, flags, *args, **kwargs)
        if flags & os.O_ACCMODE == os.O_RDONLY:  # a folder opened to be synced (files are opened to be written)
            opened[fd] = os.fspath(path)
        return fd

    def fsync(fd):
        if fd in opened:
            synced.append(opened.pop(fd))
        return real_fsync(fd)

    monkeypatch.setattr(files.os, "open", opening)
    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "close", close)
    return synced


def test_one_folder_sync_syncs_each_folder_once_at_the_end(tmp_path, monkeypatch):
    (tmp_path / "b").mkdir()
    synced = _folder_syncs(monkeypatch)
    replace_atomic(tmp_path / "x.bin", b"x")
    assert synced == [str(tmp_path)]  # outside a block: after each file
    synced.clear()
    with files.one_folder_sync():
        for k in range(5):
            replace_atomic(tmp_path / f"{k}.bin", b"new")
            create_exclusive(tmp_path / "b" / f"{k}.yaml", b"x")
            with files.one_folder_sync():  # nested: the outer block syncs
                replace_atomic(tmp_path / "b" / f"{k}.bin", b"x")
        assert synced == []
        assert (tmp_path / "4.bin").read_bytes() == b"new"  # each file complete under its name at once
    assert sorted(synced) == sorted([str(tmp_path), str(tmp_path / "b")])
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "b") == []


def test_one_folder_sync_syncs_what_was_written_when_the_block_raises(tmp_path, monkeypatch):
    synced = _folder_syncs(monkeypatch)
    with pytest.raises(RuntimeError), files.one_folder_sync():
        replace_atomic(tmp_path / "a.bin", b"a")
        raise RuntimeError("stop")
    assert synced == [str(tmp_path)] and (tmp_path / "a.bin").read_bytes() == b"a"
    synced.clear()
    replace_atomic(tmp_path / "c.bin", b"c")  # the block is over: syncs follow each file again
    assert synced == [str(tmp_path)]


def test_replace_atomic_refuses_a_folder(tmp_path):
    with pytest.raises(RegdocError, match="is a folder"):
        replace_atomic(tmp_path, b"x")


def _hold(folder: str, held, release) -> None:
    with folder_lock(Path(folder)):
        held.set()
        release.wait(60)


def test_folder_lock_keeps_a_second_process_out(tmp_path):
    ctx = multiprocessing.get_context("fork")
    held, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(tmp_path), held, release))
    holder.start()
    try:
        assert held.wait(60)
        with pytest.raises(RegdocError, match="another regdoc has held the lock of this folder"):
            with folder_lock(tmp_path, wait=0.1):
                pass
    finally:
        release.set()
        holder.join(60)
    with folder_lock(tmp_path, wait=5):  # free again once the holder is gone
        pass
    assert list(tmp_path.iterdir()) == []  # no lock file is left in the data tree


def test_folder_lock_of_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(RegdocError, match="cannot open the folder"):
        with folder_lock(tmp_path / "missing"):
            pass


# ----- where outputs may go ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["evaluations/2025/x.xlsx", "regulation/versions/2026-02-20.yaml",
                                 "resolutions/r.csv", "organisations", "templates/kk/x.docx", ".git/config"])
def test_outputs_are_refused_among_the_sources(tmp_path, rel):
    with pytest.raises(RegdocError, match="refusing to write"):
        files.refuse_source(tmp_path, tmp_path / rel)
    with pytest.raises(RegdocError, match="refusing to write"):
        files.output_file(tmp_path, tmp_path / rel, create_folder=True)
    assert list(tmp_path.iterdir()) == []


def test_a_link_into_the_sources_is_refused(tmp_path):
    (tmp_path / "regulation").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "regulation")
    with pytest.raises(RegdocError, match="source folder regulation/"):
        files.output_file(tmp_path, tmp_path / "out" / "x.csv")


def test_outputs_elsewhere_are_allowed(tmp_path):
    assert files.output_file(tmp_path, tmp_path / "evaluations.xlsx") == tmp_path / "evaluations.xlsx"
    files.output_file(tmp_path, tmp_path / "out" / "score.xlsx", create_folder=True)
    assert (tmp_path / "out").is_dir()


def test_an_output_in_a_missing_folder_is_refused_unless_created(tmp_path):
    with pytest.raises(RegdocError, match=r"missing/x.csv: the folder to write into does not exist"):
        files.output_file(tmp_path, tmp_path / "missing" / "x.csv")
    with pytest.raises(RegdocError, match="does not exist"):
        files.output_folder(tmp_path, tmp_path / "missing")
    assert list(tmp_path.iterdir()) == []
    assert files.output_folder(tmp_path, tmp_path / "out", create=True).is_dir()


def test_an_output_that_is_a_folder_or_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(RegdocError, match="is a folder"):
        files.output_file(tmp_path, tmp_path)
    with pytest.raises(RegdocError, match="is a file, not a folder"):
        files.output_folder(tmp_path, tmp_path / "f")


# ----- streaming, and faults half way -------------------------------------------------------------------------

@pytest.fixture(params=["anonymous", "named"])
def staging(request, monkeypatch):
    """Run a test with the bytes staged in an anonymous file (O_TMPFILE) and under a hidden temporary name."""
    if request.param == "named":
        monkeypatch.setattr(files, "_proc_fd", lambda: False)
    return request.param


def test_replacing_streams_text_and_bytes(tmp_path, staging):
    with files.replacing(tmp_path / "a.csv", text=True) as f:
        f.write("\ufeffқ,1\n")
        f.write("ә,2\r\n")
    assert (tmp_path / "a.csv").read_bytes() == "\ufeffқ,1\nә,2\r\n".encode()
    with files.replacing(tmp_path / "b.bin") as f:
        f.write(b"x" * 3_000_000)
        f.seek(0)
        f.write(b"y")
    assert (tmp_path / "b.bin").read_bytes() == b"y" + b"x" * 2_999_999
    assert leftovers(tmp_path) == []


def test_an_exception_in_the_block_keeps_the_previous_file(tmp_path, staging):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with files.replacing(target, text=True) as f:
            f.write("half" * 10_000)
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def failing_after(limit: int, code: int):
    """Return an os.write that writes `limit` bytes to files (not to the standard streams), then fails."""
    real = files.os.write
    written = [0]

    def write(fd, data):
        if fd <= 2:
            return real(fd, data)
        room = limit - written[0]
        if room <= 0:
            raise OSError(code, os.strerror(code))
        n = real(fd, bytes(data[:room]))
        written[0] += n
        return n

    return write


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "No space left on device"),
                                         (errno.EACCES, "Permission denied (no permission to write here"),
                                         (errno.EIO, "Input/output error")])
def test_a_write_failing_half_way_keeps_the_previous_file(tmp_path, monkeypatch, staging, code, words):
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"previous")
    monkeypatch.setattr(files.os, "write", failing_after(100_000, code))
    with pytest.raises(RegdocError, match=re.escape(f"cannot write the file: {words}")) as info:
        with files.replacing(target) as f:
            for _ in range(50):
                f.write(b"z" * 10_000)
    assert info.value.file == str(target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["results.xlsx"]


@pytest.mark.parametrize("call", ["fsync", "replace", "link"])
def test_a_failure_at_any_step_of_giving_the_name_keeps_the_previous_file(tmp_path, monkeypatch, staging, call):
    target = tmp_path / "register.json"
    target.write_bytes(b"previous")

    def failing(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, call, failing)
    if staging == "named" and call == "link":  # a named temporary file is renamed, never linked
        replace_atomic(target, b"new")
        assert target.read_bytes() == b"new"
        return
    with pytest.raises(RegdocError, match="No space left on device"):
        replace_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["register.json"]


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch, staging):
    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        replace_atomic(tmp_path / "doc.docx", b"x")
    assert list(tmp_path.iterdir()) == []


def test_create_exclusive_failing_half_way_leaves_no_file(tmp_path, monkeypatch, staging):
    monkeypatch.setattr(files.os, "write", failing_after(10, errno.ENOSPC))
    with pytest.raises(RegdocError, match="cannot create the file: No space left on device"):
        create_exclusive(tmp_path / "a.yaml", b"id: 2026-02-20/9/8\n" * 100)
    assert list(tmp_path.iterdir()) == []


def test_leftovers_of_a_killed_process_are_swept_by_the_next_write(tmp_path):
    target = tmp_path / "r.xlsx"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = tmp_path / f".r.xlsx.{dead}.0badf00d.tmp"
    alive = tmp_path / f".r.xlsx.{os.getppid()}.0badf00d.tmp"  # a running process's: kept
    other = tmp_path / f".s.xlsx.{dead}.0badf00d.tmp"  # another file's: kept
    for path in (stale, alive, other):
        path.write_bytes(b"half")
    replace_atomic(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r.xlsx", alive.name, other.name])


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from regdoc.files import write as files
if sys.argv[2] == "named":
    files._proc_fd = lambda: False
with files.replacing(Path(sys.argv[1])) as f:
    f.write(b"half of the new file " * 100_000)
    f.flush()
    print("half", flush=True)
    time.sleep(60)
    f.write(b"the rest")
"""


@pytest.mark.parametrize("mode", ["anonymous", "named"])
def test_a_process_killed_mid_write_keeps_the_previous_file(tmp_path, mode):
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"previous")
    env = dict(os.environ, PYTHONPATH=str(SRC))
    with subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target), mode], stdout=subprocess.PIPE,
                          text=True, env=env) as writer:
        assert writer.stdout.readline().strip() == "half"
        writer.send_signal(signal.SIGKILL)
        writer.wait(30)
    assert target.read_bytes() == b"previous"
    names = sorted(p.name for p in tmp_path.iterdir())
    if mode == "anonymous":  # the staged bytes had no name: nothing to clean up
        assert names == ["results.xlsx"]
    else:  # a hidden temporary file is left until the next write of the same file removes it
        assert len(names) == 2 and names[0].startswith(".results.xlsx.") and names[0].endswith(".tmp")
        replace_atomic(target, b"next")
        assert [p.name for p in tmp_path.iterdir()] == ["results.xlsx"]
    assert target.read_bytes() == (b"previous" if mode == "anonymous" else b"next")


# ----- background commits: each file synced and named in a thread while the writer goes on -------------------

def test_background_commits_write_every_file_synced_before_its_name(tmp_path, monkeypatch, staging):
    synced: set[int] = set()  # the inodes of the files synced so far
    named: list[tuple[str, bool]] = []  # (name, whether its inode was synced before it took the name)
    real_fsync, real_replace = files.os.fsync, files.os.replace

    def fsync(fd):
        result = real_fsync(fd)
        synced.add(os.fstat(fd).st_ino)
        return result

    def replace(src, dst, *args, **kwargs):
        named.append((Path(dst).name, os.stat(src).st_ino in synced))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    (tmp_path / "3.bin").write_bytes(b"old")
    with files.background_commits() as commits:
        for k in range(20):  # more files than may wait at a time
            replace_atomic(tmp_path / f"{k}.bin", f"new {k}".encode() * 1000)
        assert commits.wait() == {}
        assert (tmp_path / "19.bin").read_bytes() == b"new 19" * 1000  # named once wait() returns
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.bin" for k in range(20))
    assert all((tmp_path / f"{k}.bin").read_bytes() == f"new {k}".encode() * 1000 for k in range(20))
    assert sorted(named) == sorted((f"{k}.bin", True) for k in range(20))  # each synced, then named


def test_background_commits_report_a_file_that_fails_at_its_last_step_and_keep_its_old_file(tmp_path, monkeypatch):
    from regdoc.i18n import using

    real_replace = files.os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == "b.bin":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(files.os, "replace", replace)
    (tmp_path / "b.bin").write_bytes(b"previous")
    with using("ru"), files.background_commits() as commits:
        for name in ("a.bin", "b.bin", "c.bin"):
            replace_atomic(tmp_path / name, b"new")
        failed = commits.wait()
    assert list(failed) == [tmp_path / "b.bin"]
    assert failed[tmp_path / "b.bin"].file == str(tmp_path / "b.bin")
    # in the caller's interface language, not the thread's
    assert "не удаётся записать файл: на диске не осталось места" in str(failed[tmp_path / "b.bin"])
    assert (tmp_path / "b.bin").read_bytes() == b"previous"
    assert (tmp_path / "a.bin").read_bytes() == b"new" and (tmp_path / "c.bin").read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_a_background_failure_nobody_collected_is_raised_at_the_block_end(tmp_path, monkeypatch):
    def failing(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", failing)
    with pytest.raises(RegdocError, match="Input/output error"):
        with files.background_commits():
            replace_atomic(tmp_path / "a.bin", b"new")
    assert list(tmp_path.iterdir()) == []


def test_background_commits_sync_each_folder_once(tmp_path, monkeypatch):
    synced = _folder_syncs(monkeypatch)
    with files.background_commits():
        for k in range(5):
            replace_atomic(tmp_path / f"{k}.bin", b"x")
    assert synced == [str(tmp_path)]
    synced.clear()
    with files.one_folder_sync(), files.background_commits():  # inside a one_folder_sync block: at its end
        replace_atomic(tmp_path / "a.bin", b"x")
        replace_atomic(tmp_path / "b.bin", b"x")
        assert synced == []
    assert synced == [str(tmp_path)]
