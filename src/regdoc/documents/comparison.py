"""The context of the comparison table of an amendment (салыстырмалы кесте / сравнительная таблица): one row per
operation, in the Regulation's order, the current and the proposed wording side by side.

Layout in templates/<lang>/comparison.docx:

    title, subject      the heading, a complete phrase («Атқару комитетінің ... № 9 қаулысының жобасына
                        салыстырмалы кесте»), and what is compared («(... ережеге енгізілетін өзгерістер ...)»)
    columns             {number, unit, current, proposed, justification}: the column headings
    rows[]              {number, unit, current, proposed, justification}; `current` and `proposed` are RichText
                        (shown with `{{r ...}}`): in the current wording the words that go are bold and struck
                        through, in the proposed wording the words that come are bold
    sample              the note under the table when a row shows sample data (rows marked «*»), else ""

Each operation is compared with the edition just before it (the edition the amendment applies to, changed by
the operations before it), so two operations on one unit show one after the other. An inserted unit's current
wording is «жоқ» / «отсутствует»; a deleted unit's proposed wording is «алып тасталсын» / «исключить» and its
current wording holds its sub-units too. Appendix 1 changes appear as one row per criterion changed (from
diff_criteria): a rule of places and rewards, a block (added, removed, renamed, made main), an indicator.
The justification is the operation's `justification`, else the amendment's own; where neither is given the cell
says so («Негіздеме берілмеген» / «Обоснование не указано»), never blank, and `regdoc check` warns.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional

from regdoc.data import model as m
from regdoc.documents.regulation import unit_entry
from regdoc.phrasing import for_lang, typeset
from regdoc.phrasing.common import numbered, typeset_pieces
from regdoc.versioning.amend import Edition, apply
from regdoc.versioning.amending import changes_and_supplements
from regdoc.versioning.diff import CriteriaDiff, diff_criteria, word_diff
from regdoc.versioning.notes import adopting_body

UNIT_OPS = ("replace", "replace_words", "insert", "delete")


@dataclass(frozen=True)
class Wording:
    """One side of a row: pieces (text, marked), the marked pieces being the words that go or come."""

    pieces: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.pieces)


@dataclass(frozen=True)
class Row:
    """One row of the comparison table, before its wordings become RichText."""

    sort_key: tuple
    unit: str
    current: Wording
    proposed: Wording
    justification: str
    sample: bool


def _plain(text: str) -> Wording:
    return Wording(((text, False),))


def _marked(text: str) -> Wording:
    return Wording(((text, True),))


def _sides(old: str, new: str) -> tuple[Wording, Wording]:
    """Return the current wording (deleted words marked) and the proposed one (inserted words marked)."""
    segments = word_diff(old, new)
    current = tuple((s.text, s.op == "delete") for s in segments if s.op != "insert")
    proposed = tuple((s.text, s.op == "insert") for s in segments if s.op != "delete")
    return Wording(current), Wording(proposed)


def _unit_text(unit: m.Unit, lang: str) -> str:
    """Return a unit as the consolidated Regulation shows it: numbered, one paragraph a line."""
    return "\n".join(unit_entry(unit, lang, [])["paragraphs"])


def _subtree(edition: Edition, unit_id: str) -> list[m.Unit]:
    """Return the unit `unit_id` and its sub-units in force in `edition`."""
    prefix = unit_id + "."
    return [u for u in edition.units if (u.id == unit_id or u.id.startswith(prefix)) and not u.deleted]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unit_row(op: m.Op, before: Edition, after: Edition, lang: str, words: dict, justification: str) -> Row:
    ph = for_lang(lang)
    old, new = before.unit(op.target), after.unit(op.target)
    if op.op == "insert":
        current, proposed = _plain(words["absent"]), _marked(_unit_text(new, lang))
        sample = new.source == "sample"
    elif op.op == "delete":
        going = _subtree(before, op.target)
        current, proposed = _marked("\n".join(_unit_text(u, lang) for u in going)), _plain(words["delete"])
        sample = any(u.source == "sample" for u in going)
    else:
        current, proposed = _sides(_unit_text(old, lang), _unit_text(new, lang))
        sample = "sample" in (old.source, new.source)
    unit = new or old
    return Row((0, unit.number_key), _cap(ph.unit_name(unit.kind, op.target)), current, proposed, justification,
               sample)


def _setting_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "—" if value is None else str(value)


def _criteria_rows(cd: CriteriaDiff, lang: str, words: dict, justification: str, position: int) -> list[Row]:
    """Return one row per criterion that `cd` changes: a rule of places and rewards, a block, an indicator."""
    ph = for_lang(lang)
    terms = ph.TERMS
    sample = "sample" in (cd.old.source, cd.new.source)
    rows: list[Row] = []

    def add(unit: str, old: Optional[str], new: Optional[str]) -> None:
        if old is None:
            current, proposed = _plain(words["absent"]), _marked(new)
        elif new is None:
            current, proposed = _marked(old), _plain(words["delete"])
        else:
            current, proposed = _sides(old, new)
        rows.append(Row((1, position, len(rows)), unit, current, proposed, justification, sample))

    def block_title(block: m.Block) -> str:
        return ph.main_block(block.title[lang]) if block.main else block.title[lang]

    def indicator_line(number: str, ind: m.Indicator) -> str:
        return numbered(number, ph.indicator_text(ind.title[lang], ind.rule, ind.unit))

    for s in cd.settings:
        add(_cap(terms["appendix"]), f"{terms[s.name]}: {_setting_value(s.old)}",
            f"{terms[s.name]}: {_setting_value(s.new)}")
    for bd in cd.blocks:
        if bd.status != "unchanged" and (bd.status != "changed" or bd.aspects):
            add(ph.appendix_block(bd.new_number if bd.new else bd.old_number),
                numbered(bd.old_number, block_title(bd.old)) if bd.old else None,
                numbered(bd.new_number, block_title(bd.new)) if bd.new else None)
        for i in bd.indicators:
            # the label, the old and the new wording name one indicator (the diff pairs them by id): a row
            # renumbered by an indicator added or removed before it shows both numbers, and has a row even when
            # its wording is unchanged
            if i.status == "unchanged" and not i.moved:
                continue
            add(ph.appendix_row(i.old_row or i.new_row, i.new_row if i.moved else None),
                indicator_line(i.old_row, i.old) if i.old else None,
                indicator_line(i.new_row, i.new) if i.new else None)
    return rows


def comparison_rows(amendment: m.Amendment, before: Edition, lang: str) -> list[Row]:
    """Return the rows of `amendment`'s comparison table in `lang`: one per unit operation and one per criterion
    changed by a criteria operation, in the Regulation's order (units by number, then Appendix 1)."""
    words = for_lang(lang).COMPARISON
    rows: list[Row] = []
    current = before
    for k, op in enumerate(amendment.ops):
        after = apply(current, dataclasses.replace(amendment, ops=(op,)))
        given = op.justification or amendment.justification
        justification = given[lang] if given else words["no_justification"]
        if op.op in UNIT_OPS:
            rows.append(_unit_row(op, current, after, lang, words, justification))
        else:
            rows += _criteria_rows(diff_criteria(current.appendix, after.appendix), lang, words, justification, k)
        current = after
    return sorted(rows, key=lambda r: r.sort_key)


