"""Amendments applied to the Regulation: the edition in force on any date, and the record of every change.

Pure: model values in, model values out. An operation that does not apply raises a RegdocError naming the
amendment file, line and operation.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Iterable, Optional

from regdoc.data import model as m
from regdoc.errors import RegdocError, nearest
from regdoc.i18n import N_, _, ngettext
from regdoc.phrasing.common import token_spans

APPENDIX = "appendix-1"
_DEPTH_KIND = {1: "section", 2: "clause", 3: "subclause"}


@dataclass(frozen=True)
class Change:
    """One change made to a unit (or to Appendix 1) by an amendment: what the amendment notes are made of."""

    target: str  # unit id, 'appendix-1' or an indicator id
    action: str  # replaced | inserted | deleted | words_replaced | appendix_replaced | indicator_added ...
    amendment: str
    adopted_by: m.ResolutionId
    in_force: date
    draft: bool = False  # made by an amendment whose resolution does not exist yet


@dataclass(frozen=True)
class Edition:
    """The Regulation as in force from `in_force`: its units (deleted ones kept, marked) and Appendix 1."""

    in_force: date
    units: tuple[m.Unit, ...]
    appendix: m.Criteria
    changes: tuple[Change, ...] = ()
    amendments: tuple[str, ...] = ()
    drafts: tuple[str, ...] = ()  # the amendments among `amendments` whose resolution does not exist yet

    def unit(self, unit_id: str) -> Optional[m.Unit]:
        """Return the (first) unit numbered `unit_id`, or None."""
        return self._units_by_id.get(unit_id)

    def changes_of(self, target: str) -> list[Change]:
        """Return the changes made to `target`, newest first (the order of the notes)."""
        return list(self._changes_by_target.get(target, ()))

    # Indexes built on first use (an edition is frozen: they never go stale), so that looking up every unit of a
    # large edition costs linear time, not quadratic.
    @cached_property
    def _units_by_id(self) -> dict[str, m.Unit]:
        out: dict[str, m.Unit] = {}
        for unit in self.units:
            out.setdefault(unit.id, unit)
        return out

    @cached_property
    def _changes_by_target(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for change in reversed(self.changes):
            out.setdefault(change.target, []).append(change)
        return out


def unit_kind(unit_id: str) -> str:
    """Return the kind a unit's number stands for: '4' section, '4.2' (or '4.3-1') clause, '3.2.1' sub-clause."""
    return _DEPTH_KIND[m.unit_depth(unit_id)]


def initial_edition(initial: m.InitialEdition) -> Edition:
    """Return the first edition as an Edition."""
    return Edition(initial.in_force, initial.units, initial.appendix)


_KIND_NAMES = {"section": N_("section"), "clause": N_("clause"), "subclause": N_("subclause")}


def kind_name(kind: str | None) -> str:
    """Return the name of a unit kind (section, clause, subclause) in the interface language."""
    return _(_KIND_NAMES[kind]) if kind in _KIND_NAMES else str(kind)


def _op_error(op: m.Op, message: str, key: str = "target") -> RegdocError:
    return op.where.error(f"{op.op} {op.target}: {message}", key)


class _Ids:
    """The unit numbers of a tuple of units, in order, and where each first stands: built once for a run of
    operations that do not move units (replace, replace_words, delete), again after an insertion."""

    def __init__(self, units: tuple[m.Unit, ...]):
        self.ids = [u.id for u in units]
        self.at: dict[str, int] = {}
        for i, unit_id in enumerate(self.ids):
            self.at.setdefault(unit_id, i)

    def children(self, parent: Optional[str]) -> list[str]:
        """Return the numbers whose parent (m.parent_of) is `parent`, in order."""
        if parent is None:
            return [i for i in self.ids if "." not in i]
        prefix = parent + "."
        size = len(prefix)
        return [i for i in self.ids if i.startswith(prefix) and "." not in i[size:]]


