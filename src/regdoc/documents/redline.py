"""The redline between two editions as a value: the consolidated Regulation of edition TO in which every
difference from edition FROM is a tracked change (paragraphs and table rows of runs, each run equal, inserted or
deleted, each change with its author and date).

Pure. The two documents compared are the contexts the consolidated Regulation is rendered from
(`render.regulation.regulation_context`), aligned by regdoc's own structured diff — units by number
(`diff_editions`), rows of Appendix 1 by block and indicator (`diff_criteria`) — never by comparing rendered
files. Inside a changed unit or table cell the words come from `diff.word_diff`; a line break that is inserted or
deleted becomes a paragraph mark that is inserted or deleted. An inserted unit is inserted as whole paragraphs,
a deleted one keeps its number: its old paragraphs are deleted whole and «Алып тасталды - ...» is inserted.

Each change is attributed to the resolution that made it (the newest amendment between FROM and TO that touched
the unit or Appendix 1): author «Атқару комитетінің 20.02.2026 № 9 қаулысы», date its in-force date.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional, Union

from regdoc.data import model as m
from regdoc.phrasing import for_lang
from regdoc.versioning.amend import APPENDIX, Point
from regdoc.versioning.diff import diff_criteria, diff_editions, word_diff
from regdoc.versioning.notes import adopting_body

INS, DEL = "ins", "del"
UNIT_STYLES = {"section": "Section Heading", "clause": "Clause", "subclause": "Subclause", "deleted": "Deleted Unit"}
ROW_STYLES = ("Table Number", "Table Text", "Table Number", "Table Text", "Table Number")
ROW_KEYS = ("number", "indicator", "unit", "rule", "max_points")
TOOL_AUTHOR = "regdoc"  # the author of a difference no resolution made (only the date of the text differs)


@dataclass(frozen=True)
class Revision:
    """Who made a tracked change and when: the adopting resolution and its in-force date."""

    author: str
    when: date


@dataclass(frozen=True)
class Run:
    """A piece of text: `change` None (in both editions), "ins" (only in TO) or "del" (only in FROM)."""

    text: str
    change: Optional[str] = None


@dataclass(frozen=True)
class Para:
    """A paragraph; `mark` is the revision of its paragraph mark (None, "ins" or "del"), `revision` the author and
    date of every change in it."""

    style: str
    runs: tuple[Run, ...]
    mark: Optional[str] = None
    revision: Optional[Revision] = None


@dataclass(frozen=True)
class Cell:
    paras: tuple[Para, ...]
    span: int = 1


@dataclass(frozen=True)
class Row:
    """A table row; `change` "ins" or "del" when the whole row is inserted or deleted."""

    cells: tuple[Cell, ...]
    change: Optional[str] = None
    revision: Optional[Revision] = None
    header: bool = False


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]


Block = Union[Para, Table]


@dataclass(frozen=True)
class Redline:
    """The redline document: the Regulation (portrait part) and Appendix 1 (landscape part)."""

    lang: str
    title: str
    body: tuple[Para, ...]
    appendix: tuple[Block, ...]
    revisions: tuple[Revision, ...]  # the authors and dates of the changes, newest first

    def changed(self) -> bool:
        """Return whether the redline holds any tracked change."""
        return any(_para_changed(p) for p in self.body) or any(
            _para_changed(b) if isinstance(b, Para) else any(
                r.change or any(_para_changed(p) for c in r.cells for p in c.paras) for r in b.rows)
            for b in self.appendix)


def _para_changed(p: Para) -> bool:
    return p.mark is not None or any(r.change for r in p.runs)


# ----- paragraphs from word diffs -------------------------------------------------------------------------------

def whole(texts: Iterable[str], style: str, change: Optional[str], revision: Optional[Revision]) -> list[Para]:
    """Return paragraphs each holding one text whole, inserted or deleted with its paragraph mark (or unchanged)."""
    return [Para(style, (Run(t, change),) if t else (), change, revision if change else None) for t in texts]


def changed(old: list[str], new: list[str], style: str, revision: Optional[Revision]) -> list[Para]:
    """Return the paragraphs of a text whose old paragraphs `old` became `new`, word by word: accepting every
    change gives `new`, rejecting every change gives `old` (a line break inserted or deleted is a paragraph mark
    inserted or deleted)."""
    segments = word_diff("\n".join(old), "\n".join(new))
    paras: list[Para] = []
    runs: list[Run] = []
    for s in segments:
        change = None if s.op == "equal" else INS if s.op == "insert" else DEL
        pieces = s.text.split("\n")
        for k, piece in enumerate(pieces):
            if piece:
                runs.append(Run(piece, change))
            if k < len(pieces) - 1:  # a line break: the paragraph ends with a mark of the segment's kind
                paras.append(Para(style, tuple(runs), change))
                runs = []
    paras.append(Para(style, tuple(runs), None))
    out = []
    for p in paras:
        touched = p.mark is not None or any(r.change for r in p.runs)
        out.append(Para(p.style, _joined(p.runs), p.mark, revision if touched else None))
    return out


def _joined(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Return the runs with neighbours of the same kind joined."""
    out: list[Run] = []
    for r in runs:
        if out and out[-1].change == r.change:
            out[-1] = Run(out[-1].text + r.text, r.change)
        else:
            out.append(r)
    return tuple(out)


