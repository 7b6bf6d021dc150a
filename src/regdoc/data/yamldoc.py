"""Safe YAML reading that keeps line numbers: text -> plain data plus a map of node paths to lines.

Only plain data is built (mappings, sequences, strings, numbers, booleans, null); dates stay strings and are
parsed by the model. Duplicate keys, Python object tags, aliases, oversized files and deep nesting are refused.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from regdoc.errors import RegdocError
from regdoc.files.read import Source, read_bounded
from regdoc.i18n import N_, _

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_NUMBER_TAGS = {_TAG + "int", _TAG + "float"}
_NULL_TEXTS = {"", "~", "null", "Null", "NULL"}  # YAML's texts of null (an untagged null is one of them)
_MISFIT = object()  # a tagged text its tag's constructor cannot read
_NUMBER_LIKE = re.compile(r"[+-]?\.?\d")  # a plain text that YAML 1.2 may read as a number (09, 1e3)
# PyYAML, set up when a first file is parsed (_yaml): importing it takes some 15 ms of CPU, which a command answered
# from the validated-tree cache (regdoc.tree.cache) never needs. Its parser (_Loader) is libyaml's when present (a
# state machine: fast, and no recursion), PyYAML's own otherwise.
yaml = ScalarNode = None
_Loader = _constructor = _resolver = None


def _yaml():
    """Return the yaml module, with this module's parser, constructor, resolver and node class set up."""
    global yaml, ScalarNode, _Loader, _constructor, _resolver
    if yaml is None or _Loader is None or _constructor is None:
        import yaml as module
        from yaml.constructor import SafeConstructor
        from yaml.nodes import ScalarNode as node
        from yaml.resolver import Resolver

        if _Loader is None:
            _Loader = getattr(module, "CSafeLoader", module.SafeLoader)
        if _constructor is None:
            _constructor, _resolver = SafeConstructor(), Resolver()
        yaml, ScalarNode = module, node
    return yaml


def safe_load(text: str) -> Any:
    """Return the data of the YAML `text` as PyYAML's safe loader reads it (plain types only, no tags that run
    code), with the parser regdoc reads its files with: libyaml's where present. No limits or line numbers:
    for text regdoc wrote itself (app.editing's read-back check), not for a user's file (parse_document)."""
    return _yaml().load(text, Loader=_Loader)


