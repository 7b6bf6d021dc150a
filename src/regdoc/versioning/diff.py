"""Comparisons: between two editions of the Regulation (unit by unit, then word by word inside a changed unit)
and between the criteria (Appendix 1) of two editions.

Pure: editions in, frozen values out.

The word diff works on whole tokens (`tokens`): a number with its decimal comma and thousands spaces («1 000»,
«0,25»), a unit number with its suffix («4.3-1», «4.3-1-тармақ»), a word with its suffixes and hyphenated parts,
a run of spaces, a punctuation mark. Tokens are matched in two steps, so that the cost stays near-linear on long
texts: the runs of one, two or three words that occur once in each text anchor the match (the longest chain of
them in the same order, as patience diff does with lines; in a long clause every word recurs, but runs of words
are mostly unique), failing those the rarest tokens common to both (as histogram diff does), and difflib's
SequenceMatcher matches the small stretches between anchors. A stretch too large for that
counts against a work budget; past the budget it stays one change, so the result is always the same for the same
texts and never hangs. Adjacent changes are then merged in the manner of diff-match-patch's semantic cleanup (an
equal stretch of no more words than the changes on either side of it joins them), so that a rewritten phrase
reads as one deletion and one insertion.
"""
from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from regdoc.data import model as m
from regdoc.errors import RegdocError
from regdoc.i18n import _
from regdoc.phrasing.common import tokens
from regdoc.versioning.amend import Edition

STATUSES = ("added", "deleted", "changed", "unchanged")

MAX_TOKENS = 200_000  # per text: beyond this a word diff is refused with a message (about 100 000 words)
_SMALL = 40_000  # the largest stretch (old tokens x new tokens) difflib matches directly
_BUDGET = 4_000_000  # the work (tokens and difflib cells) one word diff may spend before leaving stretches whole


# ----- words ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    """A piece of a word-level diff: op is "equal", "delete" (only in the old text) or "insert" (only in the new)."""

    op: str
    text: str


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the longest run of `pairs` (sorted by their first number) whose second numbers increase."""
    tails: list[int] = []  # tails[k]: the smallest second number ending a run of length k + 1
    tail_at: list[int] = []  # the index in pairs of that end
    back: list[int] = [-1] * len(pairs)
    longest = 0  # len(tails)
    for k, (_i, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == longest:
            longest += 1
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos] = j
            tail_at[pos] = k
        back[k] = tail_at[pos - 1] if pos else -1
    out = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _unique_runs(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int,
                 n: int) -> list[tuple[int, int]]:
    """Return the longest run, in the same order in both stretches, of the positions where a run of `n` words
    (tokens that are not spaces) occurs exactly once in a[alo:ahi] and once in b[blo:bhi] (patience diff's
    unique lines, with runs of words as lines: in a long text whose every word recurs, runs of two or three words
    are mostly unique, and a half-rewritten clause keeps many of them)."""
    def keys(t: list[str], lo: int, hi: int) -> dict:
        part = t[lo:hi]
        words = [k for k, space in zip(range(lo, hi), map(str.isspace, part)) if not space]
        texts = [t[k] for k in words]
        # the run of n words starting at each word (zip stops at the last whole run)
        runs = zip(*(texts[x:] for x in range(n))) if n > 1 else texts
        found: dict = {}
        for key, k in zip(runs, words):
            found[key] = -1 if key in found else k
        return found

    in_a, in_b = keys(a, alo, ahi), keys(b, blo, bhi)
    pairs = sorted((i, in_b[key]) for key, i in in_a.items() if i >= 0 and in_b.get(key, -1) >= 0)
    return _longest_increasing(pairs)


def _anchors(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int) -> list[tuple[int, int]]:
    """Return anchor pairs of positions of equal tokens in a[alo:ahi] and b[blo:bhi]: the longest run of them in
    the same order in both.

    Candidates are first the runs of one, two or three words that occur once in each stretch (patience diff; of
    the three, the longest chain wins), failing those the rarest tokens common to both (the k-th occurrence in one
    paired with the k-th in the other, as histogram diff does)."""
    best: list[tuple[int, int]] = []
    for n in (1, 2, 3):
        chain = _unique_runs(a, alo, ahi, b, blo, bhi, n)
        if len(chain) > len(best):
            best = chain
    if best:
        return best
    count_a, count_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
    rarity = {t: max(n, count_b[t]) for t, n in count_a.items() if t in count_b and not t.isspace()}
    if not rarity:
        return []
    rarest = min(rarity.values())
    chosen = {t for t, n in rarity.items() if n == rarest}
    where_b: dict[str, list[int]] = {}
    for j in range(blo, bhi):
        if b[j] in chosen:
            where_b.setdefault(b[j], []).append(j)
    seen: Counter = Counter()
    pairs = []
    for i in range(alo, ahi):
        t = a[i]
        if t in chosen:
            k = seen[t]
            seen[t] += 1
            if k < len(where_b[t]):
                pairs.append((i, where_b[t][k]))
    return _longest_increasing(pairs)


def _matches(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Return the matched positions (i, j) of equal tokens of `a` and `b`, in order."""
    pairs: list[tuple[int, int]] = []
    budget = _BUDGET
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            pairs.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            pairs.append((ahi, bhi))
        if alo == ahi or blo == bhi:
            continue
        cells = (ahi - alo) * (bhi - blo)
        anchors: list[tuple[int, int]] = []
        if cells > _SMALL:
            budget -= (ahi - alo) + (bhi - blo)
            if budget < 0:
                continue  # past the budget: the stretch stays one change
            anchors = _anchors(a, alo, ahi, b, blo, bhi)
        if not anchors:
            if cells > budget:
                continue
            budget -= cells
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            for i, j, size in matcher.get_matching_blocks():
                pairs.extend(zip(range(alo + i, alo + i + size), range(blo + j, blo + j + size)))
            continue
        for i, j in anchors:
            pairs.append((i, j))
            stack.append((alo, i, blo, j))
            alo, blo = i + 1, j + 1
        stack.append((alo, ahi, blo, bhi))
    pairs.sort()
    return pairs