def _unit_index(units: tuple[m.Unit, ...], op: m.Op, unit_id: str, key: str = "target",
                ids: Optional[_Ids] = None) -> int:
    i = (ids or _Ids(units)).at.get(unit_id)
    if i is not None:
        if units[i].deleted:
            raise _op_error(op, _("unit {id} was deleted earlier and cannot be changed").format(id=unit_id), key)
        return i
    ids = [u.id for u in units if not u.deleted]
    raise _op_error(op, _("unit '{id}' does not exist in the edition in force before {file}{suggestion}").format(
        id=unit_id, file=op.where.file or _("this amendment"), suggestion=nearest(unit_id, ids)), key)


def subtree_end(units: tuple[m.Unit, ...], index: int) -> int:
    """Return the index just past the unit at `index` and all its descendants."""
    prefix = units[index].id + "."
    end = index + 1
    while end < len(units) and units[end].id.startswith(prefix):
        end += 1
    return end


def whole_word_starts(text: str, words: str) -> tuple[list[int], list[str]]:
    """Return where `words` occur in `text` as whole words (their start and end are token boundaries: «союз» is
    not in «Профсоюз», «0,2» not in «0,25», «4.3» not in «4.3.1»), and the longer words that hold the other
    occurrences."""
    spans = token_spans(text)
    starts = {a for a, _ in spans}
    ends = {b for _, b in spans}
    whole, inside = [], []
    at = text.find(words)
    while at >= 0 and words:
        end = at + len(words)
        if at in starts and end in ends:
            whole.append(at)
            at = text.find(words, end)  # occurrences replaced do not overlap
            continue
        first = max(a for a in starts if a <= at)
        last = min(b for b in ends if b >= end)
        inside.append(text[first:last])
        at = text.find(words, at + 1)
    return whole, inside


def _replace_words(text: str, old: str, new: str, occurrence, op: m.Op, lang: str) -> str:
    starts, inside = whole_word_starts(text, old)
    count = len(starts)
    if count == 0:
        where = ""
        if inside:
            where = _("; they occur only inside the longer word(s) {words}: quote the whole word").format(
                words=", ".join(f"«{w}»" for w in dict.fromkeys(inside)))
        raise _op_error(op, _("the words «{old}» do not occur as whole words in the {lang} text of {target}{where}")
                        .format(old=old, lang=lang, target=op.target, where=where), f"old.{lang}")
    if occurrence == "all":
        out, last = [], 0
        for start in starts:
            out += [text[last:start], new]
            last = start + len(old)
        return "".join(out) + text[last:]
    if occurrence is None:
        if count > 1:
            raise _op_error(op, _("the words «{old}» occur {count} times in the {lang} text; say which with "
                                  "`occurrence: N` or `occurrence: all`").format(old=old, count=count, lang=lang),
                            f"old.{lang}")
        occurrence = 1
    if occurrence > count:
        raise _op_error(op, ngettext("occurrence {occurrence} asked, but «{old}» occurs {count} time in the {lang} text",
                                     "occurrence {occurrence} asked, but «{old}» occurs {count} times in the {lang} text",
                                     count).format(occurrence=occurrence, old=old, count=count, lang=lang),
                        "occurrence")
    start = starts[occurrence - 1]
    return text[:start] + new + text[start + len(old):]


def suggest_number(units: tuple[m.Unit, ...], after: str, first_child: bool = False) -> Optional[str]:
    """Return the number a unit inserted right after `after` takes, as Kazakhstan's acts number insertions: the
    next number when `after` is the last of its level (4.7 after 4.6), else `after` with a suffix (4.3-1 after 4.3,
    4.3-2 after 4.3-1); with `first_child`, the number of a first sub-unit of `after` (4.3.1). Return None when
    no number fits (after 4.3 when 4.3-1 follows it: insert after 4.3-1)."""
    if first_child:
        children = [u.id for u in units if m.parent_of(u.id) == after]
        return None if children else f"{after}.1"
    parent = m.parent_of(after)
    later = sorted((u.id for u in units if m.parent_of(u.id) == parent and m.number_key(u.id) > m.number_key(after)),
                   key=m.number_key)
    head, _, last = after.rpartition(".")
    base, _, extra = last.partition("-")
    prefix = f"{head}." if head else ""
    number = f"{prefix}{int(base) + 1}" if not later and not extra else f"{prefix}{base}-{int(extra or 0) + 1}"
    if later and m.number_key(number) >= m.number_key(later[0]):
        return None
    return number


