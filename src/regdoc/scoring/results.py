"""Scored results as tables, text, Markdown and JSON in one language (Kazakh or Russian).

Pure: Results in, rows and strings out. Words come from the phrasing modules; numbers keep every decimal they
have (`exact`), so a total printed here is the total computed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Optional, Sequence

from regdoc.data import model as m
from regdoc.phrasing import for_lang
from regdoc.scoring.score import Explanation, Results


@dataclass(frozen=True)
class Table:
    """A table: headings and rows of plain values (str, int, Decimal, None); `numeric` marks number columns."""

    headings: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    numeric: tuple[bool, ...]


def names(organisations: Sequence[m.Organisation], year: int, lang: str) -> dict[str, str]:
    """Return each organisation's name as it was on 31 December of `year`, with its legal form."""
    p = for_lang(lang)
    end = date(year, 12, 31)
    return {o.id: p.organisation(o.name_at(end)[lang], o.legal_form) for o in organisations}


def number(value: Decimal) -> int | Decimal:
    """Return a whole Decimal as int, others as a normalised Decimal (for spreadsheets and JSON)."""
    return int(value) if value == value.to_integral_value() else value.normalize()


# ----- tables -----------------------------------------------------------------------------------------------

def results_table(results: Results, org_names: dict[str, str], lang: str) -> Table:
    """Return the results: place, organisation, points per block, main blocks, total, prize place, reward."""
    p = for_lang(lang)
    blocks = results.criteria.blocks
    headings = (p.label("place"), p.label("organisation_id"), p.label("organisation")) + tuple(
        b.title[lang] + (f" ({p.label('main_block')})" if b.main else "") for b in blocks) + (
        p.label("main_blocks"), p.label("total"), p.label("prize"), p.label("reward"))
    rewards = set(results.rewards)
    rows = []
    for s in results.standings:
        rows.append((s.place, s.organisation, org_names.get(s.organisation, s.organisation))
                    + tuple(number(v) for _, v in s.blocks)
                    + (number(s.main_blocks), number(s.total), p.place(s.place) if s.prize else None,
                       p.yes_no(True) if s.organisation in rewards else None))
    numeric = (True, False, False) + (True,) * len(blocks) + (True, True, False, False)
    return Table(headings, tuple(rows), numeric)


def indicators_table(results: Results, org_names: dict[str, str], lang: str) -> tuple[tuple[str, ...], Table]:
    """Return the per-indicator table (value, points and rank of every indicator, one row per organisation, in
    place order) and the indicator title over each column (the first row of a two-row heading)."""
    p = for_lang(lang)
    top = ["", "", ""]
    headings = [p.label("place"), p.label("organisation_id"), p.label("organisation")]
    for scores in results.indicators:
        title = f"{scores.indicator.id}: {scores.indicator.title[lang]}"
        top += [title, "", ""]
        headings += [p.label("value"), p.label("points"), p.label("rank")]
    index = {org: i for i, org in enumerate(results.organisations)}
    rows = []
    for s in results.standings:
        i = index[s.organisation]
        row: list[Any] = [s.place, s.organisation, org_names.get(s.organisation, s.organisation)]
        for scores in results.indicators:
            row += [number(scores.values[i]), number(scores.points[i]), scores.ranks[i]]
        rows.append(tuple(row))
    numeric = (True, False, False) + (True,) * (3 * len(results.indicators))
    return tuple(top), Table(tuple(headings), tuple(rows), numeric)


def explanation_table(explanation: Explanation, lang: str) -> Table:
    """Return one organisation's explanation: block, indicator, value, rule, working, points, rank."""
    p = for_lang(lang)
    headings = (p.label("block"), p.label("indicator"), p.label("value"), p.label("rule"), p.label("working"),
                p.label("points"), p.label("rank"))
    rows = tuple((line.block.id, f"{line.indicator.id}: {line.indicator.title[lang]}", value_text(line, lang),
                  p.rule_text(line.indicator.rule, line.indicator.unit), p.working(line.working), number(line.points),
                  p.rank_of(line.rank, explanation.organisations)) for line in explanation.lines)
    return Table(headings, rows, (False, False, False, False, False, True, False))


