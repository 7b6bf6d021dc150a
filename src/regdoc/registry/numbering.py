"""The registry of resolutions: numbering rules, the next free number, and a new resolution's skeleton (pure).

A resolution's number is its date, its meeting (protocol) number and its item on that meeting's agenda:
2026-02-20/9/7 is «20.02.2026 ж. № 9, 7-т.». Within the numbering period declared in resolutions/registry.yaml
(one calendar year for `per_year`, all time for `continuous`):

- a meeting is held on one date, and a date holds one meeting;
- meeting numbers never decrease as dates increase;
- an item is used once within a meeting.

Gaps are allowed, in items and in meetings: the agenda holds matters that are not in the registry.

A new resolution starts as a skeleton whose unknown texts are placeholders starting with `TODO`; `regdoc check`
warns about every placeholder left, so a draft is never taken for a finished resolution.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

from regdoc.data import model as m
from regdoc.errors import RegdocError, nearest
from regdoc.i18n import _
from regdoc.phrasing import for_lang

MAX_NUMBER = 9999  # meeting and item numbers have at most four digits (see the resolution id's pattern)
PLACEHOLDER = "TODO"
_PLACEHOLDER = re.compile(r"\bTODO\b")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NUMBER = re.compile(r"^[1-9][0-9]{0,3}$")


# ----- arguments --------------------------------------------------------------------------------------------

def parse_date(value: str, what: str = "date") -> date:
    """Return the date written YYYY-MM-DD; raise RegdocError for anything else (no other forms, no paths)."""
    text = str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            from regdoc.data.schemas import no_such_day

            year, month, day = (int(part) for part in text.split("-"))
            raise RegdocError(_("{what} '{value}' is not a calendar date: {exc}").format(
                                  what=what, value=value, exc=no_such_day(year, month, day) or exc)) from None
    raise RegdocError(_("{what} '{value}' is not a date of the form YYYY-MM-DD (e.g. 2026-02-20)").format(
                          what=what, value=value))


def parse_number(value: str | int, what: str) -> int:
    """Return a meeting or item number 1..9999; raise RegdocError for anything else."""
    text = str(value).strip()
    if not _NUMBER.fullmatch(text):
        raise RegdocError(_("{what} '{value}' is not a number from 1 to {max_number}").format(
                              what=what, value=value, max_number=MAX_NUMBER))
    return int(text)


def clean_title(value: str, lang: str) -> str:
    """Return a title given on the command line, trimmed; raise RegdocError when it is empty or not plain text."""
    title = value.strip()
    if not title:
        raise RegdocError(_("--title-{lang} is empty; give the title or leave the option out (a TODO stands in)").format(
                              lang=lang))
    for char in title:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in "\u200c\u200d":
            raise RegdocError(_("--title-{lang} holds the control character U+{ord:04X}; a title is one line of "
                                "plain text").format(lang=lang, ord=ord(char)))
    return title


# ----- periods and meetings ---------------------------------------------------------------------------------

def numbering_of(registry: Optional[m.Registry]) -> str:
    """Return the declared numbering, or `per_year` (the weaker rule, never a false error) when undeclared."""
    return registry.numbering if registry is not None else "per_year"


def period_of(when: date, numbering: str) -> Optional[int]:
    """Return the numbering period of a date: its year (per_year), or None (continuous: one period)."""
    if numbering not in m.NUMBERING:
        raise ValueError(f"unknown numbering '{numbering}'")
    return when.year if numbering == "per_year" else None


def period_words(when: date, numbering: str) -> str:
    """Return how messages name the period of a date: 'within 2026' or 'in continuous numbering'."""
    period = period_of(when, numbering)
    return _("within {year}").format(year=period) if period is not None else _("in continuous numbering")


@dataclass(frozen=True)
class Meeting:
    """A meeting as the registry knows it: its number, its date and the items of it in the registry."""

    number: int
    date: date
    items: tuple[int, ...]


def meetings(ids: Iterable[m.ResolutionId], when: date, numbering: str) -> list[Meeting]:
    """Return the meetings in the period of `when`, ordered by date and number."""
    period = period_of(when, numbering)
    items: dict[tuple[date, int], set[int]] = defaultdict(set)
    for rid in ids:
        if period_of(rid.date, numbering) == period:
            items[(rid.date, rid.meeting)].add(rid.item)
    return [Meeting(number, day, tuple(sorted(found))) for (day, number), found in sorted(items.items())]


def meeting_of(ids: Iterable[m.ResolutionId], when: date, numbering: str) -> Optional[int]:
    """Return the number of the meeting held on `when`, None when the registry has none on that date."""
    numbers = sorted({meeting.number for meeting in meetings(ids, when, numbering) if meeting.date == when})
    if len(numbers) > 1:
        raise RegdocError(_("{when} is the date of meetings {meetings}: a date holds one meeting; correct resolutions/ "
                            "first (see `regdoc check`)").format(
                              when=when.isoformat(), meetings=", ".join(_("No {number}").format(number=n) for n in numbers)))
    return numbers[0] if numbers else None


def meeting_conflict(ids: Iterable[m.ResolutionId], when: date, number: int, numbering: str) -> Optional[str]:
    """Return why meeting No `number` cannot be dated `when` under the rules, or None when it can."""
    found = meetings(ids, when, numbering)
    period = period_words(when, numbering)
    day = when.isoformat()
    for meeting in found:
        if meeting.date == when and meeting.number != number:
            return _("{day} is the date of meeting No {number}: a date holds one meeting (leave out --meeting, or "
                     "give {number})").format(day=day, number=meeting.number)
    for meeting in found:
        if meeting.number == number and meeting.date != when:
            return _("meeting No {number} was held on {date} ({period}): a meeting has one date").format(
                number=number, date=meeting.date.isoformat(), period=period)
    earlier = [mt for mt in found if mt.date < when and mt.number >= number]
    if earlier:
        last = max(earlier, key=lambda mt: (mt.number, mt.date))
        return _("meeting No {other} was held earlier, on {date}: meeting numbers never decrease as dates increase "
                 "({period}), so No {number} cannot be dated {day}").format(
            other=last.number, date=last.date.isoformat(), period=period, number=number, day=day)
    later = [mt for mt in found if mt.date > when and mt.number <= number]
    if later:
        first = min(later, key=lambda mt: (mt.number, mt.date))
        return _("meeting No {other} was held later, on {date}: meeting numbers never decrease as dates increase "
                 "({period}), so No {number} cannot be dated {day}").format(
            other=first.number, date=first.date.isoformat(), period=period, number=number, day=day)
    return None


@dataclass(frozen=True)
class Plan:
    """The number a new resolution gets, and how its meeting was found (for the note printed to the user)."""

    id: m.ResolutionId
    new_meeting: bool  # no resolution of the registry stood on this date before
    previous: Optional[Meeting]  # the last meeting before the date in its period, when the meeting is new


def plan_resolution(ids: Iterable[m.ResolutionId], when: date, numbering: str,
                    meeting: Optional[int] = None, item: Optional[int] = None) -> Plan:
    """Return the number of a new resolution dated `when`: its meeting and the next free item of that meeting.

    The meeting is `meeting` when given (checked against the rules), else the meeting already held on that date,
    else the previous meeting's number + 1 within the period (1 for the period's first). The item is `item` when
    given and free, else one more than the highest item of that meeting (gaps stay: they are other matters of the
    agenda, whose resolutions are not kept here).
    """
    ids = list(ids)
    held = meeting_of(ids, when, numbering)
    before = [mt for mt in meetings(ids, when, numbering) if mt.date < when]
    previous = max(before, key=lambda mt: (mt.number, mt.date)) if before else None
    if meeting is not None:
        number = parse_number(meeting, "meeting")
    elif held is not None:
        number = held
    else:
        number = previous.number + 1 if previous else 1
    conflict = meeting_conflict(ids, when, number, numbering)
    if conflict and meeting is None:
        after = [mt for mt in meetings(ids, when, numbering) if mt.date > when]
        nxt = min(after, key=lambda mt: (mt.number, mt.date))
        low = (_("No {number} was held on {date}").format(number=previous.number, date=previous.date.isoformat())
               if previous else _("none was held before"))
        raise RegdocError(_("no meeting number fits {when} ({period_words}): {low} and No {number} on {date}, and "
                            "no number lies between them; correct the dates in resolutions/").format(
                              when=when.isoformat(),
                              period_words=period_words(when, numbering),
                              low=low,
                              number=nxt.number,
                              date=nxt.date.isoformat()))
    if conflict:
        raise RegdocError(_("--meeting {number}: {conflict}").format(number=number, conflict=conflict))
    if number > MAX_NUMBER:
        raise RegdocError(_("meeting No {number} is beyond the highest number an id holds ({max_number})").format(
                              number=number, max_number=MAX_NUMBER))
    period = period_of(when, numbering)
    taken = {rid.item for rid in ids if rid.meeting == number and period_of(rid.date, numbering) == period}
    free = 1 + max(taken, default=0)
    if item is not None:
        if not 1 <= item <= MAX_NUMBER:
            raise RegdocError(_("--item {item}: an item is a number from 1 to {max_number}").format(
                                  item=item, max_number=MAX_NUMBER))
        if item in taken:
            raise RegdocError(_("--item {item}: meeting No {number} already has a resolution of item {item}; the next "
                                "free item is {free}").format(item=item, number=number, free=free))
    elif free > MAX_NUMBER:
        raise RegdocError(_("meeting No {number} of {when} has used every item up to {max_number}").format(
                              number=number, when=when.isoformat(), max_number=MAX_NUMBER))
    chosen = item if item is not None else free
    return Plan(m.ResolutionId(when, number, chosen), held is None, previous if held is None else None)


# ----- the rules over the whole registry (for `regdoc check`) -----------------------------------------------

def registry_problems(resolutions: Iterable[m.Resolution], numbering: str) -> list[RegdocError]:
    """Return an error for every resolution that breaks a numbering rule within its period."""
    out: list[RegdocError] = []
    by_period: dict[Optional[int], list[m.Resolution]] = defaultdict(list)
    for r in resolutions:
        by_period[period_of(r.id.date, numbering)].append(r)
    for group in by_period.values():
        group.sort(key=lambda r: (r.id, r.where.file or ""))
        period = period_words(group[0].id.date, numbering)
        dates_of: dict[int, dict[date, list[m.Resolution]]] = defaultdict(lambda: defaultdict(list))
        numbers_of: dict[date, dict[int, list[m.Resolution]]] = defaultdict(lambda: defaultdict(list))
        for r in group:
            dates_of[r.id.meeting][r.id.date].append(r)
            numbers_of[r.id.date][r.id.meeting].append(r)
        for number, dates in sorted(dates_of.items()):
            first = min(dates)
            for day in sorted(dates)[1:]:
                for r in dates[day]:
                    out.append(r.where.error(
                        _("meeting No {number} is dated {day} here but {first} in {file}: a meeting is held on one "
                          "date ({period})").format(
                            number=number,
                            day=day.isoformat(),
                            first=first.isoformat(),
                            file=dates[first][0].where.file,
                            period=period), "id"))
        for day, numbers in sorted(numbers_of.items()):
            first_number = min(numbers)
            for number in sorted(numbers)[1:]:
                for r in numbers[number]:
                    out.append(r.where.error(
                        _("{day} is the date of meeting No {first_number} ({file}) and of No {number} here: a date "
                          "holds one meeting").format(
                            day=day.isoformat(),
                            first_number=first_number,
                            file=numbers[first_number][0].where.file,
                            number=number),
                        "id"))
        highest: Optional[tuple[int, date]] = None  # the highest meeting number on a strictly earlier date
        pairs = sorted({(r.id.date, r.id.meeting) for r in group})
        for day in sorted({d for d, _ in pairs}):
            today = [n for d, n in pairs if d == day]
            for number in today:
                if highest is not None and number < highest[0]:
                    for r in dates_of[number][day]:
                        out.append(r.where.error(
                            _("meeting No {number} of {day} comes after meeting No {highest} of {highest2}: meeting "
                              "numbers never decrease as dates increase ({period})").format(
                                number=number,
                                day=day.isoformat(),
                                highest=highest[0],
                                highest2=highest[1].isoformat(),
                                period=period),
                            "id"))
            top = max(today)
            if highest is None or top > highest[0]:
                highest = (top, day)
        users: dict[tuple[int, int], dict[m.ResolutionId, m.Resolution]] = defaultdict(dict)
        for r in group:
            users[(r.id.meeting, r.id.item)].setdefault(r.id, r)
        for (number, item), by_id in sorted(users.items()):
            if len(by_id) > 1:
                first_r, *others = by_id.values()
                for r in others:
                    out.append(r.where.error(_("item {item} of meeting No {number} is already used by {id} "
                                               "({file}): an item is used once within a meeting ({period})").format(
                                                 item=item,
                                                 number=number,
                                                 id=first_r.id,
                                                 file=first_r.where.file,
                                                 period=period), "id"))
    return out


def reference_problem(rid: m.ResolutionId, resolutions: Iterable[m.Resolution]) -> Optional[str]:
    """Return why a reference to resolution `rid` (adopted_by, an evaluation's approval) is dangling, or None."""
    known = [str(r.id) for r in resolutions]
    if str(rid) in known:
        return None
    return _("resolution {id} is not in resolutions/{suggestion}").format(id=rid,
                                                                          suggestion=nearest(str(rid), known))


# ----- drafts -----------------------------------------------------------------------------------------------

def _texts(r: m.Resolution) -> list[tuple[m.Where, str, m.Text]]:
    out = [(r.where, "title", r.title), (r.where, "preamble", r.preamble)]
    out += [(item.where, "text", item.text) for item in r.items if item.text is not None]
    out += [(r.where, "signatory.position", r.signatory.position), (r.where, "signatory.name", r.signatory.name)]
    return out


def placeholder_warnings(r: m.Resolution) -> list[RegdocError]:
    """Return a warning for every text of the resolution that still holds a TODO placeholder."""
    out = []
    for where, key, text in _texts(r):
        langs = [lang for lang, value in text.items() if _PLACEHOLDER.search(value)]
        if langs:
            if len(langs) == 2:
                message = _("unfinished draft: the kk and ru texts still hold the placeholder {placeholder}; write "
                            "the text as issued").format(placeholder=PLACEHOLDER)
            else:
                message = _("unfinished draft: the {lang} text still holds the placeholder {placeholder}; write the "
                            "text as issued").format(lang=langs[0], placeholder=PLACEHOLDER)
            out.append(where.error(message, key))
    return out


def is_draft(r: m.Resolution) -> bool:
    """Return whether any text of the resolution still holds a TODO placeholder."""
    return any(_PLACEHOLDER.search(value) for _, _, text in _texts(r) for _, value in text.items())


# ----- the skeleton of a new resolution ---------------------------------------------------------------------

def _placeholder(part: str, number: Optional[int] = None) -> dict:
    return {lang: f"{PLACEHOLDER}: {for_lang(lang).draft_placeholder(part, number)}" for lang in m.LANGS}


def skeleton(rid: m.ResolutionId, title: Optional[dict] = None) -> dict:
    """Return the plain data of a new resolution: schema-valid, bilingual, every unknown text a TODO placeholder.

    `title` maps a language to the title given for it; a language not given gets a placeholder.
    """
    given = {lang: value for lang, value in (title or {}).items() if value}
    placeholder = _placeholder("title")
    return {
        "id": str(rid),
        "source": "issued",
        "title": {lang: given.get(lang, placeholder[lang]) for lang in m.LANGS},
        "preamble": _placeholder("preamble"),
        "items": [{"number": 1, "text": _placeholder("item", 1)}],
        "signatory": {"position": _placeholder("position"), "name": _placeholder("name")},
    }


def skeleton_yaml(rid: m.ResolutionId, title: Optional[dict] = None) -> str:
    """Return the text of a new resolution's file: a comment saying what is to be done, then the skeleton."""
    import yaml

    header = (
        f"# Resolution of the Executive Committee of {rid.date.isoformat()}, meeting (protocol) No {rid.meeting}, "
        f"item {rid.item}.\n"
        "# The number was assigned by `regdoc resolution new` and never changes: do not rename this file or edit\n"
        "# its id. DRAFT: every text starting with TODO is a placeholder, and `regdoc check` warns about each one\n"
        "# until it holds the text as issued (Kazakh first, then Russian). Add the items as issued (number and text;\n"
        "# places, rewards or amendment where an item carries them) and `evaluation` when it approves a year's\n"
        "# results. `source: issued` says this file is to hold the resolution exactly as issued.\n"
    )
    body = yaml.safe_dump(skeleton(rid, title), allow_unicode=True, sort_keys=False, default_flow_style=False,
                          width=1_000_000)
    return header + body
