"""The context of the evaluation results of a year (the annex to the resolution that approves them).

Pure: a scored evaluation (regdoc.scoring.score.Results) -> plain dicts of strings and lists. Layout in
templates/<lang>/results.docx (landscape):

    annex, title, subtitle  the annex stamp (top right; only when the resolution lists the results among its
                            annexes), the title (what the resolution calls the annex, or the results' own
                            heading) and the results' own heading under it when the title is the resolution's
    sample                  a line saying the data are a sample
    columns                 {place, organisation, main_sum, total}
    blocks                  the columns of block points, by short name («1-блок»)
    blocks_legend           {title, lines: ["1-блок – block title (негізгі блок)", ...]}: kept with the table
    rows[]                  {place, organisation, blocks: [points per block], main_sum, total}, in place order;
                            each column of numbers has one number of decimals, negatives the minus sign U+2212
    rewards                 {title, lines}: the organisations proposed for a reward by main-block points
    ties                    notes of ties at the last prize place or the last reward place (for the Committee)
    ranks                   {title, indicators: ["1.1", ...], rows[]: {organisation, ranks: [...], place},
                             legend_title, legend: ["1.1 – indicator title", ...]}: every organisation's place by
                            indicator; the legend stands between the caption and the table, kept with it
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from regdoc.collector import lasting
from regdoc.data import model as m
from regdoc.documents.resolution import organisation_text
from regdoc.phrasing import for_lang, typeset


def results_context(tree: m.DataTree, results, lang: str, resolution: Optional[m.Resolution] = None,
                    sample: bool = False) -> dict:
    """Return the template context of scored `results` (regdoc.scoring.score.Results) in `lang`.

    `resolution` is the resolution the results are annexed to (it dates the organisations' names and heads the
    annex); `sample` says the reported values are invented.
    """
    with lasting():  # a row of texts per organisation, kept until the document is written (regdoc.collector)
        return _context(tree, results, lang, resolution, sample)


def _context(tree: m.DataTree, results, lang: str, resolution: Optional[m.Resolution], sample: bool) -> dict:
    ph = for_lang(lang)
    when = resolution.id.date if resolution is not None else date(results.year, 12, 31)
    name = {org: organisation_text(tree, org, when, lang) for org in results.organisations}
    blocks = [ph.block_short(i) for i, _ in enumerate(results.criteria.blocks, 1)]
    block_legend = [f"{ph.block_short(i)} – {ph.main_block(b.title[lang]) if b.main else b.title[lang]}"
                    for i, b in enumerate(results.criteria.blocks, 1)]
    standings = results.standings
    block_columns = [ph.column([s.blocks[k][1] for s in standings]) for k in range(len(results.criteria.blocks))]
    main_sums, totals = ph.column([s.main_blocks for s in standings]), ph.column([s.total for s in standings])
    numbers, legend = [], []
    for b_no, block in enumerate(results.criteria.blocks, 1):
        for i_no, ind in enumerate(block.indicators, 1):
            numbers.append(f"{b_no}.{i_no}")
            legend.append(f"{b_no}.{i_no} – {ind.title[lang]}")
    index = {org: i for i, org in enumerate(results.organisations)}
    by_indicator = {s.indicator.id: s for s in results.indicators}
    indicator_ids = [ind.id for ind in results.criteria.indicators()]
    from regdoc.documents.annexes import annex_of, stamp

    annex = annex_of(resolution, "results")
    heading = ph.results_title(results.year)
    named = annex.annex.title[lang] if annex is not None and annex.annex.title is not None else ""
    return typeset({
        "lang": lang,
        "annex": stamp(tree, resolution, annex, lang) if annex is not None else "",
        "title": named or heading,
        "subtitle": heading if named else "",
        "sample": ph.label("sample") if sample else "",
        "columns": {key: ph.label(key) for key in ("place", "organisation", "main_sum", "total")},
        "blocks": blocks,
        "blocks_legend": {"title": ph.label("blocks_legend"), "lines": block_legend},
        "rows": [{"place": str(s.place), "organisation": name[s.organisation],
                  "blocks": [column[k] for column in block_columns], "main_sum": main_sums[k], "total": totals[k]}
                 for k, s in enumerate(standings)],
        "ties": [ph.cutoff_tie(t.kind, [name[org] for org in t.organisations], t.points, t.decided_by,
                               _title(results, t.decided_by, lang)) for t in results.ties],
        "rewards": {"title": ph.label("rewards"),
                    "lines": [ph.reward_line(name[org], i == len(results.rewards) - 1)
                              for i, org in enumerate(results.rewards)]},
        "ranks": {
            "title": ph.ranks_title(),
            "indicators": numbers,
            "rows": [{"organisation": name[s.organisation], "place": str(s.place),
                      "ranks": [str(by_indicator[i].ranks[index[s.organisation]]) for i in indicator_ids]}
                     for s in results.standings],
            "legend_title": ph.label("indicators_legend"),
            "legend": legend,
        },
    }, lang)


def _title(results, indicator_id: str, lang: str) -> Optional[str]:
    ind = results.criteria.indicator(indicator_id)
    return ind.title[lang] if ind is not None else None


def parallel_rows(kk: dict, ru: dict) -> list[dict]:
    """Return the rows of the bilingual review document: headings, then organisation by organisation."""
    def p(kind: str, text: str) -> dict:
        return {"kind": kind, "text": text}

    def head(ctx: dict) -> list[dict]:
        out = [p("right", ctx["annex"])] if ctx["annex"] else []
        out.append(p("heading", ctx["title"]))
        out += [p("text", ctx["subtitle"])] if ctx["subtitle"] else []
        return out + ([p("note", ctx["sample"])] if ctx["sample"] else [])

    def standing(ctx: dict, row: dict) -> list[dict]:
        return [p("text", f"{row['place']}. {row['organisation']}"),
                p("text", f"{ctx['columns']['total']}: {row['total']}")]

    rows = [{"kk": head(kk), "ru": head(ru)}]
    rows += [{"kk": standing(kk, a), "ru": standing(ru, b)} for a, b in zip(kk["rows"], ru["rows"], strict=True)]
    if kk["rewards"]["lines"]:
        rows.append({"kk": [p("heading", kk["rewards"]["title"])] + [p("text", t) for t in kk["rewards"]["lines"]],
                     "ru": [p("heading", ru["rewards"]["title"])] + [p("text", t) for t in ru["rewards"]["lines"]]})
    if kk["ties"]:
        rows.append({"kk": [p("bold", t) for t in kk["ties"]], "ru": [p("bold", t) for t in ru["ties"]]})
    rows.append({"kk": [p("heading", kk["ranks"]["title"])] + [p("text", t) for t in kk["ranks"]["legend"]],
                 "ru": [p("heading", ru["ranks"]["title"])] + [p("text", t) for t in ru["ranks"]["legend"]]})
    return rows
