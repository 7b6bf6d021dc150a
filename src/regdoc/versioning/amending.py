"""The amending text of a resolution item, generated from the amendment's operations.

One fact, one place: the operations in `regulation/versions/<id>.yaml` make both the consolidated Regulation and
this text. The sub-items are grouped the way the issued resolution of 20.02.2026 No 9 groups them:

    4. <the Regulation, as issued> өзгерістер мен толықтырулар енгізілсін.      (kind "item")
    4.1. Төмендегі тармақтар келесі редакцияда мазмұндалсын:                    (kind "subitem": every `replace`)
    - «3.2. ...»;                                                               (kind "quote")
    - «5.2. ...».
    4.2. <Appendix 1, as issued> жаңа редакцияда бекітілсін.                    (`replace_appendix`)

Other operations get sub-items of their own, in the order they first appear: each `insert` (with its quoted
wording), the `delete`s of one kind of unit together, each `replace_words`, each criterion operation. The item
names the kinds of change in the plural: changes (new wording, deletion, words replaced, criterion changed or
removed) and supplements (an inserted unit or indicator); Appendix 1 approved in new wording is both, as the
issued item 4 says («өзгерістер мен толықтырулар»).

Where the issued text departs from the rule (an irregularity as issued), the amendment's `as_issued` patches turn
the generated text into the issued one; a patch whose `generated` text is not found is an error, so a patch can
never silently stop applying.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from regdoc.data import model as m
from regdoc.errors import RegdocError
from regdoc.i18n import N_, _
from regdoc.phrasing import for_lang
from regdoc.versioning.amend import Edition
from regdoc.versioning.amend import unit_kind as _kind

_CHANGES = {"replace", "replace_words", "delete", "remove_indicator", "change_indicator", "replace_appendix"}
_SUPPLEMENTS = {"insert", "add_indicator", "replace_appendix"}
_INDICATOR_OPS = {"add_indicator", "remove_indicator", "change_indicator"}


def changes_and_supplements(amendment: m.Amendment) -> tuple[bool, bool]:
    """Return whether `amendment` makes changes and whether it makes supplements (a new wording of Appendix 1
    makes both): «өзгерістер мен толықтырулар» / «изменения и дополнения»."""
    kinds = {op.op for op in amendment.ops}
    return bool(kinds & _CHANGES), bool(kinds & _SUPPLEMENTS)


@dataclass(frozen=True)
class Line:
    """One paragraph of the amending text: kind is "item", "subitem" or "quote"."""

    kind: str
    text: str


def _groups(ops: tuple[m.Op, ...]) -> list[list[m.Op]]:
    """Return the operations grouped into sub-items, in the order each group first appears."""
    groups: dict[tuple, list[m.Op]] = {}
    for i, op in enumerate(ops):
        if op.op == "replace":
            key: tuple = ("replace",)
        elif op.op == "delete":
            key = ("delete", _kind(op.target))
        else:
            key = (op.op, i)
        groups.setdefault(key, []).append(op)
    return list(groups.values())


def _quotes(number: Optional[str], text: str, last: bool, phrasing) -> list[Line]:
    return [Line("quote", t) for t in phrasing.quote_lines(number, text, last)]


def _ref(value: Optional[m.Text], lang: str, where: m.Where, key: str, what: str) -> str:
    if value is None:
        raise where.error(_("the amending text needs {what} as issued: add `{key}` (kk and ru)").format(
            what=_(what), key=key), key)
    return value[lang]


def _block_of(before: Optional[Edition], op: m.Op, block_id: str) -> m.Block:
    if before is None:
        raise op.where.error(_("{op} {target}: the amending text of a criterion operation needs the edition it "
                               "applies to (amending_lines(..., before=edition))").format(op=op.op, target=op.target),
                             "op")
    block = next((b for b in before.appendix.blocks if b.id == block_id), None)
    if block is None:
        raise op.where.error(_("block '{block}' is not in Appendix 1 of the edition it applies to").format(
            block=block_id), "block")
    return block


def _indicator_lines(op: m.Op, lang: str, phrasing, before: Optional[Edition]) -> list[Line]:
    if op.op == "add_indicator":
        block = _block_of(before, op, op.block)
        ind = op.indicator
        return [Line("subitem", phrasing.add_indicator_heading(block.title[lang]))] + _quotes(
            None, phrasing.indicator_text(ind.title[lang], ind.rule, ind.unit), True, phrasing)
    block = _block_of(before, op, op.target.split(".", 1)[0])
    ind = next((i for i in block.indicators if i.id == op.target), None)
    if ind is None:
        raise op.where.error(_("indicator '{id}' is not in Appendix 1 of the edition it applies to").format(
            id=op.target), "target")
    if op.op == "remove_indicator":
        return [Line("subitem", phrasing.remove_indicator_heading(block.title[lang], ind.title[lang]))]
    lines = []
    if op.title is not None:
        lines.append(Line("subitem", phrasing.replace_words_heading("appendix", "1", ind.title[lang],
                                                                     op.title[lang])))
    if op.rule is not None:
        title = (op.title or ind.title)[lang]
        lines.append(Line("subitem", phrasing.change_rule_heading(title)))
        lines += _quotes(None, phrasing.rule_text(op.rule, ind.unit), True, phrasing)
    return lines


def _group_lines(group: list[m.Op], lang: str, phrasing, before: Optional[Edition]) -> list[Line]:
    first = group[0]
    if first.op == "replace":
        lines = [Line("subitem", phrasing.replace_heading([_kind(op.target) for op in group],
                                                                  [op.target for op in group]))]
        for j, op in enumerate(group):
            lines += _quotes(op.target, op.text[lang], j == len(group) - 1, phrasing)
        return lines
    if first.op == "delete":
        return [Line("subitem", phrasing.delete_heading(_kind(first.target), [op.target for op in group]))]
    if first.op == "insert":
        return [Line("subitem", phrasing.insert_heading(first.kind, first.target, _kind(first.after), first.after))] \
            + _quotes(first.target, first.text[lang], True, phrasing)
    if first.op == "replace_words":
        return [Line("subitem", phrasing.replace_words_heading(_kind(first.target), first.target, first.old[lang],
                                                               first.new[lang], first.occurrence))]
    if first.op == "replace_appendix":
        ref = _ref(first.ref, lang, first.where, "ref", N_("the name of Appendix 1"))
        return [Line("subitem", phrasing.approve_appendix_heading(ref))]
    if first.op in _INDICATOR_OPS:
        return _indicator_lines(first, lang, phrasing, before)
    raise first.where.error(_("operation '{op}' has no amending text").format(op=first.op), "op")


def _numbered(lines: list[Line], prefix: str) -> list[Line]:
    """Return the sub-item lines numbered «4.1.», «4.2.» ... (a group may hold several sub-item lines)."""
    out, n = [], 0
    for line in lines:
        if line.kind == "subitem":
            n += 1
            line = Line("subitem", f"{prefix}.{n}. {line.text}")
        out.append(line)
    return out


def apply_as_issued(lines: list[Line], amendment: m.Amendment, lang: str) -> list[Line]:
    """Return `lines` with the amendment's `as_issued` patches of `lang` applied; raise if one does not apply."""
    for patch in amendment.as_issued:
        if patch.lang != lang:
            continue
        hits = [k for k, line in enumerate(lines) if patch.generated in line.text]
        count = sum(line.text.count(patch.generated) for line in lines)
        if count == 0:
            raise patch.where.error(_("the text «{text}» is not in the generated {lang} amending text, so the patch "
                                      "no longer applies; correct or remove it").format(
                text=patch.generated, lang=lang), "generated")
        if count > 1:
            raise patch.where.error(_("the text «{text}» occurs {count} times in the generated {lang} amending "
                                      "text; quote more of it so that it occurs once").format(
                text=patch.generated, count=count, lang=lang), "generated")
        k = hits[0]
        lines[k] = Line(lines[k].kind, lines[k].text.replace(patch.generated, patch.issued))
    return lines


