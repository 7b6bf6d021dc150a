"""The register of resolutions (pure): one row per resolution with its date, its number in both languages, its
title, and the amendments of the Regulation and the evaluation results it carries.

The rows feed `regdoc resolution list` (text, md, json, xlsx) and the .docx register.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from regdoc.data import model as m
from regdoc.phrasing import for_lang
from regdoc.phrasing.common import short_date
from regdoc.registry.numbering import is_draft

APPENDIX_OPS = {"replace_appendix", "add_indicator", "remove_indicator", "change_indicator"}
_KINDS = {1: "section", 2: "clause", 3: "subclause"}


@dataclass(frozen=True)
class AmendmentRef:
    """An amendment a resolution adopts: its name (file in regulation/versions/), date in force, parts changed."""

    name: str
    in_force: date
    parts: m.Text  # «3.2, 4.2 және 5.2-тармақтар; 1-қосымша» / «пункты 3.2, 4.2 и 5.2; приложение 1»


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register."""

    id: m.ResolutionId
    number: m.Text  # «20.02.2026 ж. № 9, 7-т.» / «20.02.2026 г. № 9, п. 7»
    title: m.Text
    amendments: tuple[AmendmentRef, ...]
    evaluation: Optional[int]  # the year whose evaluation results the resolution approves
    evaluation_text: Optional[m.Text]  # «2025 жылғы бағалау қорытындылары» / «итоги оценки за 2025 год»
    draft: bool  # a text still holds a TODO placeholder
    file: Optional[str]

    @property
    def date(self) -> date:
        return self.id.date


def amended_parts(amendment: m.Amendment) -> m.Text:
    """Return, in both languages, the parts of the Regulation an amendment changes."""
    found: dict[str, set[str]] = {"section": set(), "clause": set(), "subclause": set()}
    appendix = False
    for op in amendment.ops:
        if op.op in APPENDIX_OPS or op.target == "appendix-1":
            appendix = True
            continue
        kind = op.kind or _KINDS.get(m.unit_depth(op.target))
        if kind in found:
            found[kind].add(op.target)

    def ordered(kind: str) -> list[str]:
        return sorted(found[kind], key=m.number_key)

    args = (ordered("section"), ordered("clause"), ordered("subclause"), appendix)
    return m.Text(*(for_lang(lang).amended_parts(*args) for lang in m.LANGS))


def register_rows(tree: m.DataTree, year: Optional[int] = None) -> tuple[RegisterRow, ...]:
    """Return the register's rows, ordered by number (date, meeting, item); only `year`'s when given."""
    rows = []
    for r in sorted(tree.resolutions, key=lambda r: r.id):
        if year is not None and r.id.date.year != year:
            continue
        names = [a.name for a in tree.amendments if a.adopted_by == r.id]
        names += [item.amendment for item in r.items if item.amendment and item.amendment not in names]
        refs = []
        for name in names:
            amendment = tree.amendment(name)
            if amendment is not None:
                refs.append(AmendmentRef(amendment.name, amendment.in_force, amended_parts(amendment)))
        evaluation_text = None
        if r.evaluation is not None:
            evaluation_text = m.Text(*(for_lang(lang).evaluation_results(r.evaluation) for lang in m.LANGS))
        number = m.Text(*(for_lang(lang).resolution_number(r.id) for lang in m.LANGS))
        rows.append(RegisterRow(r.id, number, r.title, tuple(refs), r.evaluation, evaluation_text, is_draft(r),
                                r.where.file))
    return tuple(rows)


def row_data(row: RegisterRow) -> dict:
    """Return a row as the stable JSON of `regdoc resolution list --format json` (both languages always)."""
    def text(value: Optional[m.Text]) -> Optional[dict]:
        return None if value is None else {"kk": value.kk, "ru": value.ru}

    return {
        "id": str(row.id),
        "date": row.id.date.isoformat(),
        "meeting": row.id.meeting,
        "item": row.id.item,
        "number": text(row.number),
        "title": text(row.title),
        "amendments": [{"name": a.name, "in_force": a.in_force.isoformat(), "parts": text(a.parts)}
                       for a in row.amendments],
        "evaluation": row.evaluation,
        "evaluation_text": text(row.evaluation_text),
        "draft": row.draft,
        "file": row.file,
    }


def row_cells(row: RegisterRow, lang: str) -> dict[str, str]:
    """Return a row's cells in one language, keyed like the phrasing's REGISTER_HEADINGS."""
    phrasing = for_lang(lang)
    title = row.title[lang]
    if row.draft:
        title = f"({phrasing.DRAFT}) {title}"
    return {
        "date": short_date(row.id.date),
        "number": row.number[lang],
        "title": title,
        "amendments": "\n".join(a.parts[lang] for a in row.amendments),
        "evaluation": row.evaluation_text[lang] if row.evaluation_text else "",
    }