def _pieces(a: list[str], b: list[str]) -> list[list]:
    """Return the diff as pieces [kind, old text, new text, old words, new words], kind "equal" or "change",
    neighbours of one kind apart; words count the tokens that are not spaces. A change on one side only that
    ends with the token the equal text before it ends with is shifted to begin with it instead («бойынша{+
    ақшалай+} 3», not «бойынша {+ақшалай +}3»)."""
    runs: list[list] = []  # [kind, old tokens, new tokens]
    matches = _matches(a, b)
    count = len(matches)
    i = j = k = 0
    while k <= count:
        # the next run of matches one after the other in both texts (one equal stretch), or the end
        mi, mj = matches[k] if k < count else (len(a), len(b))
        size = 1 if k < count else 0
        while k + size < count and matches[k + size] == (mi + size, mj + size):
            size += 1
        for kind, old, new in (("change", a[i:mi], b[j:mj]), ("equal", a[mi:mi + size], a[mi:mi + size])):
            if not old and not new:
                continue
            if runs and runs[-1][0] == kind:
                runs[-1][1] += old
                runs[-1][2] += new
            else:
                runs.append([kind, list(old), list(new)])
        i, j = mi + size, mj + size
        k += size or 1
    return _tidy(runs)


def _tidy(runs: list[list]) -> list[list]:
    """Return the runs [kind, old tokens, new tokens] of `_pieces` as its pieces: a change on one side only shifted
    to begin with the token the equal text before it ends with, neighbours of one kind joined, words counted."""
    for k in range(1, len(runs)):
        kind, old, new = runs[k]
        side = new if not old else old if not new else None
        prev = runs[k - 1][1]
        if kind == "change" and side and side[-1].isspace() and not side[0].isspace() and prev and \
                prev[-1] == side[-1]:
            moved = side.pop()
            side.insert(0, prev.pop())
            runs[k - 1][2].pop()
            if k + 1 < len(runs):
                runs[k + 1][1].insert(0, moved)
                runs[k + 1][2].insert(0, moved)
            else:
                runs.append(["equal", [moved], [moved]])
    out: list[list] = []
    for kind, old, new in runs:
        if not old and not new:
            continue
        if out and out[-1][0] == kind:
            out[-1][1] += old
            out[-1][2] += new
        else:
            out.append([kind, old, new])
    return [[kind, "".join(old), "".join(new), _words(old), _words(new)] for kind, old, new in out]