def amending_lines(amendment: m.Amendment, number: int, lang: str, regulation: m.RegulationInfo, *,
                   before: Optional[Edition] = None) -> tuple[Line, ...]:
    """Return the amending text of resolution item `number` generated from `amendment`'s operations, in `lang`.

    The Regulation and Appendix 1 are named as the issued text names them: the amendment's `regulation_ref` and
    the appendix operation's `ref` (a missing one is an error naming the file, line and key); `regulation`, the
    Regulation's identity, is taken for the same signature as `notes`. `before`, the edition the amendment
    applies to, is needed only for criterion operations (to name a block or indicator by its title).
    """
    if lang not in m.LANGS:
        raise RegdocError(_("unknown language '{lang}'; regdoc writes {langs}").format(
            lang=lang, langs=", ".join(m.LANGS)))
    phrasing = for_lang(lang)
    ref = _ref(amendment.regulation_ref, lang, amendment.where, "regulation_ref", N_("the name of the Regulation"))
    lines = [Line("item", f"{number}. {phrasing.amend_item(ref, *changes_and_supplements(amendment))}")]
    body: list[Line] = []
    for group in _groups(amendment.ops):
        body += _group_lines(group, lang, phrasing, before)
    lines += _numbered(body, str(number))
    return tuple(apply_as_issued(lines, amendment, lang))


def amending_text(lines: tuple[Line, ...]) -> str:
    """Return the lines as plain text, one paragraph a line."""
    return "\n".join(line.text for line in lines)