# The problems and contexts of libyaml's scanner and parser that a data file can cause: marked for the catalogs, so
# that "invalid YAML: <problem>" reads in the interface language (a text not listed here stays as libyaml wrote it).
YAML_PROBLEMS = (
    N_("invalid YAML"),
    N_("block sequence entries are not allowed in this context"),
    N_("could not find expected ':'"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected <document start>"),
    N_("did not find expected key"),
    N_("did not find expected node content"),
    N_("did not find expected comment or line break"),
    N_("did not find expected whitespace or line break"),
    N_("did not find expected alphabetic or numeric character"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found character that cannot start any token"),
    N_("found undefined alias"),
    N_("found undefined tag handle"),
    N_("found unexpected ':'"),
    N_("found unexpected document indicator"),
    N_("found unexpected end of stream"),
    N_("found unknown escape character"),
    N_("found invalid Unicode character escape code"),
    N_("found duplicate anchor; first occurrence"),
    N_("mapping keys are not allowed in this context"),
    N_("mapping values are not allowed in this context"),
    N_("control characters are not allowed"),
    N_("invalid Unicode character"),
    N_("a block collection"), N_("a block mapping"), N_("a block node"), N_("a flow mapping"), N_("a flow node"),
    N_("a flow sequence"), N_("a node"), N_("a quoted scalar"), N_("a tag"), N_("a block scalar"),
    N_("a plain scalar"), N_("a simple key"), N_("an alias"), N_("an anchor"),
)

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
    numbers: dict = field(default_factory=dict)  # path -> the text of a plain scalar that is, or looks like, a number
    source: Optional[Source] = field(default=None, repr=False, compare=False)  # the bytes it was parsed from
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

    def text_of(self, path: NodePath) -> str | None:
        """Return the text written for the number at `path` (`0133`, `1:21`, `12.50`), or None for other nodes."""
        return self.numbers.get(tuple(path))

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


def read_document(path: Path, display: str | Path | None = None, root: Path | str | None = None) -> Document:
    """Return the YAML document at `path`, refusing anything but plain, safe data.

    The file is read once, as a regular file of at most MAX_BYTES (inside the data tree `root` when given:
    regdoc.files.read); the Document keeps the bytes it was parsed from and their digest (`source`)."""
    shown = display if display is not None else path
    source = read_bounded(root, path, MAX_BYTES, shown)
    doc = parse_document(source.data, shown)
    doc.source = source
    return doc


def parse_document(raw: bytes, shown: str | Path) -> Document:
    """Return the Document parsed from `raw` bytes; `shown` names the file in messages."""
    if len(raw) > MAX_BYTES:
        raise RegdocError(_("file is {count} bytes, larger than the limit of {max_bytes} bytes").format(
                              count=len(raw), max_bytes=MAX_BYTES), shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RegdocError(_("not UTF-8 text (byte 0x{raw:02x}); save the file as UTF-8").format(raw=raw[exc.start]), shown, line) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise RegdocError(_("file is empty"), shown, 1)
    yaml = _yaml()
    builder = _Builder(shown)
    try:
        data = builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = _(exc.problem or exc.context or "invalid YAML")
        if "maximum nesting depth" in problem:  # newer libyaml stops deep nesting itself, before regdoc's limit
            raise RegdocError(_("nesting is deeper than regdoc accepts ({max_depth} levels)").format(
                                  max_depth=MAX_DEPTH), shown, line) from None
        if exc.context and exc.context_mark and exc.problem and exc.context_mark.line + 1 != line:
            what = exc.context.removeprefix("while parsing ").removeprefix("while scanning ")
            problem += _(" (in the {what} that starts on line {line})").format(what=_(what),
                                                                            line=exc.context_mark.line + 1)
        source_line = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
        if "\t" in problem or "\\t" in problem or "\t" in source_line[:len(source_line) - len(source_line.lstrip())]:
            problem += _(" (YAML does not allow tabs for indentation; use spaces)")
        raise RegdocError(_("invalid YAML: {problem}").format(problem=problem), shown, line) from None
    except yaml.reader.ReaderError as exc:  # a raw control character; libyaml counts its position in bytes
        before = text.encode("utf-8")[:exc.position].decode("utf-8", "ignore") if _Loader is not yaml.SafeLoader \
            else text[:exc.position]
        raise RegdocError(_("the control character U+{character:04X} is not allowed in YAML; remove it").format(
                              character=exc.character),
                          shown, before.count("\n") + 1) from None
    except yaml.YAMLError as exc:
        raise RegdocError(_("invalid YAML: {split}").format(split=' '.join(str(exc).split())), shown) from None
    return Document(Path(shown), data, builder.lines, builder.numbers, Source(raw, hashlib.sha256(raw).hexdigest()))


class _Frame:
    """An open mapping or list while the event stream is read."""

    __slots__ = ("container", "path", "key")

    def __init__(self, container, path: NodePath):
        self.container = container
        self.path = path
        self.key = None  # a mapping's key waiting for its value


class _Builder:
    """Builds plain data from the parser's event stream, iteratively (no recursion, so no depth can crash it)."""

    def __init__(self, shown):
        self.shown = shown
        self.lines: dict = {}
        self.numbers: dict = {}
        self.root, self.has_root = None, False
        # what a scalar of a given tag, text, implicitness and style resolves to: its tag (`_tags`), and the value
        # it makes with whether its text is kept as a number's (`_scalars`). Both depend on nothing else, and a
        # data file repeats its keys and many of its values, so each is worked out once per file.
        self._tags: dict = {}
        self._scalars: dict = {}

    def fail(self, message: str, event, path: NodePath, line: int | None = None) -> RegdocError:
        return RegdocError(message, self.shown, line or event.start_mark.line + 1, dotted(path) or None)

    def build(self, events) -> Any:
        stack: list[_Frame] = []
        documents, nodes = 0, 0
        lines, scalar_event = self.lines, yaml.ScalarEvent
        for event in events:
            if type(event) is scalar_event and stack:  # most events: what the general steps below do with them
                frame = stack[-1]
                container = frame.container
                if type(container) is dict:
                    if frame.key is None:
                        self.key(frame, event)
                        continue
                    path = frame.path + (frame.key,)
                else:
                    path = frame.path + (len(container),)
                nodes += 1
                if nodes > MAX_NODES:
                    raise self.fail(_("more than {count} nodes in one file").format(count=MAX_NODES), event, path)
                lines.setdefault(path, event.start_mark.line + 1)
                value = self.scalar(event, path)
                if type(container) is dict:
                    container[frame.key] = value
                    frame.key = None
                else:
                    container.append(value)
                continue
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(_("expected a single document in the file, but found another (---)"), event, ())
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            frame = stack[-1] if stack else None
            if frame is not None and isinstance(frame.container, dict) and frame.key is None:
                self.key(frame, event)
                continue
            if frame is None:
                path = ()
            elif isinstance(frame.container, dict):
                path = frame.path + (frame.key,)
            else:
                path = frame.path + (len(frame.container),)
            if isinstance(event, yaml.AliasEvent):
                raise self.fail(_("YAML aliases (*name) are not accepted in regdoc data; write the value out"),
                                event, path, self.lines.get(path))
            nodes += 1
            if nodes > MAX_NODES:
                raise self.fail(_("more than {count} nodes in one file").format(count=MAX_NODES), event, path)
            self.lines.setdefault(path, event.start_mark.line + 1)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                is_map = isinstance(event, yaml.MappingStartEvent)
                if event.tag not in (None, "!", _TAG + ("map" if is_map else "seq")):
                    message = (_("tag {tag} is not accepted; only plain mappings") if is_map else
                               _("tag {tag} is not accepted; only plain lists"))
                    raise self.fail(message.format(tag=event.tag), event, path)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(_("nesting is deeper than regdoc accepts ({max_depth} levels)").format(
                        max_depth=MAX_DEPTH), event, path)
                value = {} if is_map else []
                self.attach(frame, value)
                stack.append(_Frame(value, path))
                continue
            self.attach(frame, self.scalar(event, path))
        if stack:  # the parser reports unclosed structures itself; this is a safety net
            raise RegdocError(_("invalid YAML: the file ends inside an open mapping or list"), self.shown)
        if not self.has_root:
            raise RegdocError(_("file is empty"), self.shown, 1)
        return self.root

    def attach(self, frame: _Frame | None, value) -> None:
        if frame is None:
            self.root, self.has_root = value, True
        elif isinstance(frame.container, dict):
            frame.container[frame.key] = value
            frame.key = None
        else:
            frame.container.append(value)

    def key(self, frame: _Frame, event) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise self.fail(_("keys must be plain words (no aliases or complex keys)"), event, frame.path)
        if self.tag_of(event) == _TAG + "merge":
            raise self.fail(_("merge keys (<<) are not accepted; write the keys out"), event, frame.path)
        key = self.scalar(event, frame.path)
        key = key if isinstance(key, str) else str(key)
        path = frame.path + (key,)
        if key in frame.container:
            raise self.fail(_("duplicate key '{key}' (first given on line {line})").format(
                key=key, line=self.lines.get(path)), event, path)
        self.lines[path] = event.start_mark.line + 1
        frame.key = key

    def tag_of(self, event) -> str:
        if event.tag in (None, "!"):
            key = (event.value, event.implicit)
            tag = self._tags.get(key)
            if tag is None:
                tag = self._tags[key] = _resolver.resolve(ScalarNode, event.value, event.implicit)
            return tag
        return event.tag

    def scalar(self, event, path: NodePath) -> Any:
        key = (event.tag, event.value, event.implicit, event.style)
        known = self._scalars.get(key)
        if known is None:
            known = self._scalars[key] = self._scalar(event, path)
        value, number = known
        if number:
            self.numbers[path] = event.value
        return value

    def _scalar(self, event, path: NodePath) -> tuple[Any, bool]:
        """Return the value of a scalar event and whether its text is kept as a number's (see Document.numbers)."""
        tag = self.tag_of(event)
        if tag == _TAG + "timestamp":
            return event.value, False
        if tag not in _PLAIN_SCALARS:
            raise self.fail(_("tag {tag} is not accepted; only plain text, numbers, true/false and null").format(
                tag=tag), event, path)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:  # an explicit tag on text that is not of its kind (!!int abc, !!bool maybe) fails in the constructor
            value = _constructor.yaml_constructors[tag](_constructor, node)  # not construct_object: it caches nodes
        except (ValueError, KeyError, IndexError):
            value = _MISFIT
        if value is _MISFIT or (value is None and event.value not in _NULL_TEXTS):  # !!null drops any text
            raise self.fail(_("the text '{text}' is not what its tag {tag} says; remove the tag or correct the "
                              "text").format(text=event.value, tag=tag), event, path)
        number = bool(not event.style and (tag in _NUMBER_TAGS or _NUMBER_LIKE.match(event.value)))  # plain: None, ""
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise self.fail(_("NaN and infinity are not numbers regdoc accepts"), event, path)
        if isinstance(value, str):
            bad = _REFUSED_CHARS.search(value)
            if bad:
                raise self.fail(_("text holds the invisible or control character U+{code} at position {position}; "
                                  "remove it").format(code=f"{ord(bad.group()):04X}", position=bad.start() + 1),
                                event, path)
        return value, number