def _number_hint(units: tuple[m.Unit, ...], after: str) -> str:
    number = suggest_number(units, after)
    if number is not None:
        return _("number it {number}").format(number=number)
    parent = m.parent_of(after)
    following = min((u.id for u in units if m.parent_of(u.id) == parent
                     and m.number_key(u.id) > m.number_key(after)), key=m.number_key)
    return _("no number fits between {after} and {following}: insert it after {following}").format(
        after=after, following=following)


def _insert(units: tuple[m.Unit, ...], op: m.Op, ids: Optional[_Ids] = None
            ) -> tuple[tuple[m.Unit, ...], list[tuple[str, str]]]:
    """Insert a unit: its number new, its kind that of its depth, and its place that of its number — after the
    unit `after` under the same parent, or as the first sub-unit of `after`."""
    ids = ids or _Ids(units)
    if op.target in ids.at:
        raise _op_error(op, _("unit {id} already exists; an inserted unit needs a new number: {hint}").format(
            id=op.target, hint=_number_hint(units, op.after)))
    expected = _DEPTH_KIND.get(m.unit_depth(op.target))
    if expected != op.kind:
        raise _op_error(op, _("number {id} is a {expected} number, not a {kind}").format(
            id=op.target, expected=kind_name(expected), kind=kind_name(op.kind)), "kind")
    parent = m.parent_of(op.target)
    if parent is not None:
        _unit_index(units, op, parent, ids=ids)
    a = _unit_index(units, op, op.after, "after", ids)
    key = m.number_key(op.target)
    if parent == op.after:  # the first sub-unit of `after`
        children = ids.children(op.after)
        if children and key > m.number_key(children[0]):
            raise _op_error(op, _("{id} would stand after {child}, not right after {after}; insert it after {child} "
                                  "({hint})").format(id=op.target, child=children[0], after=op.after,
                                                     hint=_number_hint(units, children[0])))
        return units[:a + 1] + (_new_unit(op),) + units[a + 1:], [(op.target, "inserted")]
    if parent != m.parent_of(op.after):
        def place(of):
            return _("under {parent}").format(parent=of) if of else _("a section")

        raise _op_error(op, _("{id} is {where}, but {after} is {place}: an inserted unit stands beside the unit it "
                              "follows or as its first sub-unit; {hint}").format(
            id=op.target, where=place(parent), after=op.after, place=place(m.parent_of(op.after)),
            hint=_number_hint(units, op.after)))
    after_key = m.number_key(op.after)
    following = [i for i in ids.children(parent) if m.number_key(i) > after_key]
    if key < after_key or (following and key > m.number_key(following[0])):
        if following:
            message = _("number {id} does not sort right after {after} and before {next}, so the text would read "
                        "out of order; {hint}")
        else:
            message = _("number {id} does not sort right after {after}, so the text would read out of order; {hint}")
        raise _op_error(op, message.format(id=op.target, after=op.after, next=following[0] if following else "",
                                           hint=_number_hint(units, op.after)))
    end = subtree_end(units, a)
    return units[:end] + (_new_unit(op),) + units[end:], [(op.target, "inserted")]


def _new_unit(op: m.Op) -> m.Unit:
    return m.Unit(op.target, op.kind, op.text, op.source or "sample", where=op.where)


