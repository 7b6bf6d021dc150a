"""Comparisons: between two editions of the Regulation (unit by unit, then word by word inside a changed unit)
and between the criteria (Appendix 1) of two editions.

Pure: editions in, frozen values out. The word-level diff is difflib's SequenceMatcher over word tokens.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Optional

from regdoc.data import model as m
from regdoc.versioning.amend import Edition

STATUSES = ("added", "deleted", "changed", "unchanged")
_TOKEN = re.compile(r"\w+|[^\w\s]|\s+")


# ----- words ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    """A piece of a word-level diff: op is "equal", "delete" (only in the old text) or "insert" (only in the new)."""

    op: str
    text: str


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Return the word-level diff of two texts: equal, deleted and inserted segments, in reading order.

    Joining the equal and deleted segments gives `old`; joining the equal and inserted ones gives `new`. Spaces
    between two changed words belong to the change, so that a changed phrase reads as one deletion and one
    insertion.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    raw: list[tuple[str, str, str]] = []  # (op, old text, new text)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        raw.append(("equal" if tag == "equal" else "change", "".join(a[i1:i2]), "".join(b[j1:j2])))
    # a whitespace-only equal run between two changes joins them
    merged: list[list[str]] = []
    for k, (tag, old_text, new_text) in enumerate(raw):
        between = 0 < k < len(raw) - 1 and raw[k - 1][0] == raw[k + 1][0] == "change"
        if tag == "equal" and between and not old_text.strip():
            tag = "change"
        if merged and merged[-1][0] == tag == "change":
            merged[-1][1] += old_text
            merged[-1][2] += new_text
        else:
            merged.append([tag, old_text, new_text])
    out: list[Segment] = []
    for tag, old_text, new_text in merged:
        if tag == "equal":
            out.append(Segment("equal", old_text))
            continue
        if old_text:
            out.append(Segment("delete", old_text))
        if new_text:
            out.append(Segment("insert", new_text))
    return tuple(out)


# ----- editions -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitDiff:
    """How one unit differs between two editions; `words` holds the word-level diff per language when changed."""

    id: str
    kind: str
    status: str  # added | deleted | changed | unchanged
    old: Optional[m.Unit]
    new: Optional[m.Unit]
    words: tuple[tuple[str, tuple[Segment, ...]], ...] = ()

    def words_of(self, lang: str) -> tuple[Segment, ...]:
        return dict(self.words).get(lang, ())


@dataclass(frozen=True)
class EditionDiff:
    """The differences between an older and a newer edition, unit by unit in the order of the text."""

    old: Edition
    new: Edition
    units: tuple[UnitDiff, ...]
    appendix_changed: bool

    def with_status(self, status: str) -> tuple[UnitDiff, ...]:
        return tuple(u for u in self.units if u.status == status)

    def counts(self) -> dict[str, int]:
        return {status: len(self.with_status(status)) for status in STATUSES}


def _status(old: Optional[m.Unit], new: Optional[m.Unit]) -> str:
    if new is None:  # only when comparing against an older edition
        return "deleted"
    if new.deleted and (old is None or not old.deleted):
        return "deleted"
    if old is None:
        return "added"
    return "unchanged" if old.text == new.text and old.deleted == new.deleted else "changed"


def diff_editions(old: Edition, new: Edition) -> EditionDiff:
    """Return the unit-level differences from `old` to `new`, with word-level diffs inside changed units."""
    old_units = {u.id: u for u in old.units}
    new_ids = [u.id for u in new.units]
    ids = new_ids
    missing = [i for i in old_units if i not in set(new_ids)]
    if missing:
        ids = sorted(new_ids + missing, key=lambda i: tuple(int(p) for p in i.split(".")))
    new_units = {u.id: u for u in new.units}
    out = []
    for unit_id in ids:
        before, after = old_units.get(unit_id), new_units.get(unit_id)
        status = _status(before, after)
        words = ()
        if status == "changed":
            words = tuple((lang, word_diff(before.text[lang], after.text[lang])) for lang in m.LANGS)
        out.append(UnitDiff(unit_id, (after or before).kind, status, before, after, words))
    return EditionDiff(old, new, tuple(out), old.appendix != new.appendix)


# ----- criteria -------------------------------------------------------------------------------------------------

def max_points(rule: m.Rule) -> Optional[float]:
    """Return the most points a rule can give, or None when it is not bounded (per unit without a cap)."""
    if rule.kind == "per_unit":
        return rule.cap
    if rule.kind == "penalty":
        return 0.0
    if rule.kind == "fixed":
        return max(rule.points, 0.0)
    if rule.kind == "bands":
        return max(max(band.points for band in rule.bands), 0.0)
    if rule.kind == "rank":
        return max(max(rule.points), 0.0)
    raise ValueError(f"unknown rule kind '{rule.kind}'")


def block_max_points(block: m.Block) -> Optional[float]:
    """Return the most points a block can give: the sum over its indicators, None when one is not bounded."""
    total = 0.0
    for indicator in block.indicators:
        most = max_points(indicator.rule)
        if most is None:
            return None
        total += most
    return total


_INDICATOR_ASPECTS = ("title", "rule", "unit", "ratio", "missing")


@dataclass(frozen=True)
class IndicatorDiff:
    """How one indicator differs: status added | removed | changed | unchanged; aspects: what changed."""

    id: str
    status: str
    old: Optional[m.Indicator]
    new: Optional[m.Indicator]
    aspects: tuple[str, ...] = ()

    @property
    def renamed(self) -> bool:
        return "title" in self.aspects

    @property
    def reweighted(self) -> bool:
        return "rule" in self.aspects


@dataclass(frozen=True)
class BlockDiff:
    """How one block differs; `old_max`/`new_max` are its maximum points (None: absent or not bounded)."""

    id: str
    status: str
    old: Optional[m.Block]
    new: Optional[m.Block]
    aspects: tuple[str, ...]  # title, main
    indicators: tuple[IndicatorDiff, ...]
    old_max: Optional[float]
    new_max: Optional[float]

    @property
    def renamed(self) -> bool:
        return "title" in self.aspects

    @property
    def max_change(self) -> Optional[float]:
        """Return new minus old maximum points when both are bounded, else None."""
        if self.old_max is None or self.new_max is None:
            return None
        return self.new_max - self.old_max


@dataclass(frozen=True)
class SettingDiff:
    """A changed rule of places and rewards: prize_places, rewards.count ..."""

    name: str
    old: object
    new: object


@dataclass(frozen=True)
class CriteriaDiff:
    old: m.Criteria
    new: m.Criteria
    blocks: tuple[BlockDiff, ...]
    settings: tuple[SettingDiff, ...]

    @property
    def changed(self) -> bool:
        return bool(self.settings) or any(b.status != "unchanged" for b in self.blocks)


def _indicator_diff(old: Optional[m.Indicator], new: Optional[m.Indicator]) -> IndicatorDiff:
    if old is None:
        return IndicatorDiff(new.id, "added", None, new)
    if new is None:
        return IndicatorDiff(old.id, "removed", old, None)
    aspects = tuple(a for a in _INDICATOR_ASPECTS if getattr(old, a) != getattr(new, a))
    return IndicatorDiff(new.id, "changed" if aspects else "unchanged", old, new, aspects)


def _merged_ids(old_ids: list[str], new_ids: list[str]) -> list[str]:
    """Return the ids in the new order, each removed id placed after the id that preceded it in the old order."""
    out = list(new_ids)
    for k, item in enumerate(old_ids):
        if item in out:
            continue
        previous = next((p for p in reversed(old_ids[:k]) if p in out), None)
        out.insert(out.index(previous) + 1 if previous is not None else 0, item)
    return out


def _block_diff(old: Optional[m.Block], new: Optional[m.Block]) -> BlockDiff:
    old_inds = {i.id: i for i in old.indicators} if old else {}
    new_inds = {i.id: i for i in new.indicators} if new else {}
    ids = _merged_ids(list(old_inds), list(new_inds))
    indicators = tuple(_indicator_diff(old_inds.get(i), new_inds.get(i)) for i in ids)
    old_max = block_max_points(old) if old else None
    new_max = block_max_points(new) if new else None
    if old is None or new is None:
        return BlockDiff((new or old).id, "added" if old is None else "removed", old, new, (), indicators,
                         old_max, new_max)
    aspects = tuple(a for a in ("title", "main") if getattr(old, a) != getattr(new, a))
    changed = aspects or any(i.status != "unchanged" for i in indicators) or [i.id for i in old.indicators] != [
        i.id for i in new.indicators]
    return BlockDiff(new.id, "changed" if changed else "unchanged", old, new, aspects, indicators, old_max, new_max)


_SETTINGS = (("prize_places", lambda c: c.prize_places), ("rewards.basis", lambda c: c.rewards.basis),
             ("rewards.count", lambda c: c.rewards.count), ("rewards.min_points", lambda c: c.rewards.min_points),
             ("tie_break", lambda c: list(c.tie_break)), ("share_equal_places", lambda c: c.share_equal_places))


def diff_criteria(old: m.Criteria, new: m.Criteria) -> CriteriaDiff:
    """Return the differences between two Appendix 1 tables: blocks and indicators added, removed, renamed,
    re-weighted, and each block's maximum points before and after."""
    old_blocks = {b.id: b for b in old.blocks}
    new_blocks = {b.id: b for b in new.blocks}
    ids = _merged_ids(list(old_blocks), list(new_blocks))
    blocks = tuple(_block_diff(old_blocks.get(i), new_blocks.get(i)) for i in ids)
    settings = tuple(SettingDiff(name, get(old), get(new)) for name, get in _SETTINGS if get(old) != get(new))
    return CriteriaDiff(old, new, blocks, settings)
