"""Hypothesis strategies for the versioning property tests: small generated Regulations and sequences of
amendments whose operations all apply (each drawn against the edition it will change)."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import strategies as st

from regdoc.data import model as m
from regdoc.versioning.amend import apply, initial_edition, suggest_number, whole_word_starts

KK = ("ереже", "мүшелік", "ұйым", "бағалау", "ұпай", "кесте", "тармақ", "жыл")
RU = {"ереже": "положение", "мүшелік": "членская", "ұйым": "организация", "бағалау": "оценка", "ұпай": "балл",
      "кесте": "таблица", "тармақ": "пункт", "жыл": "год"}
START = date(2020, 1, 1)

# The strategies that do not depend on what was drawn before are made once, here: a strategy made anew at each
# draw is built, looked up in Hypothesis's strategy cache (sampled_from is not cached, so neither is a list of
# it) and validated again each time. The same strategies, so the same examples.
WORD_LISTS = st.lists(st.sampled_from(KK), min_size=1, max_size=6)
SECTIONS, CLAUSES, SUBCLAUSES = st.integers(1, 3), st.integers(1, 3), st.integers(0, 2)
PLACES = st.sampled_from(["after", "first_child"])
KINDS = {True: st.sampled_from(["change_indicator", "insert", "replace", "replace_words", "delete"]),
         False: st.sampled_from(["change_indicator", "insert"])}
DAYS, OPS = st.integers(1, 400), st.integers(1, 4)


@st.composite
def texts(draw) -> m.Text:
    words = draw(WORD_LISTS)
    return m.Text(" ".join(words), " ".join(RU[w] for w in words))


TEXTS = texts()


def _criteria() -> m.Criteria:
    def ind(block: str, name: str, points: float) -> m.Indicator:
        return m.Indicator(f"{block}.{name}", m.Text(name, name), "count", m.Rule("per_unit", points, 100))

    blocks = (m.Block("alpha", m.Text("Альфа", "Альфа"), True, (ind("alpha", "one", 1), ind("alpha", "two", 2))),
              m.Block("beta", m.Text("Бета", "Бета"), False, (ind("beta", "three", 3),)))
    return m.Criteria("sample", 3, m.Rewards("main_blocks", 3), blocks)


@st.composite
def initial_editions(draw) -> m.InitialEdition:
    units = []
    for s in range(1, draw(SECTIONS) + 1):
        units.append(m.Unit(str(s), "section", draw(TEXTS)))
        for c in range(1, draw(CLAUSES) + 1):
            units.append(m.Unit(f"{s}.{c}", "clause", draw(TEXTS)))
            for sc in range(1, draw(SUBCLAUSES) + 1):
                units.append(m.Unit(f"{s}.{c}.{sc}", "subclause", draw(TEXTS)))
    return m.InitialEdition("2020-01-01", START, "sample", m.Text("бекітілген", "утверждено"), tuple(units),
                            _criteria())


def _fresh(counter, draw) -> m.Text:
    n = next(counter)
    base = draw(TEXTS)
    return m.Text(f"{base.kk} u{n}", f"{base.ru} u{n}")


def _insert(data, units: tuple[m.Unit, ...], counter) -> m.Op | None:
    """Draw an insertion placed and numbered as check accepts it: after a live unit of its kind (numbered «4.7»
    after the last one, «4.3-1», «4-1», «3.2.1-1» after another), or as the first sub-unit of a unit without any."""
    live = [u for u in units if not u.deleted]
    if not live:
        return None
    mode = data.draw(PLACES)
    if mode == "first_child":
        bare = [u for u in live if u.kind != "subclause" and not any(c.parent == u.id for c in units)]
        if bare:
            parent = data.draw(st.sampled_from(bare))
            kind = "clause" if parent.kind == "section" else "subclause"
            return m.Op("insert", suggest_number(units, parent.id, first_child=True),
                        text=_fresh(counter, data.draw), after=parent.id, kind=kind)
    after = data.draw(st.sampled_from(live))
    number = suggest_number(units, after.id)
    if number is None:  # nothing fits right after it (4.3 followed by 4.3-1)
        return None
    return m.Op("insert", number, text=_fresh(counter, data.draw), after=after.id, kind=after.kind)


def draw_op(data, edition, counter) -> m.Op:
    """Draw one operation that applies to `edition` and changes what it targets."""
    live = [u for u in edition.units if not u.deleted]
    kind = data.draw(KINDS[bool(live)])
    if kind == "change_indicator":
        ind = data.draw(st.sampled_from(list(edition.appendix.indicators())))
        return m.Op("change_indicator", ind.id, rule=m.Rule("per_unit", float(next(counter) + 1000)))
    if kind == "insert":
        op = _insert(data, edition.units, counter)
        return op if op is not None else draw_op(data, edition, counter)
    unit = data.draw(st.sampled_from(live))
    if kind == "replace":
        return m.Op("replace", unit.id, text=_fresh(counter, data.draw))
    if kind == "delete":
        return m.Op("delete", unit.id)
    old_kk = data.draw(st.sampled_from(unit.text.kk.split()))
    old_ru = data.draw(st.sampled_from(unit.text.ru.split()))
    counts = (len(whole_word_starts(unit.text.kk, old_kk)[0]), len(whole_word_starts(unit.text.ru, old_ru)[0]))
    least, most = min(counts), max(counts)
    if least == 0:  # a piece of a longer token («1» of «1 000»): not a whole word
        return draw_op(data, edition, counter)
    occurrence = None if most == 1 else data.draw(st.sampled_from(["all"] + list(range(1, least + 1))))
    n = next(counter)
    return m.Op("replace_words", unit.id, old=m.Text(old_kk, old_ru),
                new=m.Text(f"{old_kk} u{n}", f"{old_ru} u{n}"), occurrence=occurrence)


def draw_amendments(data, initial: m.InitialEdition, count: int) -> list[m.Amendment]:
    """Draw `count` amendments in force on increasing dates, each applying to the edition before it.

    They are drawn as one value (of a composite strategy), so that their many draws are the engine's own: each draw
    of st.data() also saves and compares the state of the `random` module (Hypothesis's check that a strategy does
    not use it) and records the draw for the report of a failure, some 10 µs a draw. The same draws in the same
    order, so the same choices and the same amendments (the composite adds one span around them)."""
    return data.draw(_amendments(initial, count))


class _Draws:
    """What draw_op and the helpers below draw from: a composite strategy's draw."""

    def __init__(self, draw):
        self.draw = draw


@st.composite
def _amendments(draw, initial: m.InitialEdition, count: int) -> list[m.Amendment]:
    return _draw_amendments(_Draws(draw), initial, count)


def _draw_amendments(data, initial: m.InitialEdition, count: int) -> list[m.Amendment]:
    counter = itertools.count()
    edition = initial_edition(initial)
    day = initial.in_force
    out = []
    for k in range(count):
        day += timedelta(days=data.draw(DAYS))
        ops: list[m.Op] = []
        work = edition
        for _ in range(data.draw(OPS)):
            op = draw_op(data, work, counter)
            ops.append(op)
            work = apply(work, m.Amendment("probe", m.ResolutionId(day, k + 1, 1), day, "sample", (op,)))
        amendment = m.Amendment(day.isoformat(), m.ResolutionId(day, k + 1, 1), day, "sample", tuple(ops))
        edition = apply(edition, amendment)
        out.append(amendment)
    return out