def _apply_unit_op(units: tuple[m.Unit, ...], op: m.Op, ids: Optional[_Ids] = None
                   ) -> tuple[tuple[m.Unit, ...], list[tuple[str, str]]]:
    """Return the units after `op` and the (target, action) pairs it touched (`ids`: the numbers of `units`)."""
    if op.op == "replace":
        i = _unit_index(units, op, op.target, ids=ids)
        return units[:i] + (dataclasses.replace(units[i], text=op.text, source=op.source or units[i].source),) \
            + units[i + 1:], [(op.target, "replaced")]
    if op.op == "replace_words":
        i = _unit_index(units, op, op.target, ids=ids)
        unit = units[i]
        new_text = m.Text(*(_replace_words(unit.text[lang], op.old[lang], op.new[lang], op.occurrence, op, lang)
                            for lang in m.LANGS))
        return units[:i] + (dataclasses.replace(unit, text=new_text),) + units[i + 1:], \
            [(op.target, "words_replaced")]
    if op.op == "delete":
        i = _unit_index(units, op, op.target, ids=ids)
        end = subtree_end(units, i)
        deleted = tuple(dataclasses.replace(u, deleted=True) for u in units[i:end])
        # a sub-unit deleted earlier stays as it was: its earlier deletion is its record
        return units[:i] + deleted + units[end:], [(u.id, "deleted") for u in units[i:end] if not u.deleted]
    if op.op == "insert":
        return _insert(units, op, ids)
    raise _op_error(op, _("not a unit operation"), "op")


def _apply_criteria_op(criteria: m.Criteria, op: m.Op) -> m.Criteria:
    if op.op == "replace_appendix":
        return op.criteria
    ids = [i.id for i in criteria.indicators()]
    if op.op == "add_indicator":
        if op.indicator.id in ids:
            raise _op_error(op, _("indicator {id} already exists in Appendix 1").format(id=op.indicator.id),
                            "indicator.id")
        blocks = [b.id for b in criteria.blocks]
        if op.block not in blocks:
            raise _op_error(op, _("block '{block}' does not exist; blocks: {blocks}{suggestion}").format(
                block=op.block, blocks=", ".join(blocks), suggestion=nearest(op.block, blocks)), "block")
        if op.target != op.indicator.id:
            raise _op_error(op, _("target {target} and indicator.id {id} differ: they name the same indicator; "
                                  "write the one id in both").format(target=op.target, id=op.indicator.id),
                            "indicator.id")
        if not op.indicator.id.startswith(op.block + "."):
            raise _op_error(op, _("indicator id must start with its block: '{block}.'").format(block=op.block),
                            "indicator.id")
        new_blocks = []
        for b in criteria.blocks:
            if b.id == op.block:
                inds = list(b.indicators)
                pos = len(inds)
                if op.after is not None:
                    names = [i.id for i in inds]
                    if op.after not in names:
                        raise _op_error(op, _("indicator '{id}' is not in block {block}{suggestion}").format(
                            id=op.after, block=b.id, suggestion=nearest(op.after, names)), "after")
                    pos = names.index(op.after) + 1
                inds.insert(pos, op.indicator)
                b = dataclasses.replace(b, indicators=tuple(inds))
            new_blocks.append(b)
        return dataclasses.replace(criteria, blocks=tuple(new_blocks))
    if op.target not in ids:
        raise _op_error(op, _("indicator '{id}' does not exist in Appendix 1{suggestion}").format(
            id=op.target, suggestion=nearest(op.target, ids)))
    new_blocks = []
    for b in criteria.blocks:
        inds = []
        for ind in b.indicators:
            if ind.id == op.target and op.op == "remove_indicator":
                continue
            if ind.id == op.target:
                ind = dataclasses.replace(ind, rule=op.rule or ind.rule, title=op.title or ind.title)
            inds.append(ind)
        if not inds:
            raise _op_error(op, _("removing it would leave block {block} empty; state Appendix 1 in new wording "
                                  "instead").format(block=b.id))
        new_blocks.append(dataclasses.replace(b, indicators=tuple(inds)))
    return dataclasses.replace(criteria, blocks=tuple(new_blocks))


_CRITERIA_ACTIONS = {"replace_appendix": "appendix_replaced", "add_indicator": "indicator_added",
                     "remove_indicator": "indicator_removed", "change_indicator": "indicator_changed"}


