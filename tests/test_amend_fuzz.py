"""Fuzz test of the amendment engine: random amendment files (operations of every kind with any values) over
random editions, read as regdoc reads them (YAML -> schema -> model), then applied. Every outcome is an Edition
or a RegdocError, never another exception; an edition that results can be compared with the one before, noted,
and phrased as an amending text, each giving a value or a RegdocError."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from versioning_strategies import KK, initial_editions
from yamltext import safe_dump

from regdoc.data import model as m
from regdoc.data.parse import parse_amendment
from regdoc.data.schemas import validate
from regdoc.data.yamldoc import parse_document
from regdoc.errors import RegdocError
from regdoc.versioning.amend import APPENDIX, apply, edition_at, editions, history, initial_edition
from regdoc.versioning.amending import amending_lines
from regdoc.versioning.diff import diff_criteria, diff_editions
from regdoc.versioning.notes import notes

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPS = ("replace", "insert", "delete", "replace_words", "replace_appendix", "add_indicator", "remove_indicator",
       "change_indicator")
ODD_IDS = ("", "0", "9", "1.99", "1.1.1.1", "1..2", "01.1", APPENDIX, "alpha", "alpha.", "alpha.one.two", "4.2")
WORDS = KK + ("положение", "пункт", "«", "»", "№", "&", "<w:p>", "{{ x }}", "\n")
BLOCKS = ("alpha", "beta", "gamma")
REGULATION = m.RegulationInfo(m.Text("Ереже", "Положение"), m.Text("Ереже", "Положение"), "union",
                              m.Text("Атқару комитеті", "Исполнительный комитет"), m.Text("Қосымша", "Приложение"),
                              m.NOWHERE, m.Text("Атқару комитетінің", "Исполнительного комитета"))

phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), min_size=1, max_size=12)
words = st.one_of(*[phrases] * 8, printable, st.text(max_size=12))  # mostly what the schema accepts
texts = st.fixed_dictionaries({"kk": words, "ru": words})
titles = st.fixed_dictionaries({"kk": phrases | printable, "ru": phrases | printable})  # criteria hold many
numbers = st.one_of(st.integers(1, 500), st.integers(1, 500), st.floats(0.5, 1000),
                    st.integers(-5, 1000) | st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


# The strategies the composite strategies below draw from are made once, here: a strategy made anew for each
# draw is validated again at each draw (Hypothesis caches only those made from hashable arguments, and looking
# them up costs too). The same strategies, so the same examples.
BANDS = st.lists(st.fixed_dictionaries({"from": numbers, "points": numbers}, optional={"to": numbers}), max_size=3)
RANK_POINTS = st.lists(numbers, max_size=4)
ORDER = st.fixed_dictionaries({}, optional={"order": st.sampled_from(["highest_first", "lowest_first"])})
CAP = st.fixed_dictionaries({}, optional={"cap": numbers})
RULE_KINDS = st.sampled_from(("per_unit", "penalty", "fixed", "bands", "rank"))
UNITS = st.sampled_from(("count", "persons", "percent", "thousand_tenge", "yes_no"))
RATIO_ODDS, MAINS = st.integers(0, 4), st.booleans()
BLOCK_IDS = st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=3, unique=True)
PRIZE_PLACES, REWARDS = st.integers(1, 5), st.integers(0, 5)
OP_KINDS, UNIT_KINDS = st.sampled_from(OPS), st.sampled_from(("section", "clause", "subclause"))
ADD_TO_BLOCKS = st.sampled_from(BLOCKS + ("",))
AMENDMENTS, DAYS = st.integers(1, 3), st.integers(0, 30)


@st.composite
def rules(draw) -> dict:
    kind = draw(RULE_KINDS)
    rule: dict = {"kind": kind}
    if kind == "bands":
        rule["bands"] = draw(BANDS)
    elif kind == "rank":
        rule["points"] = draw(RANK_POINTS)
        rule.update(draw(ORDER))
    else:
        rule["points"] = draw(numbers)
        rule.update(draw(CAP))
    return rule


RULES = rules()


def indicator_ids(block: str | None = None):
    return INDICATOR_IDS[block]


INDICATOR_IDS = {block: st.sampled_from([f"{b}.{n}" for b in ((block,) if block else BLOCKS)
                                         for n in ("one", "two", "three", "new")] + ["other.x", "x"])
                 for block in BLOCKS + (None,)}
DENOMINATORS = st.sampled_from(["staff", "members"])


@st.composite
def indicators(draw, block: str | None = None) -> dict:
    ind = {"id": draw(indicator_ids(block)), "title": draw(titles),
           "unit": draw(UNITS), "rule": draw(RULES)}
    if draw(RATIO_ODDS) == 0:
        ind["ratio"] = {"numerator": {"id": "members", "title": draw(titles), "unit": "persons"},
                        "denominator": {"id": draw(DENOMINATORS), "title": draw(titles),
                                        "unit": "persons"}}
    return ind


INDICATORS = {block: indicators(block) for block in BLOCKS + (None,)}
BLOCK_INDICATORS = {block: st.lists(INDICATORS[block], min_size=1, max_size=3) for block in BLOCKS}


@st.composite
def criteria(draw) -> dict:
    blocks = [{"id": b, "title": draw(titles), "main": draw(MAINS), "indicators": draw(BLOCK_INDICATORS[b])}
              for b in draw(BLOCK_IDS)]
    return {"source": "sample", "prize_places": draw(PRIZE_PLACES),
            "rewards": {"basis": "main_blocks", "count": draw(REWARDS)}, "blocks": blocks}


CRITERIA = criteria()
OCCURRENCE = st.fixed_dictionaries({}, optional={"occurrence": st.just("all") | st.integers(0, 4)})
APPENDIX_TARGETS = st.sampled_from([APPENDIX, APPENDIX, "appendix-2"])
REF = st.fixed_dictionaries({}, optional={"ref": texts})
AFTER_INDICATOR = st.fixed_dictionaries({}, optional={"after": indicator_ids()})
CHANGES = st.fixed_dictionaries({}, optional={"rule": RULES, "title": texts})


@st.composite
def op_dicts(draw, edition) -> dict:
    """Draw one operation of any kind, mostly with the fields its kind needs, each with any value."""
    ids = _target_ids(edition)
    kind = draw(OP_KINDS)
    op: dict = {"op": kind, "target": draw(ids)}
    if kind in ("replace", "insert"):
        op["text"] = draw(texts)
    if kind == "insert":
        op["after"] = draw(ids)
        op["kind"] = draw(UNIT_KINDS)
    if kind == "replace_words":
        unit = edition.unit(op["target"])
        if unit is not None and draw(MAINS):  # words that occur, to reach the replacement itself
            op["old"] = {"kk": draw(st.sampled_from(unit.text.kk.split() or ["x"])),
                         "ru": draw(st.sampled_from(unit.text.ru.split() or ["x"]))}
        else:
            op["old"] = draw(texts)
        op["new"] = draw(texts)
        op.update(draw(OCCURRENCE))
    if kind == "replace_appendix":
        op["target"] = draw(APPENDIX_TARGETS)
        op["criteria"] = draw(CRITERIA)
        op.update(draw(REF))
    if kind == "add_indicator":
        op["block"] = draw(ADD_TO_BLOCKS)
        op["indicator"] = draw(INDICATORS[None])
        op.update(draw(AFTER_INDICATOR))
    if kind in ("change_indicator", "remove_indicator"):
        op["target"] = draw(indicator_ids())
    if kind == "change_indicator":
        op.update(draw(CHANGES))
    return op


_PER_EDITION: dict[int, tuple] = {}


def _per_edition(edition) -> tuple:
    """The edition, the strategy of the targets an operation on it is drawn from (its units, its indicators and
    odd ids), and the strategy of its amendment's operations: made at the first use for an edition instead of at
    each operation and amendment."""
    found = _PER_EDITION.get(id(edition))
    if found is None or found[0] is not edition:
        if len(_PER_EDITION) > 100:
            _PER_EDITION.clear()
        found = _PER_EDITION[id(edition)] = (
            edition,
            st.sampled_from([u.id for u in edition.units] + [i.id for i in edition.appendix.indicators()] +
                            list(ODD_IDS)),
            st.lists(op_dicts(edition), min_size=1, max_size=4))
    return found


def _target_ids(edition):
    return _per_edition(edition)[1]


def read_amendment(data: dict, name: str) -> m.Amendment:
    """Return the amendment as regdoc reads its file; RegdocError for what the schema or the parser refuses."""
    doc = parse_document(safe_dump(data, allow_unicode=True).encode("utf-8"), f"regulation/versions/{name}.yaml")
    errors = validate(doc, "amendment")
    if errors:
        raise errors[0]
    return parse_amendment(doc)


def exercise(before, after, amendment) -> None:
    """Compare, note and phrase an edition that resulted: each gives a value or a RegdocError."""
    diff_editions(before, after)
    diff_criteria(before.appendix, after.appendix)
    for target in {op.target for op in amendment.ops} | {APPENDIX}:
        for lang in m.LANGS:
            try:
                notes(after, target, lang, REGULATION)
            except RegdocError:
                pass
    for lang in m.LANGS:
        try:
            amending_lines(amendment, 4, lang, REGULATION, before=before)
        except RegdocError:
            pass


@FUZZ
@given(st.data(), initial_editions())
def test_random_amendments_give_an_edition_or_a_regdoc_error(data, initial):
    edition = initial_edition(initial)
    day = initial.in_force
    amendments = []
    for k in range(data.draw(AMENDMENTS)):
        day += timedelta(days=data.draw(DAYS))
        document = {"adopted_by": f"{day.isoformat()}/{k + 1}/1", "in_force": day.isoformat(), "source": "sample",
                    "regulation_ref": {"kk": "Ережеге", "ru": "Положение"},
                    "ops": data.draw(_per_edition(edition)[2])}
        try:
            amendment = read_amendment(document, f"{day.isoformat()}-{k}")
            after = apply(edition, amendment)
        except RegdocError:
            continue
        assert isinstance(after, type(edition))
        exercise(edition, after, amendment)
        edition = after
        amendments.append(amendment)
    try:
        every = editions(initial, amendments)
    except RegdocError:  # two amendments of one date touching one unit
        return
    assert every[-1].units == edition.units and every[-1].appendix == edition.appendix
    assert edition_at(initial, amendments, day) == every[-1]
    for unit in {u.id for u in edition.units}:
        history(initial, amendments, unit)
