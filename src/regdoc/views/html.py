"""The HTML report of a comparison between two editions: one self-contained file (inline CSS, no script, no
link to anything), Kazakh and Russian side by side (Kazakh first), added words in <ins>, deleted words in <del>.

Pure: the comparison in, a string out. Every text from the data goes through html.escape, so a value holding
`& < > " '` shows as that text. The words come from phrasing (TERMS, COMPARISON); the output holds no clock, so
the same comparison gives the same bytes.
"""
from __future__ import annotations

from html import escape
from typing import Iterable, Optional

from regdoc.data import model as m
from regdoc.phrasing import for_lang
from regdoc.versioning.amend import Point
from regdoc.versioning.diff import CriteriaDiff, EditionDiff, Segment, UnitDiff, word_diff
from regdoc.views.text import indicator_status, max_change_text, point_label

STYLE = """
body{font-family:"Times New Roman","Liberation Serif",serif;font-size:12pt;line-height:1.4;color:#111;
max-width:80em;margin:1.5em auto;padding:0 1em}
h1{font-size:1.25em;margin:.2em 0}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:0 0 1.5em}
th,td{border:1px solid #999;padding:.35em .6em;vertical-align:top;text-align:left}
thead th{background:#eee;text-align:center}
th.unit{background:#f6f6f6;font-weight:bold}
.status{font-weight:normal;font-style:italic;color:#444}
td.text{white-space:normal}
ins{background:#dcf5dc;color:#05520f;text-decoration:underline}
del{background:#fbe0e0;color:#8a0f0f;text-decoration:line-through}
p{margin:.2em 0}
.meta{color:#333}
@media print{body{margin:0;max-width:none}thead{display:table-header-group}tr{break-inside:avoid}
ins,del{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
""".strip()


def _text(text: str) -> str:
    """Return `text` escaped for HTML, its line breaks as <br>."""
    return escape(text, quote=True).replace("\n", "<br>")


def segments_html(segments: Iterable[Segment]) -> str:
    """Return a word-level diff as HTML: equal text as is, deletions in <del>, insertions in <ins>."""
    out = []
    for s in segments:
        if s.op == "equal":
            out.append(_text(s.text))
        else:
            tag = "del" if s.op == "delete" else "ins"
            out.append(f"<{tag}>{_text(s.text)}</{tag}>")
    return "".join(out)


def _cells(kk: str, ru: str, tag: str = "td", cls: str = "text") -> str:
    """Return a table row of two cells, Kazakh first, each marked with its language."""
    return (f'<tr><{tag} lang="kk" class="{cls}">{kk}</{tag}>'
            f'<{tag} lang="ru" class="{cls}">{ru}</{tag}></tr>')


def _both(make) -> tuple[str, str]:
    return make("kk"), make("ru")


def _unit_body(u: UnitDiff, lang: str) -> str:
    if u.status == "changed":
        return segments_html(u.words_of(lang))
    if u.status == "added":
        return segments_html((Segment("insert", u.new.text[lang]),))
    return segments_html((Segment("delete", (u.old or u.new).text[lang]),))


def _unit_heading(u: UnitDiff, lang: str) -> str:
    ph = for_lang(lang)
    return f'{escape(ph.unit_name(u.kind, u.id))} <span class="status">({escape(ph.TERMS[u.status])})</span>'


def _summary(d: EditionDiff, lang: str) -> str:
    terms = for_lang(lang).TERMS
    counts = d.counts()
    line = " · ".join(f"{escape(terms[s])}: {counts[s]}" for s in ("added", "deleted", "changed", "unchanged"))
    appendix = terms["appendix_changed"] if d.appendix_changed else terms["appendix_unchanged"]
    return f"<p>{line}</p><p>{escape(appendix)}</p>"


def _words_or(old: Optional[str], new: Optional[str]) -> str:
    """Return the word-level diff of two texts, either of which may be missing (all inserted or all deleted)."""
    return segments_html(word_diff(old or "", new or ""))