def value_text(line, lang: str) -> str:
    """Return how a line's value came about: as reported, computed from a ratio, or not reported (zero)."""
    p = for_lang(lang)
    ind = line.indicator
    if ind.ratio is not None:
        text = p.ratio_text(line.numerator, line.denominator, line.value, ind.unit == "percent", line.zero_denominator)
    elif ind.unit == "yes_no":
        text = p.yes_no(line.value != 0)
    else:
        text = p.number(line.value)
    unit = "" if ind.unit == "yes_no" else f" {p.unit(ind.unit)}" if ind.unit != "count" else ""
    text += unit
    if line.not_reported:
        text += f" ({p.label('not_reported')}: {', '.join(line.not_reported)})"
    return text


# ----- text and Markdown ------------------------------------------------------------------------------------

def header_lines(results: Results, evaluation: Optional[m.Evaluation], lang: str) -> list[str]:
    p = for_lang(lang)
    lines = [p.results_title(results.year)]
    if evaluation is not None:
        lines.append(f"{p.label('criteria')}: {p.criteria_basis(evaluation.criteria_in_force)}")
        if evaluation.source == "sample":
            lines.append(p.label("sample"))
        elif evaluation.source == "file":
            lines.append(f"{p.label('scored_file')}: {evaluation.reports_file}")
    return lines


def _cell(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return for_lang(lang).number(value)
    return str(value)


def aligned(table: Table, lang: str, columns: Optional[Sequence[int]] = None) -> list[str]:
    """Return a table as aligned lines for a terminal (numbers right-aligned); the last column is not padded."""
    columns = list(columns if columns is not None else range(len(table.headings)))
    cells = [[table.headings[c] for c in columns]] + [[_cell(row[c], lang) for c in columns] for row in table.rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(columns))]
    out = []
    for r in cells:
        parts = []
        for k, c in enumerate(columns):
            last = k == len(columns) - 1
            if last:
                parts.append(r[k])
            elif table.numeric[c]:
                parts.append(r[k].rjust(widths[k]))
            else:
                parts.append(r[k].ljust(widths[k]))
        out.append("  ".join(parts).rstrip())
    return out


def markdown(table: Table, lang: str) -> list[str]:
    """Return a table as Markdown lines."""
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(esc(h) for h in table.headings) + " |",
           "|" + "|".join("---:" if n else "---" for n in table.numeric) + "|"]
    for row in table.rows:
        out.append("| " + " | ".join(esc(_cell(v, lang)) for v in row) + " |")
    return out


def _rewards_lines(results: Results, org_names: dict[str, str], lang: str, bullet: str) -> list[str]:
    p = for_lang(lang)
    lines = [p.label("rewards") + ":"]
    by_org = {s.organisation: s for s in results.standings}
    for org in results.rewards or ():
        s = by_org[org]
        lines.append(f"{bullet}{org_names.get(org, org)} ({org}): {p.label('main_blocks').lower()} – "
                     f"{p.number(s.main_blocks)}; {p.label('total').lower()} – {p.number(s.total)}")
    if not results.rewards:
        lines.append(f"{bullet}{p.label('none')}")
    return lines


def tie_lines(results: Results, org_names: dict[str, str], lang: str) -> list[str]:
    """Return a note for each tie at the last prize place or the last reward place (see score.CutoffTie)."""
    p = for_lang(lang)
    out = []
    for tie in results.ties:
        ind = results.criteria.indicator(tie.decided_by)
        names = [f"{org_names.get(org, org)} ({org})" for org in tie.organisations]
        out.append(p.cutoff_tie(tie.kind, names, tie.points, tie.decided_by, ind.title[lang] if ind else None))
    return out