def _apply_ops(units: tuple[m.Unit, ...], criteria: m.Criteria, amendment: m.Amendment
               ) -> tuple[tuple[m.Unit, ...], m.Criteria, list[Change]]:
    """Return the units, Appendix 1 and the changes that result from `amendment`'s operations."""
    changes: list[Change] = []
    ids = None  # the numbers of `units`: kept while operations leave them in place, made again after an insertion
    for op in amendment.ops:
        if op.op in _CRITERIA_ACTIONS:
            criteria = _apply_criteria_op(criteria, op)
            touched = [(APPENDIX, _CRITERIA_ACTIONS[op.op])]
        else:
            ids = ids or _Ids(units)
            units, touched = _apply_unit_op(units, op, ids)
            if op.op == "insert":
                ids = None
        changes.extend(Change(t, a, amendment.name, amendment.adopted_by, amendment.in_force, amendment.draft)
                       for t, a in touched)
    return units, criteria, changes


def apply(edition: Edition, amendment: m.Amendment) -> Edition:
    """Return the edition that results from applying `amendment` to `edition`."""
    units, criteria, changes = _apply_ops(edition.units, edition.appendix, amendment)
    return Edition(amendment.in_force, units, criteria, edition.changes + tuple(changes),
                   edition.amendments + (amendment.name,), edition.drafts + ((amendment.name,) if amendment.draft
                                                                            else ()))


def apply_op(edition: Edition, op: m.Op) -> Edition:
    """Return `edition` with the one operation `op` applied, no change recorded: the text and Appendix 1 the
    operations after it in the same amendment apply to. Raise RegdocError when it does not apply."""
    if op.op in _CRITERIA_ACTIONS:
        return dataclasses.replace(edition, appendix=_apply_criteria_op(edition.appendix, op))
    units, _touched_units = _apply_unit_op(edition.units, op)
    return dataclasses.replace(edition, units=units)


def _touched(op: m.Op) -> set[str]:
    """Return what an operation touches: its unit (and for an insert the unit it follows), or Appendix 1."""
    if op.op in _CRITERIA_ACTIONS:
        return {APPENDIX}
    return {op.target} | ({op.after} if op.op == "insert" and op.after else set())


def _related(first: str, second: str) -> bool:
    """Return whether two targets are the same unit, or one holds the other (4 holds 4.3-1 and 4.3.2)."""
    if APPENDIX in (first, second):
        return first == second
    return first == second or first.startswith(second + ".") or second.startswith(first + ".")


def check_same_day(amendments: Iterable[m.Amendment]) -> None:
    """Raise when two amendments in force on the same date touch the same unit, or a unit and one that holds it
    (their order would be arbitrary): whatever the files are called, the error names the later file's operation
    and the other file."""
    by_date: dict[date, list[m.Amendment]] = {}
    for a in amendments:
        by_date.setdefault(a.in_force, []).append(a)
    for group in by_date.values():
        group = sorted(group, key=lambda a: a.name)
        for i, first in enumerate(group):
            touched = [(t, o) for o in first.ops for t in _touched(o)]
            for second in group[i + 1:]:
                for op in second.ops:
                    for target in sorted(_touched(op)):
                        other = next((t for t, _ in touched if _related(t, target)), None)
                        if other is not None:
                            what = other
                            if other != target:
                                how = (_("{other}, which holds {target}") if target.startswith(other + ".")
                                       else _("{other}, which is part of {target}"))
                                what = how.format(other=other, target=target)
                            raise _op_error(op, _("amendment {name} in force on the same date {date} also changes "
                                                  "{what}; the order of the two would be arbitrary: put both in one "
                                                  "amendment or give them different dates").format(
                                name=first.name, date=first.in_force.isoformat(), what=what))


