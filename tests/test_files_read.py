"""regdoc.files.read: a data file is read once, only as a regular file inside the tree, never past its bound."""
from __future__ import annotations

import hashlib
import os
import socket

import pytest

from regdoc.errors import RegdocError
from regdoc.files.read import read_bounded


def test_the_bytes_read_come_with_their_digest(tmp_path):
    (tmp_path / "a.yaml").write_bytes(b"x: 1\n")
    source = read_bounded(tmp_path, tmp_path / "a.yaml", 100, "a.yaml")
    assert source.data == b"x: 1\n" and source.sha256 == hashlib.sha256(b"x: 1\n").hexdigest()


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 10)
    assert read_bounded(tmp_path, tmp_path / "a", 10).data == b"x" * 10
    with pytest.raises(RegdocError, match="larger than the limit of 9 bytes"):
        read_bounded(tmp_path, tmp_path / "a", 9)


def test_a_file_longer_than_the_limit_is_refused_unread(tmp_path, monkeypatch):
    with (tmp_path / "big").open("wb") as f:
        f.truncate(50 * 1024 * 1024)

    def no_read(*args):
        raise AssertionError("read")

    with monkeypatch.context() as patched:
        patched.setattr(os, "read", no_read)
        with pytest.raises(RegdocError, match="file is 52428800 bytes, larger than the limit of 10 bytes"):
            read_bounded(tmp_path, tmp_path / "big", 10)


def test_a_link_to_a_device_is_refused_unread(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(RegdocError, match="is a device, not a regular file") as err:
        read_bounded(None, tmp_path / "zero.yaml", 10, "zero.yaml")
    assert err.value.file == "zero.yaml"


def test_a_fifo_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(RegdocError, match="FIFO"):
        read_bounded(tmp_path, tmp_path / "pipe.yaml", 10)


def test_a_socket_and_a_folder_are_refused(tmp_path):
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(tmp_path / "s.yaml"))
        with pytest.raises(RegdocError, match="socket"):
            read_bounded(tmp_path, tmp_path / "s.yaml", 10)
    (tmp_path / "d.yaml").mkdir()
    with pytest.raises(RegdocError, match="folder"):
        read_bounded(tmp_path, tmp_path / "d.yaml", 10)


def test_a_link_inside_the_tree_is_followed_and_one_leaving_it_refused(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "real.yaml").write_bytes(b"a: 1\n")
    (tree / "inner.yaml").symlink_to("real.yaml")
    assert read_bounded(tree, tree / "inner.yaml", 100).data == b"a: 1\n"
    (tmp_path / "outside.yaml").write_bytes(b"a: 2\n")
    (tree / "outer.yaml").symlink_to(tmp_path / "outside.yaml")
    with pytest.raises(RegdocError, match="outside the data tree"):
        read_bounded(tree, tree / "outer.yaml", 100)


def test_missing_and_looping_files_are_clear_errors(tmp_path):
    with pytest.raises(RegdocError, match="cannot read file"):
        read_bounded(tmp_path, tmp_path / "none.yaml", 10)
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(RegdocError, match="cannot read file"):
        read_bounded(tmp_path, tmp_path / "a", 10)