def results_text(results: Results, evaluation: Optional[m.Evaluation], org_names: dict[str, str], lang: str,
                 bold=lambda s: s) -> str:
    """Return the results for a terminal: place, total, main-block points, prize place and name, then rewards."""
    table = results_table(results, org_names, lang)
    n_blocks = len(results.criteria.blocks)
    main_col, total_col, prize_col = 3 + n_blocks, 4 + n_blocks, 5 + n_blocks
    lines = [bold(line) for line in header_lines(results, evaluation, lang)] + [""]
    body = aligned(table, lang, [0, total_col, main_col, prize_col, 1, 2])
    lines += [bold(body[0])] + body[1:]
    lines += [""] + _rewards_lines(results, org_names, lang, "  - ")
    ties = tie_lines(results, org_names, lang)
    lines += [""] + [bold(f"! {line}") for line in ties] if ties else []
    return "\n".join(lines) + "\n"


def results_markdown(results: Results, evaluation: Optional[m.Evaluation], org_names: dict[str, str],
                     lang: str) -> str:
    """Return the results as Markdown: a heading, the table with points by block, and the reward candidates."""
    head = header_lines(results, evaluation, lang)
    lines = [f"# {head[0]}", ""] + [f"{line}  " for line in head[1:]] + [""]
    lines += markdown(results_table(results, org_names, lang), lang)
    lines += [""] + _rewards_lines(results, org_names, lang, "- ")
    ties = tie_lines(results, org_names, lang)
    lines += [""] + [f"> **{line}**" for line in ties] if ties else []
    return "\n".join(lines) + "\n"


def explanation_text(explanation: Explanation, org_names: dict[str, str], lang: str, year: int,
                     bold=lambda s: s) -> str:
    """Return one organisation's explanation for a terminal: every indicator's value, rule, working, points
    and rank, block subtotals, and the sum that makes the total."""
    p = for_lang(lang)
    s = explanation.standing
    lines = [bold(f"{org_names.get(s.organisation, s.organisation)} ({s.organisation}) – {p.results_title(year)}"),
             _standing_line(explanation, lang), ""]
    for block_id, block_points in s.blocks:
        block_lines = [line for line in explanation.lines if line.block.id == block_id]
        block = block_lines[0].block
        main = f" ({p.label('main_block')})" if block.main else ""
        lines.append(bold(f"{block.title[lang]}{main}: {p.number(block_points)}"))
        for line in block_lines:
            lines.append(f"  {line.indicator.id} – {line.indicator.title[lang]}")
            lines.append(f"      {p.label('value')}: {value_text(line, lang)}")
            lines.append(f"      {p.label('rule')}: {p.rule_text(line.indicator.rule, line.indicator.unit)}")
            lines.append(f"      {p.label('working')}: {p.working(line.working)}")
            lines.append(f"      {p.label('points')}: {p.number(line.points)};  {p.label('rank')}: "
                         f"{p.rank_of(line.rank, explanation.organisations)}")
        lines.append("")
    lines.append(_sum_line(explanation, lang))
    return "\n".join(lines) + "\n"


def _standing_line(explanation: Explanation, lang: str) -> str:
    p = for_lang(lang)
    s = explanation.standing
    text = f"{p.label('place')}: {s.place}"
    if s.prize:
        text += f" ({p.place(s.place)})"
    text += f";  {p.label('total')}: {p.number(s.total)};  {p.label('main_blocks')}: {p.number(s.main_blocks)}"
    if s.tie_break:
        key = s.tie_break
        ind = next((line.indicator for line in explanation.lines if line.indicator.id == key), None)
        text += f";  {p.tie_break(key, ind.title[lang] if ind else None)}"
    return text


def _sum_line(explanation: Explanation, lang: str) -> str:
    p = for_lang(lang)
    s = explanation.standing
    parts = " + ".join(p.number(v) if v >= 0 else f"({p.number(v)})" for _, v in s.blocks)
    return f"{p.label('total')}: {parts} = {p.number(s.total)}"


