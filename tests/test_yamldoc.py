from __future__ import annotations

import pytest

from regdoc.errors import RegdocError
from regdoc.yamldoc import MAX_BYTES, MAX_DEPTH, dotted, parse_document


def parse(text: str | bytes):
    return parse_document(text.encode() if isinstance(text, str) else text, "f.yaml")


def test_plain_data_and_lines():
    doc = parse("a: 1\nb:\n  - x: 2026-02-20\n    y: [1, 2]\n")
    assert doc.data == {"a": 1, "b": [{"x": "2026-02-20", "y": [1, 2]}]}
    assert doc.line_of(("b", 0, "y")) == 4
    assert doc.line_of(("b", 0, "missing")) == 3  # falls back to the nearest ancestor
    assert doc.key_lines(("b", 0)) == (("x", 3), ("y", 4))


def test_dates_stay_strings():
    assert parse("d: 2026-02-20").data == {"d": "2026-02-20"}


def test_dotted_paths():
    assert dotted(("ops", 2, "target")) == "ops[2].target"
    assert dotted(()) == ""


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\na: 2\n", 2, "duplicate key 'a' (first given on line 1)"),
    ("a: !!python/object/apply:os.system [ls]\n", 1, "is not accepted"),
    ("a: &x [1]\nb: *x\n", 2, "aliases"),
    ("a:\n\t- 1\n", 2, "tabs"),
    ("", 1, "empty"),
    ("# only a comment\n", 1, "empty"),
    ("a: [1\n", 2, "starts on line 1"),
    ("a: 1\n---\nb: 2\n", 2, "single document"),
    ("a: .nan\n", 1, "NaN"),
    ("? [a, b]\n: 1\n", 1, "plain words"),
    ("a: !!binary aGVsbG8=\n", 1, "is not accepted"),
    ("a: !!set {x}\n", 1, "is not accepted"),
])
def test_refused(text, line, words):
    with pytest.raises(RegdocError) as info:
        parse(text)
    assert info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith(f"f.yaml:{line}")


def test_non_utf8_names_the_line():
    with pytest.raises(RegdocError, match=r"f.yaml:2: not UTF-8"):
        parse(b"a: 1\nb: \xff\n")


def test_bom_is_accepted():
    assert parse("\ufeffa: 1\n".encode()).data == {"a": 1}


def test_deep_nesting_is_refused():
    with pytest.raises(RegdocError, match="nesting"):
        parse("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    with pytest.raises(RegdocError, match="nesting"):
        parse("[" * 5000 + "]" * 5000)


def test_size_limit():
    with pytest.raises(RegdocError, match="larger than the limit"):
        parse(b"a: " + b"x" * (MAX_BYTES + 1))
