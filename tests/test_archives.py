"""Zip packages are checked before a library unpacks them: the number of parts and what they unpack to."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from regdoc.errors import RegdocError
from regdoc.files import archives
from regdoc.files.archives import check_package


def package(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_small_package_passes(tmp_path):
    check_package(package(tmp_path / "a.xlsx", {"a.xml": b"<a/>"}), "a.xlsx", ".xlsx workbook", 1000)


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    bomb = package(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": b"\0" * 5_000_000})
    assert bomb.stat().st_size < 10_000
    with pytest.raises(RegdocError, match=r"bomb.xlsx: unpacks to 5,000,000 bytes, more than the limit of 1,000,000 "
                                          r"bytes for one .xlsx workbook"):
        check_package(bomb, "bomb.xlsx", ".xlsx workbook", 1_000_000)


def test_a_part_over_its_own_limit_is_refused(tmp_path):
    path = package(tmp_path / "a.xlsx", {"xl/sharedStrings.xml": b"x" * 2000, "xl/a.xml": b"x"})
    with pytest.raises(RegdocError, match="its part xl/sharedStrings.xml unpacks to 2,000 bytes"):
        check_package(path, "a.xlsx", ".xlsx workbook", 10_000, {"xl/sharedStrings.xml": 1000})


def test_too_many_parts_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_ENTRIES", 10)
    path = package(tmp_path / "a.docx", {f"p{i}.xml": b"" for i in range(11)})
    with pytest.raises(RegdocError, match="holds 11 packed parts, more than the 10"):
        check_package(path, "a.docx", ".docx template", 10_000)


def test_not_a_zip(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"organisation,name\n")
    with pytest.raises(RegdocError, match="not a readable .xlsx workbook"):
        check_package(tmp_path / "a.xlsx", "a.xlsx", ".xlsx workbook", 10_000)
