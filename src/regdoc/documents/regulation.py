"""The context of the consolidated Regulation as in force on a date: model values -> plain dicts and lists.

Pure. Layout in templates/<lang>/regulation.docx:

    approval, amended_by    the approval line (top right) and the resolutions that amended the Regulation
    title, as_of            the title and «... жағдай бойынша» / «по состоянию на ...»
    units[]                 {id, kind: section | clause | subclause | deleted, paragraphs: [...], notes: [...]}
                            (a deleted unit keeps its number: «4.7. Алып тасталды - ... қаулысымен.»)
    appendix                {ref, title, notes, columns{number, indicator, unit, rule, max_points},
                             rows[]: {block: true, id, number, title} or {block: false, id, block_id, number,
                             indicator, unit, rule, max_points}}
                            (the ids of units, blocks and indicators let the redline align two editions)
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from regdoc.data import model as m
from regdoc.documents.resolution import paragraphs
from regdoc.phrasing import for_lang, typeset
from regdoc.phrasing.common import numbered
from regdoc.versioning.amend import APPENDIX, Edition
from regdoc.versioning.diff import max_points


def unit_entry(unit: m.Unit, lang: str, unit_notes: list[str], deleted: Optional[str] = None) -> dict:
    """Return one structural unit as the template shows it; `deleted` is what stands in place of a deleted one."""
    if unit.deleted:
        return {"id": unit.id, "kind": "deleted", "paragraphs": [numbered(unit.id, deleted)],
                "notes": list(unit_notes)}
    texts = paragraphs(unit.text[lang])
    if unit.kind == "section":
        texts = [" ".join(texts)]
    return {"id": unit.id, "kind": unit.kind,
            "paragraphs": [numbered(unit.id, t) if i == 0 else t for i, t in enumerate(texts)],
            "notes": list(unit_notes)}


def notes_after_subtrees(units: tuple[m.Unit, ...], entries: list[dict]) -> list[dict]:
    """Return `entries` with the notes of a clause or sub-clause moved after its whole subtree: a note never
    stands between «...критерийлері:» and the sub-clauses that list them. The practice of the official legal
    database (adilet.zan.kz): «Сноска. Пункт 3 с изменением ...» follows the clause with all its sub-items,
    inner notes first; a section's note stays under its heading, which it is about."""
    from regdoc.versioning.amend import subtree_end

    entries = [dict(e, notes=list(e["notes"])) for e in entries]
    for i in range(len(units) - 1, -1, -1):  # innermost first, so that an outer note follows the inner ones
        last = subtree_end(units, i) - 1
        if units[i].kind != "section" and last > i and entries[i]["notes"]:
            entries[last]["notes"] += entries[i]["notes"]
            entries[i]["notes"] = []
    return entries


def appendix_rows(criteria: m.Criteria, lang: str) -> list[dict]:
    """Return the rows of the table of Appendix 1: a row per block, then a row per indicator."""
    ph = for_lang(lang)
    rows = []
    for b_no, block in enumerate(criteria.blocks, 1):
        title = ph.main_block(block.title[lang]) if block.main else block.title[lang]
        rows.append({"block": True, "id": block.id, "number": str(b_no), "title": numbered(b_no, title)})
        for i_no, ind in enumerate(block.indicators, 1):
            rows.append({"block": False, "id": ind.id, "block_id": block.id, "number": f"{b_no}.{i_no}",
                         "indicator": ind.title[lang],
                         "unit": ph.indicator_unit(ind.unit), "rule": ph.rule_text(ind.rule, ind.unit),
                         "max_points": ph.max_points_text(max_points(ind.rule))})
    return rows


def regulation_context(tree: m.DataTree, edition: Edition, lang: str, as_of: date) -> dict:
    """Return the template context of the consolidated Regulation in `edition`, shown as in force on `as_of`
    (typeset: no-break spaces and hyphens)."""
    from regdoc.versioning.notes import adopting_body, deleted_text, notes

    ph = for_lang(lang)
    info = tree.regulation
    amending = [tree.amendment(name).adopted_by for name in edition.amendments if tree.amendment(name)]
    return typeset({
        "lang": lang,
        "approval": " ".join(paragraphs(tree.initial.approval[lang])),
        "amended_by": ph.amended_by(amending, adopting_body(info, lang)) if amending else "",
        "title": info.title[lang],
        "as_of": ph.as_of(as_of),
        "units": notes_after_subtrees(edition.units, [
            unit_entry(u, lang, notes(edition, u.id, lang, info), deleted_text(edition, u.id, lang, info))
            for u in edition.units]),
        "appendix": {
            "ref": ph.appendix_ref(info.title[lang]),
            "title": info.appendix_title[lang],
            "notes": list(notes(edition, APPENDIX, lang, info)),
            "columns": dict(ph.APPENDIX_COLUMNS),
            "rows": appendix_rows(edition.appendix, lang),
        },
    }, lang)


def parallel_rows(kk: dict, ru: dict) -> list[dict]:
    """Return the rows of the bilingual review document: unit by unit, then Appendix 1 row by row."""
    def p(kind: str, text: str) -> dict:
        return {"kind": kind, "text": text}

    def head(ctx: dict) -> list[dict]:
        out = [p("right", ctx["approval"])]
        if ctx["amended_by"]:
            out.append(p("right", ctx["amended_by"]))
        return out

    def unit(u: dict) -> list[dict]:
        kind = "heading" if u["kind"] == "section" else "text"
        return [p(kind, t) for t in u["paragraphs"]] + [p("note", n) for n in u["notes"]]

    def row(r: dict, columns: dict) -> list[dict]:
        if r["block"]:
            return [p("heading", r["title"])]
        return [p("text", f"{r['number']}. {r['indicator']} ({r['unit']})"), p("text", r["rule"]),
                p("text", f"{columns['max_points']}: {r['max_points']}")]

    rows = [{"kk": head(kk), "ru": head(ru)},
            {"kk": [p("heading", kk["title"]), p("text", kk["as_of"])],
             "ru": [p("heading", ru["title"]), p("text", ru["as_of"])]}]
    rows += [{"kk": unit(a), "ru": unit(b)} for a, b in zip(kk["units"], ru["units"], strict=True)]
    ak, ar = kk["appendix"], ru["appendix"]
    rows.append({"kk": [p("right", ak["ref"]), p("heading", ak["title"])] + [p("note", n) for n in ak["notes"]],
                 "ru": [p("right", ar["ref"]), p("heading", ar["title"])] + [p("note", n) for n in ar["notes"]]})
    rows += [{"kk": row(a, ak["columns"]), "ru": row(b, ar["columns"])}
             for a, b in zip(ak["rows"], ar["rows"], strict=True)]
    return rows
