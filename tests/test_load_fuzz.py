"""Fuzz tests of the loader: random YAML-ish text, and the shipped files with random changes dumped back to YAML,
read as regdoc reads each file kind (YAML -> schema -> model). Every outcome is a model or a RegdocError, never
another exception; the same holds for reports read from spreadsheet rows and for `check` and the loading of a
whole data tree holding a changed file."""
from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from datatree import REPO, copy_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yamltext import safe_dump

from regdoc.data import model as m
from regdoc.data import parse
from regdoc.data.schemas import validate
from regdoc.data.yamldoc import Document, parse_document
from regdoc.errors import CheckFailed, Problem, RegdocError
from regdoc.scoring.evaluation import reports_from_mapping, reports_from_rows
from regdoc.tree import load, read

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TREE_FUZZ = settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

FILES = {  # file kind -> a shipped file of that kind
    "regulation": "regulation/regulation.yaml",
    "edition": "regulation/versions/2023-03-01.yaml",
    "amendment": "regulation/versions/2026-02-20.yaml",
    "organisations": "organisations/organisations.yaml",
    "resolution": "resolutions/2026/2026-02-20-9-7.yaml",
    "registry": "resolutions/registry.yaml",
    "evaluation": "evaluations/2025/evaluation.yaml",
}
TREE = load.load_tree(REPO)
EVALUATION = load.load_evaluation(REPO, 2025, TREE)
MEMBERS = read.member_ids(TREE)


def parse_evaluation(doc: Document):
    header = read._evaluation_header(doc, 2025)
    reports, problems = reports_from_mapping(doc.data.get("reports", {}), EVALUATION.criteria, MEMBERS,
                                             doc.path.as_posix(), doc.line_of, doc.key_lines)
    return header, reports, problems


PARSERS = {"regulation": parse.parse_regulation, "edition": parse.parse_initial_edition,
           "amendment": parse.parse_amendment, "organisations": parse.parse_organisations,
           "resolution": parse.parse_resolution, "registry": parse.parse_registry, "evaluation": parse_evaluation}
MODELS = {"regulation": m.RegulationInfo, "edition": m.InitialEdition, "amendment": m.Amendment,
          "organisations": tuple, "resolution": m.Resolution, "registry": m.Registry, "evaluation": tuple}


def read_as(raw: bytes, kind: str, shown: str = "f.yaml"):
    """Return the model of `raw` read as a file of `kind`, or the RegdocError that refuses it."""
    try:
        doc = parse_document(raw, shown)
        errors = validate(doc, kind)
        if errors:
            assert all(isinstance(e, RegdocError) for e in errors)
            return errors[0]
        return PARSERS[kind](doc)
    except RegdocError as err:
        return err


# ----- random text --------------------------------------------------------------------------------------------

SYNTAX = [": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object ", "!!str ", "? ", "|", ">",
          "'", '"', "#", "---", "...", "\n", "\n  ", "\t", "<<: ", "%YAML 1.1\n", "\\", "\\u202e", "\\x00",
          "2026-02-20", "4.2", "kk", "ru", "op", "replace", "target", "text", "id", "ops", "in_force", "~", ".nan",
          "1e9999", "0x1F", "қ", "№", "«", "\u200f", "\x00", "\ud800"]
yamlish = st.lists(st.sampled_from(SYNTAX) | st.text(max_size=4), max_size=40).map("".join)


@FUZZ
@given(yamlish, st.sampled_from(sorted(FILES)))
def test_random_text_reads_as_a_model_or_a_regdoc_error(text, kind):
    result = read_as(text.encode("utf-8", "surrogatepass"), kind)
    assert isinstance(result, (RegdocError, MODELS[kind])), result


@FUZZ
@given(st.binary(max_size=200), st.sampled_from(sorted(FILES)))
def test_random_bytes_read_as_a_model_or_a_regdoc_error(raw, kind):
    assert isinstance(read_as(raw, kind), (RegdocError, MODELS[kind]))


# ----- the shipped files, changed at random -------------------------------------------------------------------

SHIPPED = {kind: parse_document((REPO / path).read_bytes(), path).data for kind, path in FILES.items()}
KEYS = sorted({k for data in SHIPPED.values() for k in yaml.safe_dump(data).split() if k.endswith(":")} |
              {"op:", "target:", "kind:", "rule:", "points:", "bands:", "from:", "to:"})
