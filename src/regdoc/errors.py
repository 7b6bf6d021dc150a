"""The one root exception of regdoc and the problem records that `check` reports."""
from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Iterable, NamedTuple

from regdoc.i18n import N_, _, ngettext

# What a message must not print as it is: control characters (a terminal would obey escapes, a line break would
# split the one line), unpaired surrogates, and invisible or direction-changing characters (a text could display
# other than it reads).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                          "\ufeff\ufffe\uffff]")


def printable(text: str) -> str:
    """Return `text` with every control, invisible or direction character written as an escape (\\x1b, \\u202e)."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def _where(file: str | Path | None, line: int | None, node: str | None) -> str:
    parts = []
    if file is not None:
        parts.append(str(file) + (f":{line}" if line else ""))
    if node:
        parts.append(node)
    return ": ".join(parts)


class RegdocError(Exception):
    """A problem with the user's data or arguments; the CLI prints it as one line."""

    def __init__(self, message: str, file: str | Path | None = None,
                 line: int | None = None, node: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.node = node

    def __str__(self) -> str:
        where = _where(self.file, self.line, self.node)
        return printable(f"{where}: {self.message}" if where else self.message)


class Problem(NamedTuple):
    """One finding of `regdoc check`: an error or a warning located in a file.

    A named tuple rather than a dataclass: `regdoc --help` and a usage error then import neither dataclasses nor
    inspect (about a third of the CLI's own import time)."""

    severity: str  # "error", "warning" or "info" (printed in the interface language)
    message: str
    file: str | None = None
    line: int | None = None
    node: str | None = None
    # An error that leaves the tree readable (an amendment whose resolution does not exist yet, or that has no
    # operations yet): the read-only views run, marking the amendment a draft; `check` and the signable
    # documents refuse it.
    draft: bool = False

    @classmethod
    def from_error(cls, err: RegdocError, severity: str = "error", draft: bool = False) -> "Problem":
        return cls(severity, err.message, err.file, err.line, err.node, draft)

    def __str__(self) -> str:
        where = _where(self.file, self.line, self.node)
        severity = _(SEVERITIES.get(self.severity, self.severity))
        return printable(f"{where}: {severity}: {self.message}" if where else f"{severity}: {self.message}")


SEVERITIES = {"error": N_("error"), "warning": N_("warning")}


class CheckFailed(RegdocError):
    """Raised when validation found errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(ngettext("{count} error found", "{count} errors found", len(errors)).format(
            count=len(errors)))

# The reasons of the operating system's errors that a file operation meets, in the interface language (the C
# library's strerror text is English whatever the interface language).
_OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EEXIST: N_("File exists"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.EBUSY: N_("Device or resource busy"),
    errno.EMFILE: N_("Too many open files"),
    errno.EIO: N_("Input/output error"),
    errno.EFBIG: N_("File too large"),
    errno.EXDEV: N_("Invalid cross-device link"),
}


def os_reason(exc: OSError) -> str:
    """Return why an operation of the operating system failed, in the interface language."""
    if exc.errno in _OS_REASONS:
        return _(_OS_REASONS[exc.errno])
    return exc.strerror or str(exc)


def nearest(word: str, allowed: Iterable[str]) -> str:
    """Return "; did you mean 'x'?" for the closest allowed name, or an empty string."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(a) for a in allowed], n=1, cutoff=0.6)
    return _("; did you mean '{name}'?").format(name=close[0]) if close else ""
