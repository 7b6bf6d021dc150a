"""Application functions on the Regulation's history: the text in force at a date, the wordings of a unit, and
comparisons of two editions or of two points' criteria.

These views are read-only: they run on a tree whose amendment names a resolution that does not exist yet, and
show that amendment marked as a draft (`Edition.drafts`, `Wording.draft`).

A point (FROM, TO, --as-of) is an edition id (a file stem in regulation/versions/), a date YYYY-MM-DD, or, for the
criteria, an evaluation year YYYY (Appendix 1 in force on 31 December of it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Optional

from regdoc.app.workspace import data_tree
from regdoc.data import model as m
from regdoc.versioning.amend import Point, Wording, from_to, history, point
from regdoc.versioning.diff import CriteriaDiff, EditionDiff, diff_criteria, diff_editions


@dataclass(frozen=True)
class RegulationAt:
    """The Regulation (its identity) and the edition in force at a point."""

    regulation: m.RegulationInfo
    point: Point


@dataclass(frozen=True)
class EditionComparison:
    """Two points of the Regulation's history, the difference of their texts and of their Appendix 1."""

    regulation: m.RegulationInfo
    first: Point
    second: Point
    diff: EditionDiff
    criteria: CriteriaDiff


@dataclass(frozen=True)
class CriteriaComparison:
    """Two points and the difference of their Appendix 1."""

    first: Point
    second: Point
    diff: CriteriaDiff


def regulation_at(root: Path | str, as_of: Optional[str] = None, today: Optional[date] = None) -> RegulationAt:
    """Return the Regulation in force at `as_of` (a date or an edition id; default: today)."""
    tree = data_tree(root, drafts=True)
    ref = as_of or (today or date.today()).isoformat()
    return RegulationAt(tree.regulation, point(tree.initial, tree.amendments, ref, label="--as-of"))


def unit_history(root: Path | str, unit: str) -> tuple[Wording, ...]:
    """Return every wording the unit numbered `unit` has had, oldest first, with its dates and resolutions."""
    tree = data_tree(root, drafts=True)
    return history(tree.initial, tree.amendments, unit)


def compare_editions(root: Path | str, first: str, second: str) -> EditionComparison:
    """Return the comparison of the editions at points `first` and `second` (texts and Appendix 1)."""
    tree = data_tree(root, drafts=True)
    a, b = from_to(tree.initial, tree.amendments, first, second)
    return EditionComparison(tree.regulation, a, b, diff_editions(a.edition, b.edition),
                             diff_criteria(a.edition.appendix, b.edition.appendix))


def compare_criteria(root: Path | str, first: str, second: str) -> CriteriaComparison:
    """Return the comparison of Appendix 1 at points `first` and `second` (evaluation years allowed)."""
    tree = data_tree(root, drafts=True)
    a, b = from_to(tree.initial, tree.amendments, first, second, years=True)
    return CriteriaComparison(a, b, diff_criteria(a.edition.appendix, b.edition.appendix))


def draft_notes(root: Path | str, names: Iterable[str]) -> tuple[str, ...]:
    """Return, for each amendment named in `names` that is a draft (its resolution does not exist yet), the
    message that says so and what to do (`regdoc resolution new ...` with its values)."""
    from regdoc.i18n import _
    from regdoc.tree.check import dangling_resolution

    tree = data_tree(root, drafts=True)
    known = [r.id for r in tree.resolutions]
    out = []
    for name in dict.fromkeys(names):
        amendment = tree.amendment(name)
        if amendment is not None and amendment.draft:
            out.append(_("amendment {name} is shown as a draft: {why}").format(
                name=name, why=dangling_resolution(amendment.adopted_by, known)))
    return tuple(out)
