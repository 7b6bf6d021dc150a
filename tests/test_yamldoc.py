from __future__ import annotations

import pytest

from regdoc.data.yamldoc import MAX_BYTES, MAX_DEPTH, dotted, parse_document
from regdoc.errors import RegdocError


@pytest.fixture(autouse=True, params=["libyaml", "python"])
def parser(request, monkeypatch):
    """Every test runs with libyaml's parser (when PyYAML has it) and with PyYAML's own."""
    import yaml

    from regdoc.data import yamldoc

    if request.param == "python":
        monkeypatch.setattr(yamldoc, "_Loader", yaml.SafeLoader)
    elif not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    return request.param


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


@pytest.mark.parametrize("text, code", [
    ('a: "x\\ud800y"', "U+D800|invalid Unicode character escape"),  # an unpaired surrogate
    ('a: "x\\u202ey"', "U+202E"),           # right-to-left override
    ('a: "x\\u200fy"', "U+200F"),           # right-to-left mark
    ('a: "x\\x01y"', "U+0001"),             # a control character
    ('a: ".\\x85."', "U+0085"),             # a C1 control
])
def test_invisible_and_control_characters_are_refused(text, code):
    with pytest.raises(RegdocError, match=code.replace('+', r'\+')):
        parse(text)


def test_text_with_markup_and_kazakh_letters_is_kept_as_is():
    value = "Қазақ «№ 9» & <w:p> {{ x }} {% if %} \"'"
    assert parse(f"a: {value!r}\n".replace("\\'", "''")).data == {"a": value}


def test_alias_bomb_is_refused_at_once():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    with pytest.raises(RegdocError, match="aliases"):
        parse("\n".join(lines))


def test_a_50_mb_file_is_refused_before_reading(tmp_path):
    from regdoc.data.yamldoc import read_document

    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(RegdocError, match="larger than the limit"):
        read_document(big)


def test_too_many_nodes_are_refused(parser, monkeypatch):
    """A file of one node more than the limit is refused by the limit. libyaml reads regdoc's limit (200 000
    nodes); PyYAML's own parser, some 25 times slower, the same refusal at a limit of 10 000."""
    from regdoc.data import yamldoc

    if parser == "python":
        monkeypatch.setattr(yamldoc, "MAX_NODES", 10_000)
    limit = yamldoc.MAX_NODES
    with pytest.raises(RegdocError, match=f"more than {limit} nodes in one file"):
        parse("[" + ",".join(["1"] * (limit + 1)) + "]")
    if parser == "python":  # the limit's own count of nodes is read (the list and limit - 1 items)
        assert parse("[" + ",".join(["1"] * (limit - 1)) + "]").data == [1] * (limit - 1)


def test_a_raw_control_character_names_its_line():
    with pytest.raises(RegdocError) as info:
        parse("a: ққ\nb: x\x01\n")
    assert str(info.value) == "f.yaml:2: the control character U+0001 is not allowed in YAML; remove it"


def test_a_million_brackets_are_refused_at_the_limit_without_reading_them_all():
    with pytest.raises(RegdocError) as info:
        parse("[" * 1_000_000 + "]" * 1_000_000)
    assert str(info.value).startswith("f.yaml:1: ")
    assert f"nesting is deeper than regdoc accepts ({MAX_DEPTH} levels)" in str(info.value)
    # regdoc's own limit names the node; libyaml 0.2.5's scanner may meet its own limit first (it reads flow
    # brackets ahead of the events), and then the node is not known
    assert info.value.node in ("[0]" * MAX_DEPTH, None)


def test_deep_block_nesting_is_refused():
    text = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(MAX_DEPTH + 2)) + " " * (2 * MAX_DEPTH + 4) + "v\n"
    with pytest.raises(RegdocError, match="nesting is deeper") as info:
        parse(text)
    assert info.value.line in (MAX_DEPTH + 1, MAX_DEPTH + 2)


def test_explicit_plain_tags_are_accepted():
    assert parse("!!map {a: !!str 1, b: !!seq [!!int 2]}\n").data == {"a": "1", "b": [2]}


@pytest.mark.parametrize("text", ["!!int abc", "!!int ''", "!!int 0x", "!!float abc", "!!bool maybe", "!!null x"])
def test_a_tag_on_text_not_of_its_kind_is_refused_at_its_line_and_key(text):
    """An explicit tag on text its kind cannot read (PyYAML's constructors raise ValueError, KeyError or
    IndexError, or !!null drops the text) is the user's error at its line, not an internal one."""
    with pytest.raises(RegdocError) as info:
        parse(f"a: 1\nb: {text}\n")
    assert str(info.value).startswith("f.yaml:2: b: the text '")
    assert "is not what its tag tag:yaml.org,2002:" in str(info.value)


@pytest.mark.parametrize("text, value", [("!!int '12'", 12), ("!!float 1_0", 10.0), ("!!bool yes", True),
                                         ("!!null ~", None), ("!!null", None), ("!!null null", None)])
def test_a_tag_on_text_of_its_kind_gives_its_value(text, value):
    assert parse(f"b: {text}\n").data == {"b": value}
