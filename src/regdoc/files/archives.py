"""Zip packages (.xlsx workbooks, .docx templates) checked before a library unpacks them.

A package may hold at most MAX_ENTRIES parts, and its parts may unpack to at most a given number of bytes in all
(and per named part), as their sizes are declared in the zip's directory. Python's zipfile never unpacks more of
a part than its declared size (a part that holds more fails its checksum), so the declared sizes bound what a
small hostile file (a zip bomb) can make regdoc unpack.
"""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import Mapping

from regdoc.errors import RegdocError
from regdoc.i18n import _

MAX_ENTRIES = 10_000
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold: no clock in the output


def check_package(path: Path, shown: str, what: str, max_unpacked: int,
                  part_limits: Mapping[str, int] | None = None) -> None:
    """Raise RegdocError naming `shown` unless `path` is a zip package of at most MAX_ENTRIES parts that unpack
    to at most `max_unpacked` bytes, each part named in `part_limits` to at most its limit. `what` names the
    kind of file in messages (e.g. N_(".xlsx workbook")), translated here."""
    what = _(what)
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except zipfile.BadZipFile:  # its text ("File is not a zip file") says no more than the message
        raise RegdocError(_("not a readable {what} (not a zip package)").format(what=what), shown) from None
    except (zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise RegdocError(_("not a readable {what} (not a zip package: {exc})").format(what=what, exc=exc), shown) from None
    if len(infos) > MAX_ENTRIES:
        raise RegdocError(_("holds {count} packed parts, more than the {max_entries} regdoc opens in one {what}").format(
                              count=len(infos), max_entries=MAX_ENTRIES, what=what),
                          shown)
    total = sum(info.file_size for info in infos)
    if total > max_unpacked:
        raise RegdocError(_("unpacks to {total:,} bytes, more than the limit of {max_unpacked:,} bytes for one "
                            "{what} (a file this small that unpacks this large is refused as a zip bomb)").format(
                              total=total, max_unpacked=max_unpacked, what=what), shown)
    for info in infos:
        limit = (part_limits or {}).get(info.filename)
        if limit is not None and info.file_size > limit:
            raise RegdocError(_("its part {filename} unpacks to {file_size:,} bytes, more than the limit of "
                                "{limit:,} bytes").format(
                                  filename=info.filename, file_size=info.file_size, limit=limit), shown)


_DOS_TIME = struct.pack("<HH", (ZIP_TIME[3] << 11) | (ZIP_TIME[4] << 5) | (ZIP_TIME[5] // 2),
                        ((ZIP_TIME[0] - 1980) << 9) | (ZIP_TIME[1] << 5) | ZIP_TIME[2])


def reproducible_zip(data: bytes) -> bytes:
    """Return the same zip package with every entry's timestamp set to ZIP_TIME (the only part of the writing
    library's output that depends on the clock), so equal content gives equal bytes.

    The timestamps are patched in place in the local headers and the central directory; the compressed data is
    left as it is (no second compression). Names, attributes and order are already fixed by the library
    (python-docx, openpyxl).
    """
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        directory = z.start_dir
    for info in infos:
        local = info.header_offset
        if out[local:local + 4] != b"PK\x03\x04":
            raise ValueError(f"not a local file header at {local} for {info.filename}")
        out[local + 10:local + 14] = _DOS_TIME
    position = directory
    for _entry in infos:  # not `_`: that is the interface language's gettext in this module
        if out[position:position + 4] != b"PK\x01\x02":
            raise ValueError(f"not a central directory entry at {position}")
        out[position + 12:position + 16] = _DOS_TIME
        name_len, extra_len, comment_len = struct.unpack("<HHH", out[position + 28:position + 34])
        position += 46 + name_len + extra_len + comment_len
    return bytes(out)