def listed(old: list[str], new: list[str], style: str, revision: Optional[Revision]) -> list[Para]:
    """Return a list of whole paragraphs (notes) that became `new`: each kept, inserted or deleted whole."""
    out: list[Para] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += whole(new[j1:j2], style, None, None)
            continue
        out += whole(old[i1:i2], style, DEL, revision)
        out += whole(new[j1:j2], style, INS, revision)
    return out


# ----- the documents compared -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Attribution:
    """Which resolution made the changes to a target between FROM and TO."""

    by_target: dict
    default: Revision

    def of(self, target: str) -> Revision:
        return self.by_target.get(target, self.default)


def _attribution(regulation: m.RegulationInfo, a: Point, b: Point, lang: str) -> _Attribution:
    ph = for_lang(lang)
    body = adopting_body(regulation, lang)
    new = set(b.edition.amendments) - set(a.edition.amendments)
    by_target: dict[str, Revision] = {}
    default = None
    for change in reversed(b.edition.changes):  # newest first: the first one met for a target is its author
        if change.amendment not in new:
            continue
        author = ph.revision_author(change.adopted_by, body)
        revision = Revision(f"{author} ({ph.DRAFT})" if change.draft else author, change.in_force)
        by_target.setdefault(change.target, revision)
        default = default or revision
    return _Attribution(by_target, default or Revision(TOOL_AUTHOR, b.when))


def _units(old_ctx: dict, new_ctx: dict, a: Point, b: Point, who: _Attribution) -> list[Para]:
    old_entries = {e["id"]: e for e in old_ctx["units"]}
    new_entries = {e["id"]: e for e in new_ctx["units"]}
    out: list[Para] = []
    for ud in diff_editions(a.edition, b.edition).units:
        old, new = old_entries.get(ud.id), new_entries.get(ud.id)
        revision = who.of(ud.id)
        if old is None:
            out += whole(new["paragraphs"], UNIT_STYLES[new["kind"]], INS, revision)
            out += whole(new["notes"], "Note", INS, revision)
            continue
        if new is None:
            out += whole(old["paragraphs"], UNIT_STYLES[old["kind"]], DEL, revision)
            out += whole(old["notes"], "Note", DEL, revision)
            continue
        if old["kind"] != new["kind"]:  # a unit deleted: the old wording goes whole, «deleted» comes whole
            out += whole(old["paragraphs"], UNIT_STYLES[old["kind"]], DEL, revision)
            out += whole(new["paragraphs"], UNIT_STYLES[new["kind"]], INS, revision)
        else:
            out += changed(old["paragraphs"], new["paragraphs"], UNIT_STYLES[new["kind"]], revision)
        out += listed(old["notes"], new["notes"], "Note", revision)
    return out


