"""The annexes of a resolution and the context of Appendix 1 as an annex (approved in new wording by an item).

Pure. Which annexes a resolution has is data: each item lists what it attaches or approves (`annexes:` of an
item, regdoc.data.model.Annex). They are numbered in the order of the items (1-қосымша, 2-қосымша ...); a
resolution with one annex calls it «қосымша» / «Приложение» without a number, as Kazakhstan's documentation
practice does. Layout of Appendix 1 in templates/<lang>/appendix.docx (landscape):

    annex                   the annex stamp of the resolution (top right): «... № 9 қаулысына 2-қосымша»
    ref                     the appendix's own stamp: «... туралы ережеге 1-қосымша»
    title, sample           the title of Appendix 1, and a line saying the criteria are a sample
    columns, rows[]         as the appendix of the consolidated Regulation (documents.regulation.appendix_rows)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from regdoc.data import model as m
from regdoc.i18n import _
from regdoc.phrasing import for_lang, typeset


@dataclass(frozen=True)
class NumberedAnnex:
    """An annex of a resolution with its number (None: the resolution's only annex) and the item it belongs to."""

    number: Optional[int]
    item: m.Item
    annex: m.Annex


def annexes(resolution: m.Resolution) -> list[NumberedAnnex]:
    """Return the annexes of `resolution` in the order of its items, numbered when there are several."""
    found = [(item, annex) for item in resolution.items for annex in item.annexes]
    return [NumberedAnnex(None if len(found) == 1 else k, item, annex) for k, (item, annex) in enumerate(found, 1)]


def annex_of(resolution: Optional[m.Resolution], document: str) -> Optional[NumberedAnnex]:
    """Return the first annex of `resolution` that is `document` (results | appendix_1), or None."""
    if resolution is None:
        return None
    return next((a for a in annexes(resolution) if a.annex.document == document), None)


def stamp(tree: m.DataTree, resolution: m.Resolution, annex: NumberedAnnex, lang: str) -> str:
    """Return the annex stamp of `annex` in `lang` («Атқару комитетінің ... № 9 қаулысына 1-қосымша»)."""
    body = tree.regulation.adopting_body_genitive or tree.regulation.adopting_body
    return for_lang(lang).annex_stamp(resolution.id, body[lang], annex.number)


def approved_appendix(tree: m.DataTree, amendment: m.Amendment) -> m.Criteria:
    """Return Appendix 1 as `amendment` left it (the new wording its item approves)."""
    from regdoc.versioning.amend import editions

    for edition in editions(tree.initial, tree.amendments):
        if edition.amendments and edition.amendments[-1] == amendment.name:
            return edition.appendix
    raise amendment.where.error(_("amendment {name} is not among the editions of the Regulation").format(
        name=amendment.name))


def appendix_context(tree: m.DataTree, resolution: m.Resolution, annex: NumberedAnnex, lang: str) -> dict:
    """Return the template context of Appendix 1 in the new wording that `annex`'s item approves."""
    from regdoc.documents.regulation import appendix_rows

    ph = for_lang(lang)
    amendment = tree.amendment(annex.item.amendment or "")
    if amendment is None:
        raise annex.annex.where.error(_("item {number} approves Appendix 1 but links no amendment (`amendment:`) "
                                        "that states it").format(number=annex.item.number), "document")
    criteria = approved_appendix(tree, amendment)
    info = tree.regulation
    return typeset({
        "lang": lang,
        "annex": stamp(tree, resolution, annex, lang),
        "ref": ph.appendix_ref(info.title[lang]),
        "title": info.appendix_title[lang],
        "sample": ph.label("sample_criteria") if criteria.source == "sample" else "",
        "columns": dict(ph.APPENDIX_COLUMNS),
        "rows": appendix_rows(criteria, lang),
    }, lang)
