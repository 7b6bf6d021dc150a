"""Tables for a terminal and for Markdown (pure): headings and rows of text in, aligned text out."""
from __future__ import annotations

import textwrap
import unicodedata


def _width(text: str) -> int:
    """Return the columns a text takes in a terminal (wide East Asian letters take two, marks none)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""])
    return lines


def text_table(headings: list[str], rows: list[list[str]], max_widths: list[int | None] | None = None,
               bold=lambda s: s) -> str:
    """Return an aligned table: the headings, a rule, then the rows; a cell (or heading) wider than its column's
    maximum wraps onto further lines. `bold` styles the heading lines (e.g. with colour on a terminal)."""
    max_widths = max_widths or [None] * len(headings)

    def cells(row: list[str]) -> list[list[str]]:
        return [_wrap(cell, limit) if limit else cell.split("\n") for cell, limit in zip(row, max_widths)]

    heading = cells(headings)
    wrapped = [cells(row) for row in rows]
    widths = [max(_width(line) for row in [heading] + wrapped for line in row[i]) for i in range(len(headings))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [bold(line([cell[k] if k < len(cell) else "" for cell in heading]))
           for k in range(max(len(cell) for cell in heading))]
    out.append("  ".join("-" * w for w in widths))
    for row in wrapped:
        for k in range(max(len(cell) for cell in row)):
            out.append(line([cell[k] if k < len(cell) else "" for cell in row]))
    return "\n".join(out) + "\n"


_MD_SPECIAL = set("\\`*_[]<>|&~#")


def _md_cell(text: str) -> str:
    """Return text safe in a Markdown table cell: punctuation Markdown would read is escaped, breaks are <br>."""
    escaped = "".join("\\" + c if c in _MD_SPECIAL else c for c in text)
    return "<br>".join(escaped.split("\n"))


def markdown_table(headings: list[str], rows: list[list[str]]) -> str:
    """Return a GitHub-flavoured Markdown table; cells show their text literally, line breaks become <br>."""
    out = ["| " + " | ".join(_md_cell(h) for h in headings) + " |",
           "|" + "|".join("---" for _ in headings) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"