def _run(initial: m.InitialEdition, amendments: Iterable[m.Amendment], keep_all: bool) -> list[Edition]:
    """Return the editions after each amendment in date order (only the last one unless `keep_all`).

    The record of changes grows in one list, so that the cost grows linearly with the number of amendments when
    only the last edition is wanted.
    """
    ordered = sorted(amendments, key=lambda a: (a.in_force, a.name))
    check_same_day(ordered)
    first = initial_edition(initial)
    out = [first]
    units, criteria, changes, names, drafts = first.units, first.appendix, [], [], []
    for k, amendment in enumerate(ordered):
        if amendment.in_force < initial.in_force:
            raise amendment.where.error(_("in force on {date}, before the initial edition ({initial})").format(
                date=amendment.in_force.isoformat(), initial=initial.in_force.isoformat()), "in_force")
        units, criteria, new_changes = _apply_ops(units, criteria, amendment)
        changes += new_changes
        names.append(amendment.name)
        if amendment.draft:
            drafts.append(amendment.name)
        if keep_all or k == len(ordered) - 1:
            out.append(Edition(amendment.in_force, units, criteria, tuple(changes), tuple(names), tuple(drafts)))
    return out


def editions(initial: m.InitialEdition, amendments: Iterable[m.Amendment]) -> list[Edition]:
    """Return every edition in date order: the initial one, then one after each amendment."""
    return _run(initial, amendments, keep_all=True)


def edition_at(initial: m.InitialEdition, amendments: Iterable[m.Amendment], when: date) -> Edition:
    """Return the edition in force on `when`: the initial text plus every amendment in force by then."""
    if when < initial.in_force:
        raise RegdocError(_("no edition in force on {date}: the first edition is in force from {first}").format(
            date=when.isoformat(), first=initial.in_force.isoformat()))
    return _run(initial, [a for a in amendments if a.in_force <= when], keep_all=False)[-1]


@dataclass(frozen=True)
class Wording:
    """One wording a unit has had: in force from `in_force`, set by `amendment` (None: the initial edition)."""

    unit: str
    kind: str
    text: m.Text
    deleted: bool
    in_force: date
    action: str  # initial | replaced | inserted | words_replaced | deleted
    amendment: Optional[str] = None
    adopted_by: Optional[m.ResolutionId] = None
    draft: bool = False  # set by an amendment whose resolution does not exist yet


_ACTION_WEIGHT = {"deleted": 4, "inserted": 3, "replaced": 2, "words_replaced": 1}


def main_action(actions: Iterable[str]) -> str:
    """Return the action that names what one amendment did to a unit (a deletion outweighs an insertion,
    an insertion a new wording, a new wording a replacement of words)."""
    return max(actions, key=lambda a: _ACTION_WEIGHT.get(a, 0))


def history(initial: m.InitialEdition, amendments: Iterable[m.Amendment], unit_id: str) -> tuple[Wording, ...]:
    """Return every wording unit `unit_id` has had, oldest first, with the amendment and resolution that set it."""
    all_editions = editions(initial, amendments)
    out: list[Wording] = []
    first = all_editions[0].unit(unit_id)
    if first is not None:
        out.append(Wording(unit_id, first.kind, first.text, first.deleted, initial.in_force, "initial",
                           None, initial.adopted_by))
    for edition in all_editions[1:]:
        name = edition.amendments[-1]
        actions = [c.action for c in edition.changes if c.amendment == name and c.target == unit_id]
        if actions:
            unit = edition.unit(unit_id)
            change = next(c for c in edition.changes if c.amendment == name)
            out.append(Wording(unit_id, unit.kind, unit.text, unit.deleted, edition.in_force, main_action(actions),
                               name, change.adopted_by, change.draft))
    if not out:
        ids = sorted({u.id for e in all_editions for u in e.units}, key=m.number_key)
        raise RegdocError(_("unit '{id}' is in no edition of the Regulation{suggestion}").format(
            id=unit_id, suggestion=nearest(unit_id, ids)))
    return tuple(out)


def edition_after(initial: m.InitialEdition, amendments: Iterable[m.Amendment], name: str) -> Edition:
    """Return the edition that amendment `name` (a file stem) produced; the initial edition's own stem gives it."""
    amendments = list(amendments)
    all_editions = editions(initial, amendments)
    if name == initial.name:
        return all_editions[0]
    for edition in all_editions[1:]:
        if edition.amendments[-1] == name:
            return edition
    names = [initial.name] + [a.name for a in amendments]
    raise RegdocError(_("no amendment '{name}' in regulation/versions/; known: {known}{suggestion}").format(
        name=name, known=", ".join(names), suggestion=nearest(name, names)))