def typeset_wording(wording: Wording, lang: str) -> Wording:
    """Return `wording` typeset in `lang` as one text (a no-break space may join a marked and an unmarked word)."""
    texts = typeset_pieces([t for t, _ in wording.pieces], for_lang(lang).typeset)
    return Wording(tuple((text, marked) for text, (_, marked) in zip(texts, wording.pieces)))


def rich(wording: Wording, strike: bool):
    """Return a wording as docxtpl RichText: the marked words bold (and struck through when `strike`); each line
    of the text a paragraph of its cell. RichText escapes the text itself (`& < >` stay text)."""
    from docxtpl import RichText

    rt = RichText()
    for text, marked in wording.pieces:
        text = text.replace("\n", "\a")  # docxtpl turns \a into a new paragraph with the same look
        if marked:
            rt.add(text, bold=True, strike=strike)
        else:
            rt.add(text)
    return rt


def comparison_context(tree: m.DataTree, amendment: m.Amendment, before: Edition, lang: str) -> dict:
    """Return the template context of `amendment`'s comparison table in `lang`; `before` is the edition the
    amendment applies to."""
    ph = for_lang(lang)
    words = ph.COMPARISON
    rows = comparison_rows(amendment, before, lang)
    body = adopting_body(tree.regulation, lang)
    context = typeset({
        "lang": lang,
        "title": ph.comparison_title(amendment.adopted_by, body),
        "subject": ph.comparison_subject(tree.regulation.title[lang], *changes_and_supplements(amendment)),
        "columns": {key: words[key] for key in ("number", "unit", "current", "proposed", "justification")},
        "rows": [{"number": str(n), "unit": r.unit + (f" {words['sample_mark']}" if r.sample else ""),
                  "justification": r.justification}
                 for n, r in enumerate(rows, 1)],
        "sample": words["sample_note"] if any(r.sample for r in rows) else "",
    }, lang)
    for row, r in zip(context["rows"], rows):  # the wordings as RichText, typeset before they become runs
        row["current"] = rich(typeset_wording(r.current, lang), strike=True)
        row["proposed"] = rich(typeset_wording(r.proposed, lang), strike=False)
    return context
