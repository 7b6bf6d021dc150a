"""The context of a resolution (Қаулы / Постановление): model values -> plain dicts of strings and lists.

Pure. Every word that is not data comes from regdoc.phrasing; the template templates/<lang>/resolution.docx
lays the context out:

    date, number            «20.02.2026 ж.» and «№ 9, 7-т.» (the date and number line)
    title                   the title block
    preamble                the preamble's paragraphs but the last
    preamble_last, resolves the last one, which «ҚАУЛЫ ЕТЕДІ:» / «ПОСТАНОВЛЯЕТ:» closes
    items[].lines[]         {kind, text}: kind is item (a numbered paragraph), text (a further paragraph),
                            place, dash (a dash list line), subitem, quote (amending text)
    signature               {position, name}
    letterhead              {paper, name, title, city}: on plain paper (paper "plain") the Union's letterhead, each of
                            name, title («ҚАУЛЫ» / «ПОСТАНОВЛЕНИЕ») and city as {kk, ru}; on a pre-printed blank
                            (the default, as issued) the template leaves the top of the page free for it
"""
from __future__ import annotations

from typing import Optional

from regdoc.data import model as m
from regdoc.errors import RegdocError
from regdoc.i18n import _
from regdoc.phrasing import for_lang, typeset
from regdoc.phrasing.common import numbered
from regdoc.versioning.amend import Edition, editions
from regdoc.versioning.amending import amending_lines


def paragraphs(text: str) -> list[str]:
    """Return the paragraphs of a data text (one per line; blank lines dropped)."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def edition_before(tree: m.DataTree, amendment: m.Amendment,
                   all_editions: Optional[list[Edition]] = None) -> Edition:
    """Return the edition that `amendment` applies to (the one in force just before it); `all_editions`, the tree's
    editions when the caller holds them already, saves applying every amendment again."""
    previous = None
    for edition in all_editions if all_editions is not None else editions(tree.initial, tree.amendments):
        if edition.amendments and edition.amendments[-1] == amendment.name:
            return previous
        previous = edition
    raise amendment.where.error(_("amendment {name} is not among the editions of the Regulation").format(
        name=amendment.name))


def organisation_text(tree: m.DataTree, org_id: str, when, lang: str) -> str:
    """Return an organisation as a document names it on `when`: «name» ҚБ / ОО «name»."""
    org = tree.organisation(org_id)
    if org is None:
        raise RegdocError(_("organisation '{id}' is not in organisations/organisations.yaml").format(id=org_id))
    return for_lang(lang).organisation(org.name_at(when)[lang], org.legal_form)


def item_lines(tree: m.DataTree, resolution: m.Resolution, item: m.Item, lang: str) -> list[dict]:
    """Return the paragraphs of one resolving item: its text, places, dash list or amending text."""
    ph = for_lang(lang)
    when = resolution.id.date
    lines: list[dict] = []
    if item.text is not None:
        for i, text in enumerate(paragraphs(item.text[lang])):
            lines.append({"kind": "item", "text": numbered(item.number, text)} if i == 0
                         else {"kind": "text", "text": text})
    for i, place in enumerate(item.places):
        lines.append({"kind": "place", "text": ph.place_line(
            place.place, organisation_text(tree, place.organisation, when, lang), place.total,
            last=i == len(item.places) - 1)})
    for i, org_id in enumerate(item.rewards):
        lines.append({"kind": "dash", "text": ph.reward_line(
            organisation_text(tree, org_id, when, lang), last=i == len(item.rewards) - 1)})
    if item.amendment is not None:
        amendment = tree.amendment(item.amendment)
        if amendment is None:
            raise item.where.error(_("amendment '{name}' is not in regulation/versions/").format(name=item.amendment),
                                   "amendment")
        before = edition_before(tree, amendment)
        for line in amending_lines(amendment, item.number, lang, tree.regulation, before=before):
            for j, text in enumerate(paragraphs(line.text)):
                lines.append({"kind": line.kind if j == 0 else "quote", "text": text})
    return lines


def resolution_context(tree: m.DataTree, resolution: m.Resolution, lang: str) -> dict:
    """Return the template context of `resolution` in `lang` (typeset: no-break spaces and hyphens)."""
    ph = for_lang(lang)
    preamble = paragraphs(resolution.preamble[lang])
    if not preamble:
        raise resolution.where.error(_("the {lang} preamble is empty").format(lang=lang), f"preamble.{lang}")
    return typeset({
        "lang": lang,
        "date": ph.resolution_date(resolution.id),
        "number": ph.resolution_meeting_item(resolution.id),
        "title": " ".join(paragraphs(resolution.title[lang])),
        "preamble": preamble[:-1],
        "preamble_last": preamble[-1],
        "resolves": ph.RESOLVES,
        "items": [{"number": str(item.number),
                   "lines": item_lines(tree, resolution, item, lang)}
                  for item in resolution.items],
        "signature": {"position": resolution.signatory.position[lang], "name": resolution.signatory.name[lang]},
        "letterhead": letterhead(tree, resolution),
    }, lang)


def letterhead(tree: m.DataTree, resolution: m.Resolution) -> dict:
    """Return the letterhead of a resolution printed on plain paper (both languages, Kazakh first: the Union's
    name as it was on the resolution's date, «ҚАУЛЫ» / «ПОСТАНОВЛЕНИЕ», the city); `plain` False when it is
    printed on a pre-printed blank; `paper` says which (regulation.yaml `letterhead.paper`: blank by default, or
    plain)."""
    setting = tree.regulation.letterhead
    owner = tree.organisation(tree.regulation.owner)
    name = owner.name_at(resolution.id.date) if owner is not None else None
    return {
        "paper": setting.paper,
        "name": {lang: name[lang] if name is not None else "" for lang in m.LANGS},
        "title": {lang: for_lang(lang).RESOLUTION.upper() for lang in m.LANGS},
        "city": {lang: setting.city[lang] if setting.city is not None else "" for lang in m.LANGS},
    }


def parallel_rows(kk: dict, ru: dict) -> list[dict]:
    """Return the rows of the bilingual review document: each paragraph of kk beside its ru counterpart, bold where
    the resolution is bold (the title, «ҚАУЛЫ ЕТЕДІ:» / «ПОСТАНОВЛЯЕТ:», the signature)."""
    def p(kind: str, text: str) -> dict:
        return {"kind": kind, "text": text}

    def resolves(ctx: dict) -> dict:  # the preamble's last words, then «ҚАУЛЫ ЕТЕДІ:» in bold
        return {"kind": "text", "text": f"{ctx['preamble_last']} ", "strong": ctx["resolves"]}

    rows = [
        {"kk": [p("text", f"{kk['date']} {kk['number']}")], "ru": [p("text", f"{ru['date']} {ru['number']}")]},
        {"kk": [p("heading", kk["title"])], "ru": [p("heading", ru["title"])]},
        {"kk": [p("text", t) for t in kk["preamble"]] + [resolves(kk)],
         "ru": [p("text", t) for t in ru["preamble"]] + [resolves(ru)]},
    ]
    for item_kk, item_ru in zip(kk["items"], ru["items"], strict=True):
        rows.append({"kk": [p("text", line["text"]) for line in item_kk["lines"]],
                     "ru": [p("text", line["text"]) for line in item_ru["lines"]]})
    rows.append({"kk": [p("bold", f"{kk['signature']['position']} {kk['signature']['name']}")],
                 "ru": [p("bold", f"{ru['signature']['position']} {ru['signature']['name']}")]})
    return rows
