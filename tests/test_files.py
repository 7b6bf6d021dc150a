"""Safe writing: exclusive creation, atomic replacement, the folder lock."""
from __future__ import annotations

import errno
import multiprocessing
from pathlib import Path

import pytest

from regdoc import files
from regdoc.errors import RegdocError
from regdoc.files import create_exclusive, folder_lock, replace_atomic


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
    def no_links(src, dst):
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
