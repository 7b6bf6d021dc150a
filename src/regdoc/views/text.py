"""Views of editions, unit histories and comparisons for the command line: text (aligned, for a terminal),
markdown, and json (stable, for scripts). Pure: values in, a string out; the words come from phrasing.

JSON shapes (keys are stable; dates are ISO strings; `lang` says which language the texts are in):

regulation  {"as_of", "in_force", "lang", "title", "amendments": [id...], "drafts": [id...],
             "units": [{"id", "kind", "deleted", "text", "notes": [str...]}],
             "appendix": {"title", "notes": [str...], "prize_places", "rewards": {"basis", "count", "min_points"},
                          "blocks": [{"id", "title", "main", "max_points",
                                      "indicators": [{"id", "title", "unit", "rule", "max_points"}]}]}}
             `text` of a deleted unit is what stands in its place («Алып тасталды - ...»); `max_points` is null
             when not bounded; `rule` is the rule in words.
history     {"unit", "kind", "lang", "wordings": [{"in_force", "action", "amendment", "resolution", "draft",
             "deleted", "text"}]}   action: initial | replaced | inserted | words_replaced | deleted; amendment and
             resolution (id like 2026-02-20/9/7) are null for the initial edition when unknown.
diff        {"from": POINT, "to": POINT, "lang", "counts": {"added", "deleted", "changed", "unchanged"},
             "appendix_changed": bool,
             "units": [{"id", "kind", "status", "old", "new", "words": [[op, text]...]}]}
             every unit is listed; old/new are null where the unit is absent; words (ops equal | delete |
             insert) only for changed units.
criteria    {"from": POINT, "to": POINT, "lang", "changed": bool, "settings": [{"name", "old", "new"}],
diff         "blocks": [{"id", "number": {"old", "new"}, "status", "aspects", "title": {"old", "new"},
                         "main": {"old", "new"}, "max_points": {"old", "new", "change"},
                         "indicators": [{"id", "status", "aspects", "row": {"old", "new"}, "moved",
                                         "title": {"old", "new"}, "rule": {"old", "new"},
                                         "max_points": {"old", "new"}}]}]}
             row: the indicator's row numbers in the two tables («6.3», «6.2»); moved: they differ
             status: added | removed | changed | unchanged; aspects of an indicator: title (renamed), rule
             (re-weighted), unit, ratio, missing; of a block: title, main.
POINT       {"ref", "kind": date | amendment | year, "date", "in_force", "amendments": [id...], "drafts": [id...]}
drafts      the amendments whose adopting resolution does not exist yet (shown, marked as drafts: the text views
            print a line «ЖОБА: ...» / «ПРОЕКТ: ...», their notes end «(жоба)» / «(проект)»)
"""
from __future__ import annotations

import json
import shutil
import sys
import textwrap
from typing import Optional

from regdoc.data import model as m
from regdoc.phrasing import for_lang
from regdoc.phrasing.common import short_date
from regdoc.versioning.amend import APPENDIX, Edition, Point, Wording
from regdoc.versioning.diff import CriteriaDiff, EditionDiff, Segment, block_max_points, max_points
from regdoc.versioning.notes import deleted_text, notes
from regdoc.views.tables import markdown_table, text_table

_BOLD, _RED, _GREEN, _DIM, _RESET = "\033[1m", "\033[31m", "\033[32m", "\033[2m", "\033[0m"


def _width() -> int:
    """The width text wraps at: the terminal's (60 to 140) when the output goes to one, else 100, so that text
    written to a file or a pipe is the same whatever COLUMNS the environment holds."""
    if not sys.stdout.isatty():
        return 100
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 140))


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _wrap(text: str, indent: str = "", width: Optional[int] = None) -> list[str]:
    width = width or _width()
    out = []
    for paragraph in text.split("\n"):
        out += textwrap.wrap(paragraph, width, initial_indent=indent, subsequent_indent=indent) or [indent]
    return out


def _num(value) -> Optional[float | int]:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _point_json(p: Point) -> dict:
    return {"ref": p.ref, "kind": p.kind, "date": p.when.isoformat(), "in_force": p.edition.in_force.isoformat(),
            "amendments": list(p.edition.amendments), "drafts": list(p.edition.drafts)}


