"""Zip packages (.xlsx workbooks, .docx templates) checked before a library unpacks them.

A package may hold at most MAX_ENTRIES parts, and its parts may unpack to at most a given number of bytes in all
(and per named part), as their sizes are declared in the zip's directory. Python's zipfile never unpacks more of
a part than its declared size (a part that holds more fails its checksum), so the declared sizes bound what a
small hostile file (a zip bomb) can make regdoc unpack.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Mapping

from regdoc.errors import RegdocError
from regdoc.i18n import _

MAX_ENTRIES = 10_000


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