strings = st.one_of(
    st.text(max_size=8), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),
    st.sampled_from(["2026-02-20", "2026-02-30", "1999-01-01", "20.02.2026", "2026-02-20/9/7", "2026-02-20/0/1",
                     "4.2", "4.2.1", "9.9", "appendix-1", "legal.inspections", "legal.nope", "astana-akmola",
                     "union", "per_year", "replace", "insert", "delete", "replace_words", "bands", "rank", "all",
                     "section", "clause", "subclause", "issued", "sample", "kk", "ru", "", " ", "TODO"]))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 13, 10 ** 13), st.floats(allow_nan=False), strings)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) |
                      st.dictionaries(st.sampled_from([k[:-1] for k in KEYS]) | st.text(max_size=5), inner,
                                      max_size=3), max_leaves=6)


def node_paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from node_paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from node_paths(value, prefix + (index,))


def tweaked(value):
    """Return a strategy of values of the type of `value`, near it or plausible in its place (one strategy per
    scalar, made at its first use: see _TWEAKS)."""
    if isinstance(value, (bool, int, float, str)):
        key = (type(value), repr(value))  # repr: 1 and 1.0 and True, 0.0 and -0.0 are different keys
        found = _TWEAKS.get(key)
        if found is None:
            found = _TWEAKS[key] = _tweaked(value)
        return found
    return _tweaked(value)


# The strategies that the composite strategies and tests below draw from are made once: a strategy made anew at
# each draw is looked up in Hypothesis's strategy cache (or, for a sampled_from, a one_of, a composite, not even
# that), and validated again at each draw, which took about a third of the drawing of a changed file. The same
# strategies, so the same examples.
_TWEAKS: dict[tuple[type, str], st.SearchStrategy] = {}
STEPS = st.integers(1, 3)
ACTIONS = st.sampled_from(["tweak"] * 6 + ["replace", "replace", "remove", "add", "repeat", "swap"])
KEY_NAMES = st.sampled_from([k[:-1] for k in KEYS])
KINDS = st.sampled_from(sorted(FILES))


def _tweaked(value):
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.sampled_from([0, 1, -1, value + 1, value - 1, value * 10, 10 ** 12]) | st.integers(-1000, 10 ** 6)
    if isinstance(value, float):
        return st.sampled_from([0.0, -0.5, value / 3, value * 1e6]) | st.floats(-1e6, 1e6)
    if isinstance(value, str):
        return st.one_of(st.sampled_from([value + "1", value[:-1], value.upper(), value + " ", value * 2]),
                         strings,
                         st.builds(lambda i, c: value[:i] + c + value[i + 1:], st.integers(0, max(len(value), 1)),
                                   st.sampled_from("0123456789.-/ ақ")))
    if isinstance(value, list):
        return st.just(value[:-1]) | st.just(value + value[-1:]) | st.just(list(reversed(value)))
    if isinstance(value, dict):
        return st.just({k: v for k, v in list(value.items())[:-1]}) | st.just(value)
    return values


@st.composite
def changed(draw, kind: str):
    """Return the shipped data of `kind` with one to three random changes: a value changed (mostly to one of
    its type) or replaced, a key or item removed, a key added, an item repeated, two items swapped."""
    copies: dict[int, object] = {}
    data = copy.deepcopy(SHIPPED[kind], copies)
    changes: set[int] = set()  # the containers changed in place
    for step in range(draw(STEPS)):
        # (at the first step, the shipped data's own paths)
        paths, where = SHIPPED_PATHS[kind] if step == 0 else ([p for p in node_paths(data) if p], None)
        if not paths:
            return draw(values)
        path = draw(st.sampled_from(paths) if where is None else where)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        changes.add(id(parent))
        action = draw(ACTIONS)
        if action == "tweak":  # a value of the same type, so that more documents pass the schema
            parent[last] = draw(tweaked(parent[last]))
        elif action == "replace":
            parent[last] = draw(values)
        elif action == "remove":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(KEY_NAMES)] = draw(values)
        elif action == "repeat" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif action == "swap" and isinstance(parent, list) and len(parent) > 1:
            other = draw(st.integers(0, len(parent) - 1))
            parent[last], parent[other] = parent[other], parent[last]
    _HISTORIES[id(data)] = (data, kind, copies, changes)
    if len(_HISTORIES) > 50:
        del _HISTORIES[next(iter(_HISTORIES))]
    return data


SHIPPED_PATHS = {kind: (paths, st.sampled_from(paths))
                 for kind, paths in ((kind, [p for p in node_paths(data) if p]) for kind, data in SHIPPED.items())}
CHANGED = {kind: changed(kind) for kind in FILES}