def drafts_lines(lang: str, *points: Point) -> list[str]:
    """Return the line that marks a view showing draft amendments (whose resolution does not exist yet), or []."""
    names = list(dict.fromkeys(name for p in points for name in p.edition.drafts))
    return [for_lang(lang).drafts_line(names)] if names else []


def point_label(p: Point) -> str:
    """Return «01.01.2025», «20.02.2026 (2026-02-20)» for an edition id, «2025 (31.12.2025)» for a year."""
    if p.kind == "date":
        return short_date(p.when)
    return f"{short_date(p.when)} ({p.ref})" if p.kind == "amendment" else f"{p.ref} ({short_date(p.when)})"


# ----- the Regulation at a date ---------------------------------------------------------------------------------

def _visible(edition: Edition, unit: m.Unit) -> bool:
    """A unit deleted with its parent is not shown: the parent's «deleted» stands for both."""
    parent = edition.unit(unit.parent) if unit.parent else None
    return not (unit.deleted and parent is not None and parent.deleted)


def regulation_json(regulation: m.RegulationInfo, p: Point, lang: str) -> dict:
    edition = p.edition
    phrasing = for_lang(lang)
    units = []
    for unit in edition.units:
        if not _visible(edition, unit):
            continue
        text = deleted_text(edition, unit.id, lang, regulation) if unit.deleted else unit.text[lang]
        units.append({"id": unit.id, "kind": unit.kind, "deleted": unit.deleted, "text": text,
                      "notes": notes(edition, unit.id, lang, regulation)})
    criteria = edition.appendix
    blocks = [{"id": b.id, "title": b.title[lang], "main": b.main, "max_points": _num(block_max_points(b)),
               "indicators": [{"id": i.id, "title": i.title[lang], "unit": i.unit,
                               "rule": phrasing.rule_text(i.rule, i.unit), "max_points": _num(max_points(i.rule))}
                              for i in b.indicators]}
              for b in criteria.blocks]
    return {"as_of": p.when.isoformat(), "in_force": edition.in_force.isoformat(), "lang": lang,
            "title": regulation.title[lang], "amendments": list(edition.amendments),
            "drafts": list(edition.drafts), "units": units,
            "appendix": {"title": regulation.appendix_title[lang], "notes": notes(edition, APPENDIX, lang, regulation),
                         "prize_places": criteria.prize_places,
                         "rewards": {"basis": criteria.rewards.basis, "count": criteria.rewards.count,
                                     "min_points": criteria.rewards.min_points},
                         "blocks": blocks}}