def _words(part: list[str]) -> int:
    return len(part) - sum(map(str.isspace, part))


def _semantic_cleanup(pieces: list[list]) -> list[list]:
    """Merge changes into phrases: an equal piece of no more words than the changes on each side of it becomes
    part of the change (diff-match-patch's diff_cleanupSemantic, its first pass, counting words instead of
    characters, so that a change of one short word does not swallow a longer word kept).

    A stack of merged stretches makes it linear: each piece is pushed once, and a merge replaces the last three
    stretches (change, equal, change) by one change, which may then merge with the stretches before it, as
    diff-match-patch's step back does."""
    stack: list[list] = []  # [kind, first piece, last piece + 1, old words, new words]
    for k, (kind, _old, _new, old_words, new_words) in enumerate(pieces):
        if stack and stack[-1][0] == kind:
            top = stack[-1]
            top[2], top[3], top[4] = k + 1, top[3] + old_words, top[4] + new_words
        else:
            stack.append([kind, k, k + 1, old_words, new_words])
        while len(stack) >= 3 and stack[-1][0] == "change":
            before, equal, after = stack[-3], stack[-2], stack[-1]
            if not (equal[3] <= max(before[3], before[4]) and equal[3] <= max(after[3], after[4])):
                break
            stack[-3:] = [["change", before[1], after[2], before[3] + equal[3] + after[3],
                           before[4] + equal[4] + after[4]]]
    return [[kind, "".join(pieces[k][1] for k in range(first, end)), "".join(pieces[k][2] for k in range(first, end)),
             old_words, new_words] for kind, first, end, old_words, new_words in stack]


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Return the word-level diff of two texts: equal, deleted and inserted segments, in reading order.

    Joining the equal and deleted segments gives `old`; joining the equal and inserted ones gives `new`. A change
    covers whole tokens; neighbouring changes with only a short equal stretch between them read as one deletion
    and one insertion. Raise a RegdocError when a text has more than MAX_TOKENS tokens.
    """
    return _word_diff(old, new, MAX_TOKENS)


@lru_cache(maxsize=4096)
def _word_diff(old: str, new: str, _limit: int) -> tuple[Segment, ...]:
    """word_diff, once per pair of texts (a build compares the same wordings for its comparison table and its
    redline, in both languages); the limit of the moment is part of the key. `uncached_word_diff` computes it
    every time (benchmarks)."""
    a, b = tokens(old), tokens(new)
    longest = max(len(a), len(b))
    if longest > _limit:
        raise RegdocError(_("a text of {count} words and signs is too long to compare word by word (at most "
                            "{limit}); split the unit").format(count=longest, limit=_limit))
    if old == new:  # what matching every token with itself gives
        return (Segment("equal", old),) if old else ()
    out: list[Segment] = []
    for kind, old_text, new_text, *_counts in _semantic_cleanup(_pieces(a, b)):
        if kind == "equal":
            out.append(Segment("equal", old_text))
            continue
        if old_text:
            out.append(Segment("delete", old_text))
        if new_text:
            out.append(Segment("insert", new_text))
    return tuple(out)


def uncached_word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Return word_diff(old, new) computed again, not taken from the texts compared before."""
    return _word_diff.__wrapped__(old, new, MAX_TOKENS)


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
    present = set(new_ids)
    missing = [i for i in old_units if i not in present]
    if missing:
        ids = sorted(new_ids + missing, key=m.number_key)
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
    # the row numbers of the indicator in the two tables of Appendix 1 («6.4», «6.3»; None where it is absent): a
    # label built from them, the old wording and the new wording always name this one indicator
    old_row: Optional[str] = None
    new_row: Optional[str] = None

    @property
    def renamed(self) -> bool:
        return "title" in self.aspects

    @property
    def moved(self) -> bool:
        """Return whether the indicator's row number changes (an indicator added or removed before it)."""
        return self.old_row is not None and self.new_row is not None and self.old_row != self.new_row

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
    old_number: Optional[str] = None  # the block's number in each table («2»; None where it is absent)
    new_number: Optional[str] = None

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