def dumped(data) -> bytes:
    text = _pieced(data) if id(data) in _HISTORIES else None
    if text is None:
        text = safe_dump(data, allow_unicode=True, sort_keys=False)
    return text.encode("utf-8", "surrogatepass")


# ----- the dump of a changed file, from the pieces it did not change --------------------------------------------
# A changed file is the shipped one with one to three changes, and dumping it whole took about half of each
# example's time: most of its text is the shipped file's again. Its top-level values that are lists or mappings are
# written as their key and one piece per item («- ...» or «  key: ...»), each piece written alike wherever the item
# stands among the others (at the same indent, starting on a line of its own) as long as no two places hold one
# object (which yaml.dump writes as an anchor and an alias, numbered across the file): so the piece of an item the
# changes left as it was copied from the shipped file is made once (dumping {key: [item]} alone), and the others are
# dumped so, item by item. Anything else (an alias, a scalar at the top, an empty list, a key that is not plain) is
# dumped whole. The text is yaml.safe_dump's (test_the_quicker_dump_of_a_changed_file_is_yaml_s_own).

_HISTORIES: dict[int, tuple] = {}  # id of a changed file's data -> (data, kind, deepcopy's memo, changed containers)
_PIECES: dict[tuple, str] = {}  # (top-level key, in a list, its key in a mapping, id of a shipped item) -> piece
# the shipped files' top-level items that are lists or mappings: id -> the item (all kept alive by SHIPPED)
_SHIPPED_ITEMS = {id(item): item for data in SHIPPED.values() for value in data.values() if isinstance(value, list)
                  for item in value if isinstance(item, (list, dict))} | \
    {id(item): item for data in SHIPPED.values() for value in data.values() if isinstance(value, dict)
     for item in value.values() if isinstance(item, (list, dict))}


def _piece(key: str, in_list: bool, item_key, item) -> str | None:
    """The text of one item of the top-level list or mapping `key`, or None if it does not stand on its own."""
    head = f"{key}:\n"
    text = safe_dump({key: [item] if in_list else {item_key: item}}, allow_unicode=True, sort_keys=False)
    if not text.startswith(head) or text.endswith("...\n"):
        return None
    return text[len(head):]


def _pieced(data) -> str | None:
    """Return the text of a changed file made of pieces (see above), or None where it is to be dumped whole."""
    _, kind, copies, changes = _HISTORIES[id(data)]
    if type(data) is not dict or not data:
        return None
    shipped_of = {id(copies[i]): item for i, item in _SHIPPED_ITEMS.items() if i in copies}
    seen: set[int] = set()

    def untouched(item) -> bool:
        """Whether no container under `item` was changed (_Alias where an object stands twice)."""
        clean, stack = True, [item]
        while stack:
            node = stack.pop()
            if isinstance(node, (dict, list)):
                if id(node) in seen:
                    raise _Alias
                seen.add(id(node))
                clean = clean and id(node) not in changes
                stack.extend(node.values() if isinstance(node, dict) else node)
            elif node is not None and type(node) not in (str, int, float, bool):
                raise _Alias  # (a type the pieces are not made for)
        return clean

    out = []
    try:
        for key, value in data.items():
            if type(key) is not str or type(value) not in (list, dict) or not value or id(value) in seen:
                untouched(value)
                out.append(safe_dump({key: value}, allow_unicode=True, sort_keys=False))
                continue
            seen.add(id(value))
            out.append(f"{key}:\n")
            in_list = type(value) is list
            for item_key, item in ((None, i) for i in value) if in_list else value.items():
                shipped = shipped_of.get(id(item)) if untouched(item) else None
                if shipped is None:
                    text = _piece(key, in_list, item_key, item)
                else:
                    cached = (key, in_list, item_key, id(shipped))
                    text = _PIECES.get(cached)
                    if text is None:
                        text = _PIECES[cached] = _piece(key, in_list, item_key, shipped)
                if text is None:
                    return None
                out.append(text)
    except _Alias:
        return None
    return "".join(out)


class _Alias(Exception):
    """An object stands twice in the data (or one of a type the pieces are not made for)."""