def regulation_view(regulation: m.RegulationInfo, p: Point, lang: str, fmt: str, colour: bool = False) -> str:
    """Return the Regulation in force at point `p` with its amendment notes and Appendix 1."""
    data = regulation_json(regulation, p, lang)
    if fmt == "json":
        return _dump(data)
    phrasing = for_lang(lang)
    terms = phrasing.TERMS
    heading = phrasing.edition_as_of(p.when)
    drafts = drafts_lines(lang, p)
    if fmt == "md":
        out = [f"# {data['title']}", "", f"*{heading}*", ""] + [f"**{d}**" for d in drafts] + ([""] if drafts else [])
        for unit in data["units"]:
            out += [f"> {n}" for n in unit["notes"]] + ([""] if unit["notes"] else [])
            if unit["kind"] == "section":
                out += [f"## {unit['id']}. {unit['text']}", ""]
            else:
                paragraphs = unit["text"].split("\n")
                out += [f"{unit['id']}. {paragraphs[0]}"] + [f"\n{x}" for x in paragraphs[1:]] + [""]
        appendix = data["appendix"]
        out += [f"## {terms['appendix']}. {appendix['title']}", ""]
        out += [f"> {n}" for n in appendix["notes"]] + ([""] if appendix["notes"] else [])
        for block in appendix["blocks"]:
            main = f" ({terms['main_block']})" if block["main"] else ""
            out += [f"### {block['title']}{main}", ""]
            out += markdown_table([terms["indicator"], terms["rule"], terms["max_points"]],
                                  [[i["title"], i["rule"], phrasing.max_points_text(i["max_points"])]
                                   for i in block["indicators"]]).splitlines()
            out += ["", f"{terms['max_points']}: {phrasing.max_points_text(block['max_points'])}", ""]
        return "\n".join(out).rstrip() + "\n"
    bold = (lambda s: f"{_BOLD}{s}{_RESET}") if colour else (lambda s: s)
    dim = (lambda s: f"{_DIM}{s}{_RESET}") if colour else (lambda s: s)
    out = [bold(data["title"]), heading] + [bold(d) for d in drafts]
    for unit in data["units"]:
        for n in unit["notes"]:
            out += [dim(line) for line in _wrap(n, "    ")]
        if unit["kind"] == "section":
            out += ["", bold(f"{unit['id']}. {unit['text']}")]
        else:
            out += _wrap(f"{unit['id']}. {unit['text']}")
    appendix = data["appendix"]
    out += ["", bold(f"{terms['appendix']}. {appendix['title']}")]
    for n in appendix["notes"]:
        out += [dim(line) for line in _wrap(n, "    ")]
    width = _width()
    for block in appendix["blocks"]:
        main = f" ({terms['main_block']})" if block["main"] else ""
        out += ["", bold(f"{block['title']}{main}")]
        rows = [[i["title"], i["rule"], phrasing.max_points_text(i["max_points"])] for i in block["indicators"]]
        rows.append([terms["total"], "", phrasing.max_points_text(block["max_points"])])
        text_width = max(20, (width - 18) // 2)
        out += text_table([terms["indicator"], terms["rule"], terms["max_points"]], rows,
                          [text_width, text_width, 14]).splitlines()
    return "\n".join(out) + "\n"


# ----- the history of a unit ------------------------------------------------------------------------------------

def history_json(wordings: tuple[Wording, ...], lang: str) -> dict:
    return {"unit": wordings[0].unit, "kind": wordings[0].kind, "lang": lang,
            "wordings": [{"in_force": w.in_force.isoformat(), "action": w.action, "amendment": w.amendment,
                          "resolution": str(w.adopted_by) if w.adopted_by else None, "draft": w.draft,
                          "deleted": w.deleted, "text": w.text[lang]} for w in wordings]}


def history_view(wordings: tuple[Wording, ...], lang: str, fmt: str, colour: bool = False) -> str:
    """Return every wording a unit has had, oldest first, with dates and resolutions."""
    if fmt == "json":
        return _dump(history_json(wordings, lang))
    phrasing = for_lang(lang)
    terms = phrasing.TERMS
    first = wordings[0]
    rows = [[short_date(w.in_force), _resolution_cell(w, phrasing), terms[w.action], w.text[lang]] for w in wordings]
    headers = [terms["date"], terms["resolution"], terms["action"], terms["wording"]]
    title = phrasing.unit_name(first.kind, first.unit)
    if fmt == "md":
        return "\n".join([f"# {title}", ""] + markdown_table(headers, rows).splitlines()) + "\n"
    wording_width = max(30, _width() - 10 - 24 - 20 - 6)
    heading = f"{_BOLD}{title}{_RESET}" if colour else title
    return "\n".join([heading, ""] + text_table(headers, rows, [10, 24, 20, wording_width]).splitlines()) + "\n"


def _resolution_cell(w: Wording, phrasing) -> str:
    if not w.adopted_by:
        return "—"
    number = phrasing.resolution_number(w.adopted_by)
    return f"{number} ({phrasing.DRAFT})" if w.draft else number


# ----- edition diff ---------------------------------------------------------------------------------------------

def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\*_~`[]<>#|" else c for c in text)


def _md_mark(text: str, mark: str) -> str:
    """Return `text` between markdown marks, line by line, with the spaces at its ends kept outside them."""
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            out.append(line)
            continue
        lead, trail = line[:len(line) - len(line.lstrip())], line[len(line.rstrip()):]
        out.append(f"{lead}{mark}{_md_escape(core)}{mark}{trail}")
    return "\n".join(out)


def _segments_text(segments: tuple[Segment, ...], fmt: str, colour: bool) -> str:
    out = []
    for s in segments:
        if s.op == "equal":
            out.append(_md_escape(s.text) if fmt == "md" else s.text)
        elif fmt == "md":
            out.append(_md_mark(s.text, "~~" if s.op == "delete" else "**"))
        elif colour:
            out.append(f"{_RED if s.op == 'delete' else _GREEN}{s.text}{_RESET}")
        else:
            out.append(f"[-{s.text}-]" if s.op == "delete" else f"{{+{s.text}+}}")
    return "".join(out)


def diff_json(a: Point, b: Point, d: EditionDiff, lang: str) -> dict:
    units = []
    for u in d.units:
        units.append({"id": u.id, "kind": u.kind, "status": u.status,
                      "old": u.old.text[lang] if u.old else None, "new": u.new.text[lang] if u.new else None,
                      "words": [[s.op, s.text] for s in u.words_of(lang)]})
    return {"from": _point_json(a), "to": _point_json(b), "lang": lang, "counts": d.counts(),
            "appendix_changed": d.appendix_changed, "units": units}


def diff_view(a: Point, b: Point, d: EditionDiff, lang: str, fmt: str, colour: bool = False) -> str:
    """Return the units added, deleted and changed from `a` to `b` (word-level inside changed units)."""
    if fmt == "json":
        return _dump(diff_json(a, b, d, lang))
    phrasing = for_lang(lang)
    terms = phrasing.TERMS
    title = f"{point_label(a)} → {point_label(b)}"
    touched = [u for u in d.units if u.status != "unchanged"]
    counts = d.counts()
    summary = " · ".join(f"{terms[s]}: {counts[s]}" for s in ("added", "deleted", "changed", "unchanged"))
    appendix = terms["appendix_changed"] if d.appendix_changed else terms["appendix_unchanged"]
    rows = [[phrasing.unit_name(u.kind, u.id), terms[u.status]] for u in touched]
    md = fmt == "md"
    out = [f"# {title}", ""] if md else [f"{_BOLD}{title}{_RESET}" if colour else title, ""]
    out += [f"**{d}**" if md else d for d in drafts_lines(lang, a, b)] + ([""] if drafts_lines(lang, a, b) else [])
    if rows:
        out += (markdown_table([terms["unit"], terms["status"]], rows).splitlines() if md
                else text_table([terms["unit"], terms["status"]], rows).splitlines())
    else:
        out.append(terms["no_changes"])
    out += ["", summary, appendix]
    for u in touched:
        name = phrasing.unit_name(u.kind, u.id)
        out += ["", f"## {name} ({terms[u.status]})" if md else f"{name} ({terms[u.status]})"]
        if u.status == "changed":
            body = _segments_text(u.words_of(lang), fmt, colour)
        elif u.status == "added":
            body = _segments_text((Segment("insert", u.new.text[lang]),), fmt, colour)
        else:
            body = _segments_text((Segment("delete", (u.old or u.new).text[lang]),), fmt, colour)
        out += [("" if md else "  ") + line for line in body.split("\n")]
    return "\n".join(out) + "\n"


# ----- criteria diff --------------------------------------------------------------------------------------------

def _old_new(old, new) -> dict:
    return {"old": old, "new": new}


def criteria_diff_json(a: Point, b: Point, cd: CriteriaDiff, lang: str) -> dict:
    phrasing = for_lang(lang)

    def rule(ind):
        return phrasing.rule_text(ind.rule, ind.unit) if ind else None

    blocks = []
    for bd in cd.blocks:
        indicators = [{"id": i.id, "status": i.status, "aspects": list(i.aspects),
                       "row": _old_new(i.old_row, i.new_row), "moved": i.moved,
                       "title": _old_new(i.old.title[lang] if i.old else None, i.new.title[lang] if i.new else None),
                       "rule": _old_new(rule(i.old), rule(i.new)),
                       "max_points": _old_new(_num(max_points(i.old.rule)) if i.old else None,
                                              _num(max_points(i.new.rule)) if i.new else None)}
                      for i in bd.indicators]
        blocks.append({"id": bd.id, "number": _old_new(bd.old_number, bd.new_number), "status": bd.status,
                       "aspects": list(bd.aspects),
                       "title": _old_new(bd.old.title[lang] if bd.old else None,
                                         bd.new.title[lang] if bd.new else None),
                       "main": _old_new(bd.old.main if bd.old else None, bd.new.main if bd.new else None),
                       "max_points": {"old": _num(bd.old_max), "new": _num(bd.new_max),
                                      "change": _num(bd.max_change)},
                       "indicators": indicators})
    return {"from": _point_json(a), "to": _point_json(b), "lang": lang, "changed": cd.changed,
            "settings": [{"name": s.name, "old": s.old, "new": s.new} for s in cd.settings], "blocks": blocks}


def indicator_status(i, terms) -> str:
    """Return what happened to an indicator in words: «added», «renamed; re-weighted», «changed (unit)» ..."""
    if i.status != "changed":
        return terms["renumbered"] if i.status == "unchanged" and i.moved else terms[i.status]
    words = []
    if i.renamed:
        words.append(terms["renamed"])
    if i.reweighted:
        words.append(terms["reweighted"])
    rest = [a for a in i.aspects if a not in ("title", "rule")]
    if rest or not words:
        words.append(f"{terms['changed']} ({', '.join(terms['aspect_' + r] for r in rest)})" if rest
                     else terms["changed"])
    return "; ".join(words)


def max_change_text(bd, phrasing) -> str:
    """Return a block's maximum points before and after: «2 600 ұпай → 2 700 ұпай (+100)», or one value."""
    old = phrasing.max_points_text(bd.old_max) if bd.old else "—"
    new = phrasing.max_points_text(bd.new_max) if bd.new else "—"
    if bd.max_change:
        sign = "+" if bd.max_change > 0 else "−"
        return f"{old} → {new} ({sign}{phrasing.number(abs(bd.max_change))})"
    return new if old == new else f"{old} → {new}"


def criteria_diff_view(a: Point, b: Point, cd: CriteriaDiff, lang: str, fmt: str, colour: bool = False) -> str:
    """Return the blocks and indicators added, removed, renamed and re-weighted, old and new rule side by side,
    and each block's maximum points before and after."""
    if fmt == "json":
        return _dump(criteria_diff_json(a, b, cd, lang))
    phrasing = for_lang(lang)
    terms = phrasing.TERMS
    md = fmt == "md"
    title = f"{terms['appendix']}: {point_label(a)} → {point_label(b)}"
    out = [f"# {title}", ""] if md else [f"{_BOLD}{title}{_RESET}" if colour else title, ""]
    drafts = drafts_lines(lang, a, b)
    out += [f"**{d}**" if md else d for d in drafts] + ([""] if drafts else [])
    if not cd.changed:
        return "\n".join(out + [terms["no_changes"]]) + "\n"
    for s in cd.settings:
        out.append(f"{terms['settings']}: {terms[s.name]}: {s.old} → {s.new}")
    if cd.settings:
        out.append("")
    headers = [terms["row"], terms["indicator"], terms["status"], terms["old"], terms["new"]]
    width = _width()
    text_width = max(18, (width - 10 - 24 - 22 - 8) // 2)
    for bd in cd.blocks:
        if bd.status == "unchanged":
            continue
        titles = [t for t in (bd.old.title[lang] if bd.old else None, bd.new.title[lang] if bd.new else None) if t]
        name = titles[-1] if len(set(titles)) == 1 else " → ".join(titles)
        aspects = []
        if bd.renamed:
            aspects.append(terms["renamed"])
        if "main" in bd.aspects:
            aspects.append(terms["became_main"] if bd.new.main else terms["no_longer_main"])
        status = "; ".join([terms[bd.status]] + aspects)
        most = terms["max_points"][:1].lower() + terms["max_points"][1:]
        line = f"{terms['block']} «{name}» — {status}; {most}: {max_change_text(bd, phrasing)}"
        out += [f"## {line}" if md else (f"{_BOLD}{line}{_RESET}" if colour else line), ""]
        rows = []
        for i in bd.indicators:
            # one row per indicator: its numbers (both where it is renumbered), its old and its new wording
            if i.status == "unchanged" and not i.moved:
                continue
            title = (i.new or i.old).title[lang]
            if i.renamed:
                title = f"{i.old.title[lang]} → {i.new.title[lang]}"
            number = f"{i.old_row} → {i.new_row}" if i.moved else (i.old_row or i.new_row)
            rows.append([number, title, indicator_status(i, terms),
                         phrasing.rule_text(i.old.rule, i.old.unit) if i.old else "—",
                         phrasing.rule_text(i.new.rule, i.new.unit) if i.new else "—"])
        if rows:
            out += (markdown_table(headers, rows) if md
                    else text_table(headers, rows, [10, 24, 22, text_width, text_width])).splitlines()
            out.append("")
    return "\n".join(out).rstrip() + "\n"