def row_numbers(criteria: m.Criteria) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Return the numbers of Appendix 1's table: block id -> «2», (block id, indicator id) -> «2.3»."""
    blocks, indicators = {}, {}
    for b_no, block in enumerate(criteria.blocks, 1):
        blocks[block.id] = str(b_no)
        for i_no, ind in enumerate(block.indicators, 1):
            indicators[(block.id, ind.id)] = f"{b_no}.{i_no}"
    return blocks, indicators


def _indicator_diff(old: Optional[m.Indicator], new: Optional[m.Indicator], old_row: Optional[str] = None,
                    new_row: Optional[str] = None) -> IndicatorDiff:
    if old is None:
        return IndicatorDiff(new.id, "added", None, new, (), None, new_row)
    if new is None:
        return IndicatorDiff(old.id, "removed", old, None, (), old_row, None)
    aspects = tuple(a for a in _INDICATOR_ASPECTS if getattr(old, a) != getattr(new, a))
    return IndicatorDiff(new.id, "changed" if aspects else "unchanged", old, new, aspects, old_row, new_row)


def _merged_ids(old_ids: list[str], new_ids: list[str]) -> list[str]:
    """Return the ids in the new order, each removed id placed after the id that preceded it in the old order."""
    out = list(new_ids)
    for k, item in enumerate(old_ids):
        if item in out:
            continue
        previous = next((p for p in reversed(old_ids[:k]) if p in out), None)
        out.insert(out.index(previous) + 1 if previous is not None else 0, item)
    return out


def _block_diff(old: Optional[m.Block], new: Optional[m.Block], old_numbers: tuple[dict, dict],
                new_numbers: tuple[dict, dict]) -> BlockDiff:
    block_id = (new or old).id
    old_inds = {i.id: i for i in old.indicators} if old else {}
    new_inds = {i.id: i for i in new.indicators} if new else {}
    ids = _merged_ids(list(old_inds), list(new_inds))
    indicators = tuple(_indicator_diff(old_inds.get(i), new_inds.get(i), old_numbers[1].get((block_id, i)),
                                       new_numbers[1].get((block_id, i))) for i in ids)
    old_max = block_max_points(old) if old else None
    new_max = block_max_points(new) if new else None
    numbers = (old_numbers[0].get(block_id), new_numbers[0].get(block_id))
    if old is None or new is None:
        return BlockDiff(block_id, "added" if old is None else "removed", old, new, (), indicators,
                         old_max, new_max, *numbers)
    aspects = tuple(a for a in ("title", "main") if getattr(old, a) != getattr(new, a))
    changed = aspects or any(i.status != "unchanged" for i in indicators) or [i.id for i in old.indicators] != [
        i.id for i in new.indicators]
    return BlockDiff(new.id, "changed" if changed else "unchanged", old, new, aspects, indicators, old_max, new_max,
                     *numbers)


_SETTINGS = (("prize_places", lambda c: c.prize_places), ("rewards.basis", lambda c: c.rewards.basis),
             ("rewards.count", lambda c: c.rewards.count), ("rewards.min_points", lambda c: c.rewards.min_points),
             ("tie_break", lambda c: list(c.tie_break)), ("share_equal_places", lambda c: c.share_equal_places))


def diff_criteria(old: m.Criteria, new: m.Criteria) -> CriteriaDiff:
    """Return the differences between two Appendix 1 tables: blocks and indicators added, removed, renamed,
    re-weighted, and each block's maximum points before and after."""
    old_blocks = {b.id: b for b in old.blocks}
    new_blocks = {b.id: b for b in new.blocks}
    ids = _merged_ids(list(old_blocks), list(new_blocks))
    old_numbers, new_numbers = row_numbers(old), row_numbers(new)
    blocks = tuple(_block_diff(old_blocks.get(i), new_blocks.get(i), old_numbers, new_numbers) for i in ids)
    settings = tuple(SettingDiff(name, get(old), get(new)) for name, get in _SETTINGS if get(old) != get(new))
    return CriteriaDiff(old, new, blocks, settings)
