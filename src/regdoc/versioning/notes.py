"""Amendment notes of a consolidated text, generated from an edition's record of changes, never typed.

The notes follow the pattern of Kazakhstan's official legal database (Adilet): one note per amendment that
touched a unit or Appendix 1, newest first —
«Ескерту. 4.2-тармақ жаңа редакцияда - Атқару комитетінің 20.02.2026 № 9 қаулысымен.» /
«Сноска. Пункт 4.2 - в редакции постановления Исполнительного комитета от 20.02.2026 № 9.»
The wording itself lives in `phrasing.kk` / `phrasing.ru` (`note`, `deleted_wording`).
"""
from __future__ import annotations

from typing import Optional

from regdoc.data import model as m
from regdoc.errors import RegdocError, nearest
from regdoc.i18n import _
from regdoc.phrasing import for_lang
from regdoc.versioning.amend import APPENDIX, Change, Edition, main_action

_UNIT_ACTIONS = {"replaced": "replaced", "inserted": "inserted", "deleted": "deleted", "words_replaced": "amended"}


def adopting_body(regulation: m.RegulationInfo, lang: str) -> str:
    """Return the adopting body in the genitive («Атқару комитетінің»), as notes and tracked changes name it;
    raise a RegdocError naming regulation.yaml when the data lacks it."""
    return _body(regulation, lang)


def _body(regulation: m.RegulationInfo, lang: str) -> str:
    if regulation.adopting_body_genitive is None:
        raise regulation.where.error(_("the amendment notes need `adopting_body_genitive` (the adopting body in "
                                       "the genitive case, kk and ru)"), "adopting_body_genitive")
    return regulation.adopting_body_genitive[lang]


def _by_amendment(changes: list[Change]) -> list[list[Change]]:
    """Return the changes grouped by amendment, keeping their order (newest first)."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.amendment, []).append(change)
    return list(groups.values())


def _check_target(edition: Edition, target: str) -> Optional[m.Unit]:
    if target == APPENDIX:
        return None
    unit = edition.unit(target)
    if unit is None:
        ids = [APPENDIX] + [u.id for u in edition.units]
        raise RegdocError(_("'{target}' is neither a unit nor {appendix} in the edition in force from "
                            "{date}{suggestion}").format(target=target, appendix=APPENDIX,
                                                         date=edition.in_force.isoformat(),
                                                         suggestion=nearest(target, ids)))
    return unit


def notes(edition: Edition, target: str, lang: str, regulation: m.RegulationInfo) -> list[str]:
    """Return the amendment notes of `target` (a unit number or 'appendix-1') in `edition`, newest first; a note
    made by an amendment whose resolution does not exist yet is marked a draft («... қаулысымен (жоба).»)."""
    unit = _check_target(edition, target)
    phrasing = for_lang(lang)
    body, short_title = _body(regulation, lang), regulation.short_title[lang]
    out = []
    for group in _by_amendment(edition.changes_of(target)):
        rid = group[0].adopted_by
        actions = [c.action for c in group]
        if unit is None:
            if "appendix_replaced" in actions:
                note = phrasing.note("replaced", "appendix", "1", rid, body, short_title)
            else:
                added = actions.count("indicator_added")
                note = phrasing.note("amended", "appendix", "1", rid, body, short_title,
                                     changes=len(actions) - added, supplements=added)
        else:
            action = _UNIT_ACTIONS[main_action(actions)]
            if action == "deleted" and _deleted_with_parent(edition, unit, group[0].amendment):
                continue  # the parent's note says it
            note = phrasing.note(action, unit.kind, unit.id, rid, body, short_title,
                                 changes=actions.count("words_replaced"))
        out.append(phrasing.draft_note(note) if group[0].draft else note)
    return out


def _deleted_with_parent(edition: Edition, unit: m.Unit, amendment: str) -> bool:
    return unit.parent is not None and any(
        c.action == "deleted" and c.amendment == amendment for c in edition.changes_of(unit.parent))


def deleted_text(edition: Edition, target: str, lang: str, regulation: m.RegulationInfo) -> Optional[str]:
    """Return what stands in place of a deleted unit («Алып тасталды - ... қаулысымен.»), or None if in force."""
    unit = _check_target(edition, target)
    if unit is None or not unit.deleted:
        return None
    deletion = next(c for c in edition.changes_of(target) if c.action == "deleted")
    phrasing = for_lang(lang)
    wording = phrasing.deleted_wording(deletion.adopted_by, _body(regulation, lang))
    return phrasing.draft_note(wording) if deletion.draft else wording