def _line(old: Optional[str], new: Optional[str], style: str, revision: Revision) -> list[Para]:
    """Return one line of the document (a heading, the approval line ...) that may be absent on either side."""
    if not old and not new:
        return []
    if not old:
        return whole([new], style, INS, revision)
    if not new:
        return whole([old], style, DEL, revision)
    if old == new:
        return whole([new], style, None, None)
    # a short line (a date, a heading) reads best replaced whole rather than piece by piece
    return [Para(style, (Run(old, DEL), Run(new, INS)), None, revision)]


def _cells(row: dict, change: Optional[str], revision: Optional[Revision],
           old: Optional[dict] = None) -> tuple[Cell, ...]:
    """Return the cells of an Appendix 1 row: whole (inserted, deleted or unchanged) or, with `old`, word by word."""
    if row["block"]:
        keys, styles, span = ("title",), ("Table Block",), 5
    else:
        keys, styles, span = ROW_KEYS, ROW_STYLES, 1
    cells = []
    for key, style in zip(keys, styles):
        if old is None:
            paras = whole([row[key]], style, change, revision)
            if change:  # a cell keeps its paragraph mark: the row's own revision removes it
                paras = [Para(p.style, p.runs, None, p.revision) for p in paras]
        else:
            paras = changed([old[key]], [row[key]], style, revision)
        cells.append(Cell(tuple(paras), span))
    return tuple(cells)


def _row_key(row: dict) -> tuple[str, ...]:
    """Return the alignment key of a row of Appendix 1's table: its block, and its indicator within the block."""
    return ("block", row["id"]) if row["block"] else ("indicator", row["block_id"], row["id"])


def _table(old_ctx: dict, new_ctx: dict, a: Point, b: Point, revision: Revision) -> Table:
    old_rows = {_row_key(r): r for r in old_ctx["appendix"]["rows"]}
    new_rows = {_row_key(r): r for r in new_ctx["appendix"]["rows"]}
    columns = new_ctx["appendix"]["columns"]
    rows = [Row(tuple(Cell((Para("Table Heading", (Run(columns[k]),)),)) for k in ROW_KEYS), header=True)]
    order: list[tuple[str, ...]] = []
    for bd in diff_criteria(a.edition.appendix, b.edition.appendix).blocks:
        order.append(("block", bd.id))
        order += [("indicator", bd.id, i.id) for i in bd.indicators]
    for key in order:
        old, new = old_rows.get(key), new_rows.get(key)
        if old is None:
            rows.append(Row(_cells(new, INS, revision), INS, revision))
        elif new is None:
            rows.append(Row(_cells(old, DEL, revision), DEL, revision))
        else:
            rows.append(Row(_cells(new, None, revision, old)))
    return Table(tuple(rows))


def redline(tree: m.DataTree, a: Point, b: Point, lang: str) -> Redline:
    """Return the redline from point `a` (FROM) to point `b` (TO) in `lang`: the consolidated Regulation of `b`
    with every difference from `a` as a tracked change."""
    from regdoc.documents.regulation import regulation_context

    old = regulation_context(tree, a.edition, lang, a.when)
    new = regulation_context(tree, b.edition, lang, b.when)
    who = _attribution(tree.regulation, a, b, lang)
    head = who.default
    body = (_line(old["approval"], new["approval"], "Approval", head)
            + _line(old["amended_by"], new["amended_by"], "Approval", head)
            + _line(old["title"], new["title"], "Regulation Title", head)
            + _line(old["as_of"], new["as_of"], "As Of", head)
            + _units(old, new, a, b, who))
    ao, an = old["appendix"], new["appendix"]
    appendix_revision = who.of(APPENDIX)
    appendix: list[Block] = (_line(ao["ref"], an["ref"], "Appendix Ref", head)
                             + _line(ao["title"], an["title"], "Appendix Title", head)
                             + listed(ao["notes"], an["notes"], "Note", appendix_revision))
    appendix.append(_table(old, new, a, b, appendix_revision))
    revisions = sorted({who.default, *who.by_target.values()}, key=lambda r: (r.when, r.author), reverse=True)
    from regdoc.phrasing.common import short_date

    words = for_lang(lang).COMPARISON
    title = f"{tree.regulation.title[lang]} — {words['redline']}: {short_date(a.when)} → {short_date(b.when)}"
    return Redline(lang, title, tuple(body), tuple(appendix), tuple(revisions))