def explanation_markdown(explanation: Explanation, org_names: dict[str, str], lang: str, year: int) -> str:
    """Return one organisation's explanation as Markdown: a table per block and the sum."""
    p = for_lang(lang)
    s = explanation.standing
    lines = [f"# {org_names.get(s.organisation, s.organisation)} ({s.organisation})", "",
             f"{p.results_title(year)}  ", _standing_line(explanation, lang), ""]
    table = explanation_table(explanation, lang)
    for block_id, block_points in s.blocks:
        rows = tuple(r for r in table.rows if r[0] == block_id)
        block = next(line.block for line in explanation.lines if line.block.id == block_id)
        main = f" ({p.label('main_block')})" if block.main else ""
        lines += [f"## {block.title[lang]}{main}: {p.number(block_points)}", ""]
        lines += markdown(Table(table.headings[1:], tuple(r[1:] for r in rows), table.numeric[1:]), lang)
        lines.append("")
    lines.append(_sum_line(explanation, lang))
    return "\n".join(lines) + "\n"


# ----- JSON -------------------------------------------------------------------------------------------------

def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def results_json(results: Results, evaluation: Optional[m.Evaluation], org_names: dict[str, str], lang: str) -> str:
    """Return the results as JSON (see `regdoc score --help` for the shape)."""
    index = {org: i for i, org in enumerate(results.organisations)}
    rewards = set(results.rewards)
    doc: dict[str, Any] = {
        "year": results.year,
        "lang": lang,
        "source": evaluation.source if evaluation else None,
        "reports_file": evaluation.reports_file if evaluation else None,
        "criteria": {
            "in_force": evaluation.criteria_in_force.isoformat() if evaluation else None,
            "as_of": evaluation.criteria_as_of.isoformat() if evaluation and evaluation.criteria_as_of else None,
            "amendment": evaluation.criteria_amendment if evaluation else None,
            "prize_places": results.criteria.prize_places,
            "main_blocks": [b.id for b in results.criteria.blocks if b.main],
        },
        "standings": [],
        "rewards": list(results.rewards),
        "ties": [{"kind": t.kind, "organisations": list(t.organisations), "inside": list(t.inside),
                  "points": _json_number(t.points), "decided_by": t.decided_by,
                  "for_committee": t.for_committee} for t in results.ties],
    }
    for s in results.standings:
        i = index[s.organisation]
        doc["standings"].append({
            "place": s.place,
            "organisation": s.organisation,
            "name": org_names.get(s.organisation),
            "total": _json_number(s.total),
            "main_blocks": _json_number(s.main_blocks),
            "blocks": {b: _json_number(v) for b, v in s.blocks},
            "prize": s.prize,
            "shared_place": s.shared,
            "tie_break": s.tie_break,
            "reward": s.organisation in rewards,
            "indicators": {sc.indicator.id: {"value": _json_number(sc.values[i]), "points": _json_number(sc.points[i]),
                                             "rank": sc.ranks[i]} for sc in results.indicators},
        })
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def explanation_json(explanation: Explanation, org_names: dict[str, str], lang: str, year: int) -> str:
    """Return one organisation's explanation as JSON."""
    p = for_lang(lang)
    s = explanation.standing
    doc = {
        "year": year,
        "lang": lang,
        "organisation": s.organisation,
        "name": org_names.get(s.organisation),
        "place": s.place,
        "prize": s.prize,
        "total": _json_number(s.total),
        "main_blocks": _json_number(s.main_blocks),
        "blocks": {b: _json_number(v) for b, v in s.blocks},
        "organisations": explanation.organisations,
        "indicators": [{
            "id": line.indicator.id,
            "block": line.block.id,
            "value": _json_number(line.value),
            "numerator": _json_number(line.numerator) if line.numerator is not None else None,
            "denominator": _json_number(line.denominator) if line.denominator is not None else None,
            "not_reported": list(line.not_reported),
            "rule": p.rule_text(line.indicator.rule, line.indicator.unit),
            "working": p.working(line.working),
            "points": _json_number(line.points),
            "rank": line.rank,
        } for line in explanation.lines],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
