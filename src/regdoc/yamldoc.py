"""Safe YAML reading that keeps line numbers: text -> plain data plus a map of node paths to lines.

Only plain data is built (mappings, sequences, strings, numbers, booleans, null); dates stay strings and are
parsed by the model. Duplicate keys, Python object tags, aliases, oversized files, deep nesting, too many nodes
and invisible or control characters in text are refused. Data is built from the parser's events without
recursion, and refused as soon as a limit is passed, so a hostile file costs bounded time and memory.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .errors import RegdocError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_constructor = SafeConstructor()
_resolver = Resolver()
# libyaml's parser (C) when PyYAML has it: about 7 times faster than the Python one. Only its events are used;
# its composer recurses in C and would crash on deep nesting, where _Builder refuses at MAX_DEPTH.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if yaml.__with_libyaml__ else yaml.SafeLoader
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
    builder = _Builder(shown)
    try:
        data = builder.build(yaml.parse(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, shown) from None
    except yaml.reader.ReaderError as exc:
        offset = exc.position
        before = text.encode("utf-8")[:offset].decode("utf-8", "ignore") if _LOADER is not yaml.SafeLoader \
            else text[:offset]
        raise RegdocError(f"the control character U+{exc.character:04X} is not allowed in YAML; remove it",
                          shown, before.count("\n") + 1) from None
    except yaml.YAMLError as exc:
        raise RegdocError(f"invalid YAML: {' '.join(str(exc).split())}", shown) from None
    if builder.documents == 0:
        raise RegdocError("file is empty", shown, 1)
    return Document(Path(shown), data, builder.lines)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, shown) -> RegdocError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.context_mark and exc.problem and exc.context_mark.line + 1 != line:
        what = exc.context.removeprefix("while parsing ").removeprefix("while scanning ")
        problem += f" (in the {what} that starts on line {exc.context_mark.line + 1})"
    lines = text.split("\n")
    if mark and mark.line < len(lines) and "\t" in lines[mark.line][:mark.column + 1]:
        problem += " (YAML does not allow tabs for indentation; use spaces)"
    return RegdocError(f"invalid YAML: {problem}", shown, line)


class _Frame:
    """A mapping or list being built: its value, path, depth and, for a mapping, the key read last."""

    __slots__ = ("value", "path", "depth", "key")

    def __init__(self, value, path: NodePath, depth: int):
        self.value, self.path, self.depth, self.key = value, path, depth, None


class _Builder:
    """Builds plain data from YAML events, without recursion (so no nesting can exhaust the stack), refusing
    what regdoc does not accept as soon as it is met."""

    def __init__(self, shown):
        self.shown = shown
        self.lines: dict = {}
        self.nodes = 0
        self.documents = 0

    def fail(self, message: str, event, path: NodePath) -> RegdocError:
        return RegdocError(message, self.shown, event.start_mark.line + 1, dotted(path) or None)

    def build(self, events) -> Any:
        stack: list[_Frame] = []
        root = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self.fail("invalid YAML: a second document starts here; a regdoc file holds a single "
                                    "document (remove the ---)", event, ())
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                value = frame.value
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.ScalarEvent,
                                    yaml.AliasEvent)):
                parent = stack[-1] if stack else None
                if parent is not None and isinstance(parent.value, dict) and parent.key is None:
                    self.key(event, parent)
                    continue
                if parent is None:
                    path, depth = (), 0
                else:
                    path = parent.path + ((len(parent.value),) if isinstance(parent.value, list) else (parent.key,))
                    depth = parent.depth + 1
                value = self.node(event, path, depth)
                if isinstance(value, _Frame):
                    stack.append(value)
                    continue
            else:
                continue
            if not stack:
                root = value
            elif isinstance(stack[-1].value, list):
                stack[-1].value.append(value)
            else:
                stack[-1].value[stack[-1].key] = value
                stack[-1].key = None
        return root

    def node(self, event, path: NodePath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting is deeper than regdoc accepts ({MAX_DEPTH} levels)", event, path)
        if isinstance(event, yaml.AliasEvent):
            err = self.fail("YAML aliases (*name) are not accepted in regdoc data; write the value out", event, path)
            err.line = self.lines.get(path, err.line)
            raise err
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(f"more than {MAX_NODES} nodes in one file", event, path)
        self.lines.setdefault(path, event.start_mark.line + 1)
        if isinstance(event, yaml.MappingStartEvent):
            if event.tag not in (None, "!", _TAG + "map"):
                raise self.fail(f"tag {event.tag} is not accepted; only plain mappings", event, path)
            return _Frame({}, path, depth)
        if isinstance(event, yaml.SequenceStartEvent):
            if event.tag not in (None, "!", _TAG + "seq"):
                raise self.fail(f"tag {event.tag} is not accepted; only plain lists", event, path)
            return _Frame([], path, depth)
        return self.scalar(event, path)

    def key(self, event, frame: _Frame) -> None:
        """Read the next key of the mapping being built in `frame`."""
        if not isinstance(event, yaml.ScalarEvent) or _tag(event) == _TAG + "merge":
            raise self.fail("keys must be plain words (no merge keys or complex keys)", event, frame.path)
        key = self.scalar(event, frame.path)
        if not isinstance(key, str):
            key = str(key)
        if key in frame.value:
            first = self.lines.get(frame.path + (key,))
            raise self.fail(f"duplicate key '{key}' (first given on line {first})", event, frame.path + (key,))
        self.lines[frame.path + (key,)] = event.start_mark.line + 1
        frame.key = key

    def scalar(self, event, path: NodePath) -> Any:
        tag = _tag(event)
        if tag == _TAG + "timestamp":
            return event.value
        if tag not in _PLAIN_SCALARS:
            raise self.fail(f"tag {tag} is not accepted; only plain text, numbers, true/false and null", event, path)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        value = _constructor.construct_object(node)
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise self.fail("NaN and infinity are not numbers regdoc accepts", event, path)
        if isinstance(value, str):
            bad = _REFUSED_CHARS.search(value)
            if bad:
                raise self.fail(f"text holds the invisible or control character U+{ord(bad.group()):04X} "
                                f"at position {bad.start() + 1}; remove it", event, path)
        return value


def _tag(event) -> str:
    """Return the tag of a scalar event, resolved as YAML's safe schema reads a plain or quoted scalar."""
    if event.tag in (None, "!"):
        return _resolver.resolve(ScalarNode, event.value, event.implicit)
    return event.tag