@dataclass(frozen=True)
class Point:
    """A point in the Regulation's history named on the command line: a date, an amendment id or a year."""

    ref: str
    kind: str  # date | amendment | year
    when: date  # the date it stands for (an amendment's in-force date; 31 December of a year)
    edition: Edition


class _History:
    """The editions of one Regulation's history for the points named in one request: every edition is made once
    (by `editions`) when an amendment id first asks for it, and later points are found among them."""

    def __init__(self, initial: m.InitialEdition, amendments: list[m.Amendment]):
        self.initial, self.amendments = initial, amendments
        self.all: Optional[list[Edition]] = None

    def after(self, name: str) -> Edition:
        """Return edition_after(name)."""
        if self.all is None:
            self.all = editions(self.initial, self.amendments)
        if name == self.initial.name:
            return self.all[0]
        found = next((e for e in self.all[1:] if e.amendments[-1] == name), None)
        return found if found is not None else edition_after(self.initial, self.amendments, name)

    def at(self, when: date) -> Edition:
        """Return edition_at(when): once every edition is made (all amendments applied without error), the last
        in force on `when`, which is the edition the amendments in force by then make (they come first in date
        order)."""
        if self.all is None or when < self.initial.in_force:
            return edition_at(self.initial, self.amendments, when)
        return [e for e in self.all if e.in_force <= when][-1]


def point(initial: m.InitialEdition, amendments: Iterable[m.Amendment], ref: str, *, years: bool = False,
          label: Optional[str] = None) -> Point:
    """Return the edition `ref` names: an amendment id (a file stem in regulation/versions/, the edition it
    produced), a date YYYY-MM-DD (the edition in force that day) or, with `years`, an evaluation year Y (the
    edition in force on 31 December of Y). An id wins over the same text read as a date. An error names the
    argument `label` (e.g. FROM, --as-of) as its key."""
    return _labelled_point(_History(initial, list(amendments)), ref, years, label)


def _labelled_point(history: _History, ref: str, years: bool, label: Optional[str]) -> Point:
    try:
        return _point(history, ref, years)
    except RegdocError as err:
        err.node = err.node or label
        raise


def _point(history: _History, ref: str, years: bool) -> Point:
    initial, amendments = history.initial, history.amendments
    names = [initial.name] + [a.name for a in amendments]
    if ref in names:
        edition = history.after(ref)
        return Point(ref, "amendment", edition.in_force, edition)
    if years and ref.isascii() and ref.isdigit() and len(ref) == 4:
        when = date(int(ref), 12, 31)
        return Point(ref, "year", when, history.at(when))
    try:
        when = date.fromisoformat(ref)
    except ValueError:
        if years:
            message = _("'{ref}' is neither a date YYYY-MM-DD, an evaluation year YYYY nor an edition id (a file stem "
                        "in regulation/versions/: {known}){suggestion}")
        else:
            message = _("'{ref}' is neither a date YYYY-MM-DD nor an edition id (a file stem in regulation/versions/: "
                        "{known}){suggestion}")
        raise RegdocError(message.format(ref=ref, known=", ".join(names), suggestion=nearest(ref, names))) from None
    return Point(ref, "date", when, history.at(when))


def from_to(initial: m.InitialEdition, amendments: Iterable[m.Amendment], first: str, second: str, *,
                    years: bool = False) -> tuple[Point, Point]:
    """Return the two points FROM and TO; raise when FROM is later than TO."""
    history = _History(initial, list(amendments))
    a = _labelled_point(history, first, years, "FROM")
    b = _labelled_point(history, second, years, "TO")
    if a.when > b.when:
        raise RegdocError(_("FROM {first} ({first_date}) is later than TO {second} ({second_date}); give the earlier "
                            "point first").format(first=first, first_date=a.when.isoformat(), second=second,
                                                  second_date=b.when.isoformat()))
    return a, b
