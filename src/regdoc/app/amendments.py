"""Application function `new_amendment_file`: the skeleton of a new amendment, written as a clerk would start one.

The skeleton is regulation/versions/<in-force date>.yaml: the adopting resolution, the in-force date, the name of
the Regulation as the latest amendment gives it, `ops: []`, and a commented example of every operation (replace,
insert numbered as Kazakhstan's acts number insertions, «4.3-1», delete, replace_words, replace_appendix,
add/remove/change_indicator, justification), Kazakh first, drawn from the edition in force on that date so that
an example uncommented names units and indicators that exist. Its texts are TODO placeholders: `regdoc check`
reports an amendment with no operations yet and any placeholder left, so an unfinished amendment never passes.

The file is created exclusively (regdoc.files.write.create_exclusive): running it twice never overwrites the first
file; the second run is refused, naming it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Optional

from regdoc.data import model as m
from regdoc.errors import CheckFailed, RegdocError
from regdoc.i18n import _
from regdoc.tree.read import VERSIONS_DIR


@dataclass(frozen=True)
class NewAmendment:
    """The amendment file created: its path relative to the root, its name (file stem), and whether its resolution
    exists yet (when not, `check` says how to create it and the views show the amendment as a draft)."""

    rel: str
    name: str
    adopted_by: m.ResolutionId
    resolution_exists: bool


def parse_resolution_id(value: str, what: str = "--resolution") -> m.ResolutionId:
    """Return the resolution id written `2026-02-20/9/7`; raise RegdocError for anything else."""
    try:
        return m.ResolutionId.parse(str(value).strip())
    except ValueError:
        raise RegdocError(_("{what} '{value}' is not a resolution id: write its date, meeting (protocol) number "
                            "and item as YYYY-MM-DD/meeting/item (e.g. 2026-02-20/9/7)").format(
                              what=what, value=value)) from None


@dataclass(frozen=True)
class _Examples:
    """The units and indicators the commented examples name."""

    replace: str = "4.2"
    after: str = "4.3"
    inserted: str = "4.3-1"
    words_target: str = "4.2"
    old_words: tuple[str, str] = ("TODO", "TODO")
    delete: str = "5.4"
    block: str = "legal"
    remove: str = "legal.inspections"
    change: str = "legal.returned_funds"
    latest: Optional[str] = None  # the latest amendment file that states Appendix 1 in new wording


def _whole_word(text: str, lang_min: int = 5) -> Optional[str]:
    """Return the first word of `text` (letters only, at least `lang_min` long) that occurs once as a whole word."""
    from regdoc.phrasing.common import token_spans
    from regdoc.versioning.amend import whole_word_starts

    for a, b in token_spans(text):
        word = text[a:b]
        if len(word) >= lang_min and word.isalpha() and len(whole_word_starts(text, word)[0]) == 1:
            return word
    return None


def _examples(tree: Optional[m.DataTree], when: date) -> _Examples:
    """Return examples drawn from the edition in force on `when` (amendments of that day included), or the
    generic ones when the tree cannot be read."""
    from regdoc.versioning.amend import edition_at, suggest_number

    if tree is None or when < tree.initial.in_force:
        return _Examples()
    try:
        edition = edition_at(tree.initial, tree.amendments, when)
    except RegdocError:
        return _Examples()
    clauses = [u for u in edition.units if u.kind == "clause" and not u.deleted]
    if not clauses:
        return _Examples()
    inserts = [(u.id, suggest_number(edition.units, u.id)) for u in clauses]
    after, inserted = next(((a, n) for a, n in inserts if n is not None and "-" in n),
                           next(((a, n) for a, n in inserts if n is not None), (clauses[0].id, None)))
    words = next(((u.id, (k, r)) for u in clauses[1:]  # not the one the replace example gives a new wording
                  for k, r in [(_whole_word(u.text.kk), _whole_word(u.text.ru))] if k and r), None)
    blocks = edition.appendix.blocks
    big = next((b for b in blocks if len(b.indicators) > 1), None)
    latest = next((a.name for a in reversed(tree.amendments)
                   if a.in_force <= when and any(op.op == "replace_appendix" for op in a.ops)), None)
    return _Examples(
        replace=clauses[0].id, after=after, inserted=inserted or f"{after}.1",
        words_target=words[0] if words else clauses[0].id, old_words=words[1] if words else ("TODO", "TODO"),
        delete=clauses[-1].id, block=blocks[0].id if blocks else "legal",
        remove=big.indicators[-1].id if big else "legal.inspections",
        change=blocks[0].indicators[0].id if blocks and blocks[0].indicators else "legal.returned_funds",
        latest=latest)


def _q(text: str) -> str:
    """Return `text` as a YAML double-quoted scalar (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def skeleton(adopted_by: m.ResolutionId, in_force: date, regulation_ref: Optional[m.Text],
             ex: _Examples = _Examples()) -> str:
    """Return the text of a new amendment file: the amendment with no operations yet and a commented example of
    every operation (Kazakh first, then Russian)."""
    from regdoc.phrasing.common import short_date

    todo = "TODO: {what}"
    lines = [
        f"# Amendment to be adopted by resolution {adopted_by} of the Executive Committee "
        f"({short_date(adopted_by.date)}, meeting No {adopted_by.meeting}, item {adopted_by.item}).",
        "# Written by `regdoc amendment new`. Uncomment the operations you need (delete the others), replace every",
        "# TODO with the text as it is to be adopted, Kazakh (kk) first, then Russian (ru), and run `regdoc check`.",
        "# The README's «Operation reference» gives every key of every operation and the errors it can meet.",
        f"adopted_by: {adopted_by}",
        f"in_force: {in_force.isoformat()}",
        "source: issued                     # issued: the text as adopted; sample: invented example data",
    ]
    if regulation_ref is not None:
        lines += ["# How the amending text names the Regulation (kk: dative case, ru: accusative), as the latest "
                  "amendment names it:",
                  "regulation_ref:", f"  kk: {_q(regulation_ref.kk)}", f"  ru: {_q(regulation_ref.ru)}"]
    lines += [
        "# Why the amendment is made (the comparison table's «Негіздеме / Обоснование»), for every operation that",
        "# gives no justification of its own:",
        "# justification:",
        f"#   kk: {_q(todo.format(what='негіздеме'))}",
        f"#   ru: {_q(todo.format(what='обоснование'))}",
        "ops: []                            # no operations yet: replace [] by the operations below, uncommented",
        "# ops:",
        f"#   - op: replace                  # {ex.replace}-тармақ келесі редакцияда мазмұндалсын / "
        f"пункт {ex.replace} изложить в следующей редакции",
        f"#     target: {_q(ex.replace)}",
        "#     text:",
        f"#       kk: {_q(todo.format(what='жаңа редакциядағы мәтін'))}",
        f"#       ru: {_q(todo.format(what='текст в новой редакции'))}",
        "#     justification:               # optional on every operation; overrides the amendment's own",
        f"#       kk: {_q(todo.format(what='негіздеме'))}",
        f"#       ru: {_q(todo.format(what='обоснование'))}",
        f"#   - op: insert                   # мынадай мазмұндағы {ex.inserted}-тармақпен толықтырылсын / "
        f"дополнить пунктом {ex.inserted} следующего содержания",
        f"#     target: {_q(ex.inserted)}                # a new number: {ex.after}-1, {ex.after}-2 ... after "
        f"{ex.after}; existing units are never renumbered",
        f"#     after: {_q(ex.after)}",
        "#     kind: clause                 # section (4-1), clause (4.3-1) or subclause (3.2.1-1): as deep as its number",
        "#     text:",
        f"#       kk: {_q(todo.format(what='жаңа тармақтың мәтіні'))}",
        f"#       ru: {_q(todo.format(what='текст нового пункта'))}",
        f"#   - op: delete                   # {ex.delete}-тармақ алып тасталсын / пункт {ex.delete} исключить "
        "(it keeps its number, shown as deleted)",
        f"#     target: {_q(ex.delete)}",
        "#   - op: replace_words            # «...» сөздері «...» сөздерімен ауыстырылсын / слова «...» заменить "
        "словами «...» (whole words only)",
        f"#     target: {_q(ex.words_target)}",
        "#     old:",
        f"#       kk: {_q(ex.old_words[0])}",
        f"#       ru: {_q(ex.old_words[1])}",
        "#     new:",
        f"#       kk: {_q(todo.format(what='жаңа сөздер'))}",
        f"#       ru: {_q(todo.format(what='новые слова'))}",
        "#     # occurrence: 2              # or all: needed when the words occur more than once",
        "#   - op: replace_appendix         # 1-қосымша жаңа редакцияда бекітілсін / приложение 1 утвердить в новой "
        "редакции",
        "#     target: appendix-1",
        "#     criteria:                    # the whole Appendix 1 in new wording: "
        + (f"copy `criteria:` of regulation/versions/{ex.latest}.yaml and edit it"
           if ex.latest else "prize_places, rewards and blocks, as in the initial edition's `appendix_1:`"),
        "#       prize_places: 3",
        "#       rewards: {basis: main_blocks, count: 3}",
        "#       blocks: []",
        "#   - op: add_indicator            # a new indicator at the end of a block (or after `after:`)",
        f"#     target: {ex.block}.new_indicator",
        f"#     block: {ex.block}",
        "#     indicator:",
        f"#       id: {ex.block}.new_indicator   # the same as target; it starts with the block's id",
        "#       title:",
        f"#         kk: {_q(todo.format(what='көрсеткіштің атауы'))}",
        f"#         ru: {_q(todo.format(what='название показателя'))}",
        "#       unit: count",
        "#       rule: {kind: per_unit, points: 10, cap: 200}",
        "#   - op: remove_indicator         # its block must keep at least one indicator",
        f"#     target: {ex.remove}",
        "#   - op: change_indicator         # a new rule and/or a new title",
        f"#     target: {ex.change}",
        "#     rule: {kind: per_unit, points: 1, cap: 1000}",
        "#     title:",
        f"#       kk: {_q(todo.format(what='жаңа атауы'))}",
        f"#       ru: {_q(todo.format(what='новое название'))}",
    ]
    return "\n".join(lines) + "\n"


def new_amendment_file(root: Path | str, in_force: date, adopted_by: m.ResolutionId) -> NewAmendment:
    """Return the amendment created as regulation/versions/<in_force>.yaml after writing its skeleton
    exclusively (never over an existing file: that is refused with a RegdocError naming it)."""
    from regdoc.app.workspace import data_tree
    from regdoc.files.write import create_exclusive, refuse_link_out_of_tree

    root = Path(root)
    try:
        tree: Optional[m.DataTree] = data_tree(root, drafts=True)
    except CheckFailed:
        tree = None  # the examples are then the generic ones; `check` reports the tree's errors
    if not (root / "regulation" / "regulation.yaml").is_file():
        raise RegdocError(_("no {file} here: not a regdoc data tree (pass --root DIR or run from the data "
                            "tree)").format(file="regulation/regulation.yaml"), root)
    name = in_force.isoformat()
    rel = (VERSIONS_DIR / f"{name}.yaml").as_posix()
    ref = None
    if tree is not None:
        earlier = [a for a in tree.amendments if a.regulation_ref is not None and a.in_force <= in_force]
        ref = earlier[-1].regulation_ref if earlier else None
    text = skeleton(adopted_by, in_force, ref, _examples(tree, in_force))
    folder = root / VERSIONS_DIR
    refuse_link_out_of_tree(root, folder)
    try:
        create_exclusive(folder / f"{name}.yaml", text.encode("utf-8"))
    except FileExistsError:
        raise RegdocError(_("{file} exists already and is left as it is: edit it, or give another --date (an "
                            "amendment file is named by its in-force date)").format(file=rel)) from None
    exists = tree is not None and tree.resolution(adopted_by) is not None
    return NewAmendment(rel, name, adopted_by, exists)