def _criteria_rows(cd: CriteriaDiff) -> list[str]:
    rows = []
    for s in cd.settings:
        def setting(lang: str, s=s) -> str:
            terms = for_lang(lang).TERMS
            return (f"{escape(terms['settings'])}: {escape(terms[s.name])}: "
                    f"<del>{escape(str(s.old))}</del> → <ins>{escape(str(s.new))}</ins>")
        rows.append(_cells(*_both(setting)))
    for bd in cd.blocks:
        if bd.status == "unchanged":
            continue

        def block(lang: str, bd=bd) -> str:
            ph = for_lang(lang)
            terms = ph.TERMS
            old = bd.old.title[lang] if bd.old else None
            new = bd.new.title[lang] if bd.new else None
            status = [terms[bd.status]]
            if bd.renamed:
                status.append(terms["renamed"])
            if "main" in bd.aspects:
                status.append(terms["became_main"] if bd.new.main else terms["no_longer_main"])
            most = terms["max_points"]
            return (f"{escape(terms['block'])} «{_words_or(old, new)}» "
                    f'<span class="status">({escape("; ".join(status))})</span><br>'
                    f"{escape(most)}: {escape(max_change_text(bd, ph))}")
        rows.append(_cells(*_both(block), tag="th", cls="unit"))
        for i in bd.indicators:
            if i.status == "unchanged" and not i.moved:  # a renumbered row is listed too, by both its numbers
                continue

            def indicator(lang: str, i=i) -> str:
                ph = for_lang(lang)
                terms = ph.TERMS
                title = _words_or(i.old.title[lang] if i.old else None, i.new.title[lang] if i.new else None)
                rule = _words_or(ph.rule_text(i.old.rule, i.old.unit) if i.old else None,
                                 ph.rule_text(i.new.rule, i.new.unit) if i.new else None)
                status = escape(indicator_status(i, terms))
                number = escape(f"{i.old_row} → {i.new_row}" if i.moved else (i.old_row or i.new_row or ""))
                return (f'<p><strong>{title}</strong> <span class="status">({status})</span></p>'
                        f"<p>{escape(terms['rule'])}: {rule}</p>"
                        f'<p class="meta">{escape(terms["row"])} {number}</p>')
            rows.append(_cells(*_both(indicator)))
    return rows


def _drafts(lang: str, a: Point, b: Point) -> str:
    names = list(dict.fromkeys(a.edition.drafts + b.edition.drafts))
    return f'<p class="draft"><strong>{escape(for_lang(lang).drafts_line(names))}</strong></p>' if names else ""


def diff_html(regulation: m.RegulationInfo, a: Point, b: Point, d: EditionDiff,
              cd: Optional[CriteriaDiff] = None) -> str:
    """Return the HTML report of the comparison from `a` to `b`: every added, deleted and changed unit (word by
    word) and, when `cd` is given and Appendix 1 changed, its changed blocks and indicators."""
    span = f"{escape(point_label(a))} → {escape(point_label(b))}"
    kk, ru = for_lang("kk"), for_lang("ru")
    title = f"{regulation.title.kk} / {regulation.title.ru}: {point_label(a)} → {point_label(b)}"
    out = ["<!DOCTYPE html>", '<html lang="kk">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(title)}</title>", f"<style>\n{STYLE}\n</style>", "</head>", "<body>",
           "<table>", '<colgroup><col style="width:50%"><col style="width:50%"></colgroup>',
           "<thead>" + _cells(escape(kk.COMPARISON["language"]), escape(ru.COMPARISON["language"]), "th", "lang")
           + "</thead>", "<tbody>"]
    out.append(_cells(*_both(lambda lang: f"<h1>{escape(regulation.title[lang])}</h1>"
                                          f'<p class="meta">{span}</p>{_drafts(lang, a, b)}{_summary(d, lang)}'
                                          f"<p><ins>{escape(for_lang(lang).COMPARISON['inserted_text'])}</ins> · "
                                          f"<del>{escape(for_lang(lang).COMPARISON['deleted_text'])}</del></p>")))
    touched = [u for u in d.units if u.status != "unchanged"]
    if not touched and not (cd is not None and cd.changed):
        out.append(_cells(*_both(lambda lang: f"<p>{escape(for_lang(lang).TERMS['no_changes'])}</p>")))
    for u in touched:
        out.append(_cells(*_both(lambda lang, u=u: _unit_heading(u, lang)), tag="th", cls="unit"))
        out.append(_cells(*_both(lambda lang, u=u: _unit_body(u, lang))))
    if cd is not None and cd.changed:
        out.append(_cells(*_both(lambda lang: f"<h1>{escape(for_lang(lang).TERMS['appendix'])}. "
                                              f"{escape(regulation.appendix_title[lang])}</h1>"), tag="th",
                          cls="unit"))
        out += _criteria_rows(cd)
    out += ["</tbody>", "</table>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
