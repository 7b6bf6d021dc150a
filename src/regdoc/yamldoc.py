"""Safe YAML reading that keeps line numbers: text -> plain data plus a map of node paths to lines.

Only plain data is built (mappings, sequences, strings, numbers, booleans, null); dates stay strings and are
parsed by the model. Duplicate keys, Python object tags, aliases, oversized files and deep nesting are refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import RegdocError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_constructor = SafeConstructor()
# Characters refused inside text: C0/C1 controls other than tab and line breaks, unpaired surrogates (from
# "\ud800" escapes), and direction controls that can make a text display other than it reads.
_REFUSED_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
                            "\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")

NodePath = tuple  # of str keys and int indexes


def dotted(path: NodePath) -> str:
    """Return a node path as `ops[2].target`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Document:
    """A parsed YAML file: its plain data and the line of every node."""

    path: Path
    data: Any
    lines: dict = field(default_factory=dict)
    _children: Optional[dict] = field(default=None, repr=False)

    def line_of(self, path: NodePath) -> int | None:
        """Return the line of the node at `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def key_lines(self, path: NodePath) -> tuple[tuple[str, int], ...]:
        """Return (key, line) for each key of the mapping at `path`."""
        if self._children is None:
            self._children = {}
            for node, line in self.lines.items():
                if node and isinstance(node[-1], str):
                    self._children.setdefault(node[:-1], []).append((node[-1], line))
        return tuple(self._children.get(tuple(path), ()))

    def error(self, message: str, path: NodePath = ()) -> RegdocError:
        """Return a RegdocError located at the node `path` of this document."""
        return RegdocError(message, self.path, self.line_of(path), dotted(path) or None)


def read_document(path: Path, display: str | Path | None = None) -> Document:
    """Return the YAML document at `path`, refusing anything but plain, safe data."""
    shown = display if display is not None else path
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RegdocError(f"file is {size} bytes, larger than the limit of {MAX_BYTES} bytes", shown)
        raw = path.read_bytes()
    except OSError as exc:
        raise RegdocError(f"cannot read file: {exc.strerror}", shown) from None
    return parse_document(raw, shown)


def parse_document(raw: bytes, shown: str | Path) -> Document:
    """Return the Document parsed from `raw` bytes; `shown` names the file in messages."""
    if len(raw) > MAX_BYTES:
        raise RegdocError(f"file is {len(raw)} bytes, larger than the limit of {MAX_BYTES} bytes", shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RegdocError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", shown, line) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise RegdocError("file is empty", shown, 1)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem and exc.context_mark.line + 1 != line:
            what = exc.context.removeprefix("while parsing ").removeprefix("while scanning ")
            problem += f" (in the {what} that starts on line {exc.context_mark.line + 1})"
        if "\t" in problem or "\\t" in problem:
            problem += " (YAML does not allow tabs for indentation; use spaces)"
        raise RegdocError(f"invalid YAML: {problem}", shown, line) from None
    except yaml.YAMLError as exc:
        raise RegdocError(f"invalid YAML: {exc}", shown) from None
    except RecursionError:
        raise RegdocError(f"nesting is deeper than regdoc accepts ({MAX_DEPTH} levels)", shown) from None
    if node is None:
        raise RegdocError("file is empty", shown, 1)
    builder = _Builder(shown)
    data = builder.build(node, (), 0)
    return Document(Path(shown), data, builder.lines)


class _Builder:
    def __init__(self, shown):
        self.shown = shown
        self.lines: dict = {}
        self.seen: set[int] = set()

    def fail(self, message: str, node, path: NodePath) -> RegdocError:
        return RegdocError(message, self.shown, node.start_mark.line + 1, dotted(path) or None)

    def build(self, node, path: NodePath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting is deeper than regdoc accepts ({MAX_DEPTH} levels)", node, path)
        if id(node) in self.seen:
            err = self.fail("YAML aliases (*name) are not accepted in regdoc data; write the value out", node, path)
            err.line = self.lines.get(path, err.line)
            raise err
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise self.fail(f"more than {MAX_NODES} nodes in one file", node, path)
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            if node.tag != _TAG + "map":
                raise self.fail(f"tag {node.tag} is not accepted; only plain mappings", node, path)
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode) or key_node.tag == _TAG + "merge":
                    raise self.fail("keys must be plain words (no merge keys or complex keys)", key_node, path)
                key = self.scalar(key_node, path)
                if not isinstance(key, str):
                    key = str(key)
                if key in out:
                    first = self.lines.get(path + (key,))
                    raise self.fail(f"duplicate key '{key}' (first given on line {first})", key_node, path + (key,))
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                raise self.fail(f"tag {node.tag} is not accepted; only plain lists", node, path)
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node, path: NodePath) -> Any:
        if node.tag == _TAG + "timestamp":
            return node.value
        if node.tag not in _PLAIN_SCALARS:
            raise self.fail(f"tag {node.tag} is not accepted; only plain text, numbers, true/false and null", node, path)
        value = _constructor.construct_object(node)
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise self.fail("NaN and infinity are not numbers regdoc accepts", node, path)
        if isinstance(value, str):
            bad = _REFUSED_CHARS.search(value)
            if bad:
                raise self.fail(f"text holds the invisible or control character U+{ord(bad.group()):04X} "
                                f"at position {bad.start() + 1}; remove it", node, path)
        return value