@pytest.mark.parametrize("kind", sorted(FILES))
def test_the_quicker_dump_is_yaml_s_own(kind):
    """yamltext.safe_dump, which the fuzz tests dump with, gives yaml.safe_dump's text."""
    for options in ({"allow_unicode": True, "sort_keys": False}, {}):
        assert safe_dump(SHIPPED[kind], **options) == yaml.safe_dump(SHIPPED[kind], **options)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_quicker_dump_of_a_changed_file_is_yaml_s_own(data):
    """... for the files the fuzz tests dump, after the analyses of their texts were kept."""
    changed_data = data.draw(CHANGED[data.draw(KINDS)])
    expected = yaml.safe_dump(changed_data, allow_unicode=True, sort_keys=False)
    assert safe_dump(changed_data, allow_unicode=True, sort_keys=False) == expected
    assert dumped(changed_data) == expected.encode("utf-8", "surrogatepass")  # made of pieces


@pytest.mark.parametrize("kind", sorted(FILES))
def test_the_shipped_files_read_as_models(kind):
    assert isinstance(read_as((REPO / FILES[kind]).read_bytes(), kind), MODELS[kind])


@FUZZ
@given(st.data())
def test_changed_files_read_as_a_model_or_a_regdoc_error(data):
    kind = data.draw(KINDS)
    result = read_as(dumped(data.draw(CHANGED[kind])), kind, FILES[kind])
    assert isinstance(result, (RegdocError, MODELS[kind])), result
    if kind == "evaluation" and isinstance(result, tuple):
        assert all(isinstance(p, RegdocError) for p in result[2])


# ----- spreadsheet rows ---------------------------------------------------------------------------------------

def template_rows() -> list[list]:
    from regdoc.scoring.evaluation import template

    return [list(r) for r in template(EVALUATION.criteria, TREE.organisations, 2025, EVALUATION.reports).rows]


TEMPLATE = template_rows()
cells = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 15, 10 ** 15), st.floats(),
                  st.decimals(allow_nan=True), st.text(max_size=8), st.dates(), st.datetimes(),
                  st.sampled_from(["organisation", "name", "members", "astana-akmola", "12 345", "12,5", "иә", "-",
                                   "1e3", "", " ", "=1+1"]))
ROW_CHANGES, MORE_CELLS = st.integers(1, 6), st.lists(cells, max_size=3)  # (made once: see _TWEAKS)
ROW_ACTIONS = st.sampled_from(["cell", "cell", "cell", "drop_row", "repeat_row", "widen"])


@st.composite
def changed_rows(draw) -> list[list]:
    """Return the rows of the reporting template with one to six random changes: a cell changed, a row dropped or
    repeated, cells added to a row. (Drawn as one value, so that its draws are the engine's own instead of
    st.data()'s: see versioning_strategies.draw_amendments.)"""
    rows = copy.deepcopy(TEMPLATE)
    for _ in range(draw(ROW_CHANGES)):
        r = draw(st.integers(0, len(rows) - 1))
        action = draw(ROW_ACTIONS)
        if action == "cell" and rows[r]:
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(cells)
        elif action == "drop_row":
            del rows[r]
        elif action == "repeat_row":
            rows.insert(r, list(rows[r]))
        elif action == "widen":
            rows[r] = rows[r] + draw(MORE_CELLS)
        if not rows:
            break
    return rows


CHANGED_ROWS = changed_rows()


@FUZZ
@given(st.data())
def test_spreadsheet_rows_give_reports_or_regdoc_errors(data):
    rows = data.draw(CHANGED_ROWS)
    reports, problems = reports_from_rows(list(enumerate(rows, 1)), EVALUATION.criteria, MEMBERS, "r.xlsx")
    assert all(isinstance(p, RegdocError) for p in problems)
    assert all(isinstance(v, Decimal) for r in reports for v in r.values.values())


# ----- a whole data tree holding a changed file ---------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_tree(tmp_path_factory) -> Path:
    return copy_tree(tmp_path_factory.mktemp("fuzz") / "data")


@TREE_FUZZ
@given(st.data())
def test_check_and_load_of_a_tree_holding_a_changed_file(fuzz_tree: Path, data):
    from regdoc.scoring.score import score
    from regdoc.tree.check import check_tree

    kind = data.draw(KINDS)
    target = fuzz_tree / FILES[kind]
    original = target.read_bytes()
    target.write_bytes(dumped(data.draw(CHANGED[kind])))
    try:
        problems = check_tree(fuzz_tree)
        assert all(isinstance(p, Problem) for p in problems)
        try:
            tree = load.load_tree(fuzz_tree)
            evaluation = load.load_evaluation(fuzz_tree, 2025, tree)
        except CheckFailed as failed:
            assert any(p.severity == "error" for p in failed.problems)
        else:
            score(evaluation.criteria, evaluation)
    finally:
        target.write_bytes(original)
