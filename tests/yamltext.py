"""yaml.safe_dump's text, made quicker for the fuzz tests that dump a whole data file per example.

PyYAML's emitter analyses every scalar it writes (Emitter.analyze_scalar: which styles the text allows) character
by character, and a changed shipped file is mostly the same texts again: about two thirds of a dump's time
(a round of the seven shipped files: ~140 -> ~45 ms). The analysis is a function of the text and the dumper's
allow_unicode alone, and the emitter only reads it: here it is made once per text. So are three more answers that
depend on what they are given alone, which the serializer and the emitter work out for every scalar (a round of
the seven files: ~31 -> ~22 ms):
- the tag a scalar's text resolves to (Resolver.resolve: the implicit resolvers' regular expressions, tried in
  turn), while no path resolvers are registered (yaml.SafeDumper has none);
- the tag as written (Emitter.prepare_tag, which check_simple_key asks for every mapping key: a walk over its
  characters), with the default tag prefixes;
- a plain scalar as written (Emitter.write_plain: a walk over its characters that breaks the line after a space
  past the 80th column), a function of the text and of the emitter's state where it starts (the column, the
  indent, whether the last thing written was a space or an indent, the root context, the width, the line break),
  which leaves the emitter in a state that is a function of the same: its text and that state are kept.
test_load_fuzz checks the text is yaml.safe_dump's."""
from __future__ import annotations

import yaml

_KEPT = 200_000  # answers kept per kind (then forgotten)
_ANALYSES: dict[tuple[str, bool], object] = {}
_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}
_TAGS: dict[str, str] = {}
_PLAIN: dict[tuple, tuple] = {}


def _keep(kept: dict, key, value):
    if len(kept) >= _KEPT:
        kept.clear()
    kept[key] = value
    return value


class _Written:
    """A stream that keeps what is written to it (its write is a list's append)."""

    def __init__(self):
        self.parts = []
        self.write = self.parts.append


class _Dumper(yaml.SafeDumper):
    def analyze_scalar(self, scalar):
        key = (scalar, bool(self.allow_unicode))
        found = _ANALYSES.get(key)
        return found if found is not None else _keep(_ANALYSES, key, super().analyze_scalar(scalar))

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        found = _RESOLVED.get(key)
        return found if found is not None else _keep(_RESOLVED, key, super().resolve(kind, value, implicit))

    def prepare_tag(self, tag):
        if self.tag_prefixes != self.DEFAULT_TAG_PREFIXES:
            return super().prepare_tag(tag)
        found = _TAGS.get(tag)
        return found if found is not None else _keep(_TAGS, tag, super().prepare_tag(tag))

    def write_plain(self, text, split=True):
        key = (text, split, self.column, self.indent, self.whitespace, self.indention, self.root_context,
               self.best_width, self.best_line_break, self.encoding)
        found = _PLAIN.get(key)
        if found is None:
            stream, line, self.stream = self.stream, self.line, _Written()
            try:
                super().write_plain(text, split)  # (sets open_ended in the root context)
                parts = self.stream.parts
            finally:
                self.stream = stream
            found = _keep(_PLAIN, key, (("" if self.encoding is None else b"").join(parts), self.column,
                                        self.whitespace, self.indention, self.line - line))
        elif self.root_context:
            self.open_ended = True
        data, self.column, self.whitespace, self.indention, lines = found
        self.line += lines
        if data:
            self.stream.write(data)


def safe_dump(data, **options) -> str:
    """Return yaml.safe_dump(data, **options) (to a text: no stream)."""
    return yaml.dump(data, Dumper=_Dumper, **options)
