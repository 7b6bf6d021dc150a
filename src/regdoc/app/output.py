"""Where outputs go: the one place that decides an output's file, so that every command and the browser put
files alike.

A file named by the user (`--out FILE`) must lie in a folder that exists; an output that must be a file and was
not named goes to out/<name> under the data tree (created); documents go to a folder (`--out DIR`, else out/ under
the data tree). Every target is refused inside the data tree's source folders, and checked before any work.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from regdoc.files.write import output_file, output_folder, replace_atomic

DEFAULT_OUT = "out"  # the output folder under the data tree


def target(root: Path | str, out: Optional[Path | str], default_name: Optional[str] = None) -> Optional[Path]:
    """Return the file to write: `out`, else out/`default_name` under the data tree; None for standard output."""
    if out:
        return output_file(root, out)
    if default_name:
        return output_file(root, Path(root) / DEFAULT_OUT / default_name, create_folder=True)
    return None


def document_folder(root: Path | str, out: Optional[Path | str]) -> Path:
    """Return the folder documents are written to: `out` (which must exist), else out/ under the data tree."""
    if out is None:
        return output_folder(root, Path(root) / DEFAULT_OUT, create=True)
    return output_folder(root, out)


def write(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path`, replacing it in one step."""
    replace_atomic(path, data.encode("utf-8") if isinstance(data, str) else data)
