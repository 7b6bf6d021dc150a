"""Standard streams and output targets, the same way for every command.

- Results go to standard output; messages, warnings and "wrote ..." lines to standard error.
- `--out -` is standard output. Text goes there in any case; a binary format (.xlsx, .docx) goes there only
  when standard output is not a terminal (`regdoc score 2025 --format xlsx --out - > s.xlsx`).
- The format follows `--out`'s extension when `--format` is not given (`--out s.md` writes Markdown); an
  extension that names another format than `--format` is refused.
- Any console: a standard stream whose encoding cannot carry Kazakh (cp1251, cp866, ascii) is switched to
  UTF-8. When PYTHONIOENCODING names an encoding, it is honoured, and a character it lacks is written as a
  backslash escape (\\u04d9) instead of ending the command.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

from regdoc.errors import RegdocError
from regdoc.i18n import _

STDOUT = "-"
# The formats an --out extension names.
EXTENSIONS = {".txt": "text", ".text": "text", ".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv",
              ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def _is_utf8(encoding: Optional[str]) -> bool:
    return (encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def any_console() -> None:
    """Make standard output and error carry any text: UTF-8 where their encoding cannot, unless
    PYTHONIOENCODING chose one (then characters it lacks become backslash escapes)."""
    chosen = bool(os.environ.get("PYTHONIOENCODING"))
    for stream in (sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        try:
            if chosen:
                if stream.errors == "strict":
                    stream.reconfigure(errors="backslashreplace")
            elif not _is_utf8(getattr(stream, "encoding", None)):
                stream.reconfigure(encoding="utf-8")
        except (ValueError, OSError):  # a stream already written to in another way: leave it
            continue


def is_stdout(out) -> bool:
    """Return whether an --out value means standard output (`-`)."""
    return out is not None and str(out) == STDOUT


def write_stdout(data: str | bytes, what: str = "") -> None:
    """Write a result to standard output: text as it is, bytes only when standard output is not a terminal."""
    if isinstance(data, str):
        sys.stdout.write(data)
        return
    if sys.stdout.isatty():
        raise RegdocError(_("{what} is a binary file and is not written to a terminal; redirect standard output "
                            "(> file) or give --out FILE").format(what=what or _("the output")))
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def format_of(out, given: Optional[str], default: str, choices) -> str:
    """Return the format to write: `given` (--format), else the one `out`'s extension names, else `default`.
    Raise RegdocError when the extension names a format other than `given`, or one the command does not write."""
    named = None
    if out is not None and not is_stdout(out):
        suffix = Path(str(out)).suffix.lower()
        named = EXTENSIONS.get(suffix)
        if named is not None and choices is not None and named not in choices:
            raise RegdocError(_("--out {out} names the format {named}, which this command does not write "
                                "(formats: {choices})").format(out=out, named=named, choices=", ".join(choices)))
    if given is not None and named is not None and given != named:
        raise RegdocError(_("--out {out} names the format {named}, but --format is {given}: give one of them, or "
                            "make them agree").format(out=out, named=named, given=given))
    return given or named or default
