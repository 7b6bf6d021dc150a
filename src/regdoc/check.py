"""Semantic checks of a data tree beyond its schemas: references, numbering, and both languages agreeing."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from . import model as m
from .amend import editions
from .errors import Problem, RegdocError
from .load import REGISTRY_FILE, Reader, read_tree
from .registry import numbering_of, placeholder_warnings, reference_problem, registry_problems
from .suggest import nearest

_NUMBER = re.compile(r"\d+(?:[.,\u00a0 ]\d+)*")


def check_tree(root: Path | str) -> list[Problem]:
    """Return every error and warning found in the data tree under `root`."""
    reader = Reader(Path(root))
    tree = read_tree(reader)
    problems = list(reader.problems)
    if tree is not None:
        problems.extend(semantic_problems(tree))
    return problems


def semantic_problems(tree: m.DataTree) -> list[Problem]:
    """Return the problems of a schema-valid tree: dangling references, numbering, language mismatches."""
    out: list[Problem] = []

    def error(err: RegdocError) -> None:
        out.append(Problem.from_error(err))

    def warn(err: RegdocError) -> None:
        out.append(Problem.from_error(err, "warning"))

    org_ids = [o.id for o in tree.organisations]
    for org_id, count in Counter(org_ids).items():
        if count > 1:
            error(RegdocError(f"organisation id '{org_id}' is used {count} times", "organisations/organisations.yaml"))
    if tree.regulation.owner not in org_ids:
        error(tree.regulation.where.error(f"owner '{tree.regulation.owner}' is not in organisations/organisations.yaml"
                                          f"{nearest(tree.regulation.owner, org_ids)}", "owner"))

    _check_units(tree.initial.units, error, warn)
    for criteria, where in [(tree.initial.appendix, tree.initial.where)] + [
            (op.criteria, op.where) for a in tree.amendments for op in a.ops if op.criteria is not None]:
        _check_criteria(criteria, where, error)

    try:
        all_editions = editions(tree.initial, tree.amendments)
    except RegdocError as err:
        error(err)
    else:
        _check_amending_texts(tree, all_editions, error)

    resolution_ids = Counter(r.id for r in tree.resolutions)
    for r in tree.resolutions:
        if resolution_ids[r.id] > 1:
            error(r.where.error(f"resolution id {r.id} is used by {resolution_ids[r.id]} files", "id"))
        expected = f"{r.id.file_stem}.yaml"
        if r.where.file and Path(r.where.file).name != expected:
            error(r.where.error(f"file is named {Path(r.where.file).name}, but holds resolution {r.id}: "
                                f"name it {expected}", "id"))
        if r.where.file and Path(r.where.file).parent.name != str(r.id.date.year):
            error(r.where.error(f"resolution of {r.id.date.year} stands in folder {Path(r.where.file).parent}; "
                                f"move it to resolutions/{r.id.date.year}/", "id"))
        _check_resolution(tree, r, error, warn)

    _check_registry(tree, error, warn)

    for a in tree.amendments:
        if tree.resolution(a.adopted_by) is None:
            error(a.where.error(f"resolution {a.adopted_by} is not in resolutions/"
                                f"{nearest(str(a.adopted_by), [str(r.id) for r in tree.resolutions])}",
                                "adopted_by"))
        if a.in_force < a.adopted_by.date:
            warn(a.where.error(f"in force on {a.in_force.isoformat()}, before its resolution's date "
                               f"{a.adopted_by.date.isoformat()}", "in_force"))
        for op in a.ops:
            for key, value in (("text", op.text), ("old", op.old), ("new", op.new), ("justification", op.justification)):
                if value is not None:
                    _check_numbers(value, op.where, key, warn)
    return out


def _check_registry(tree: m.DataTree, error, warn) -> None:
    """The numbering rules of the registry (registry.py), drafts left unfinished, references to resolutions."""
    if tree.registry is None and tree.resolutions:
        warn(RegdocError("the numbering period is not declared: add this file with `numbering: per_year` or "
                         "`numbering: continuous`; meanwhile meetings are checked within each calendar year only",
                         REGISTRY_FILE.as_posix()))
    for err in registry_problems(tree.resolutions, numbering_of(tree.registry)):
        error(err)
    for r in tree.resolutions:
        for err in placeholder_warnings(r):
            warn(err)
    adopted_by = tree.initial.adopted_by
    dangling = reference_problem(adopted_by, tree.resolutions) if adopted_by is not None else None
    if dangling:
        error(tree.initial.where.error(dangling, "adopted_by"))


def _check_units(units, error, warn) -> None:
    seen: set[str] = set()
    previous: tuple[int, ...] = ()
    for unit in units:
        if unit.id in seen:
            error(unit.where.error(f"unit {unit.id} is given twice", "id"))
        seen.add(unit.id)
        depth = unit.id.count(".") + 1
        expected = {1: "section", 2: "clause", 3: "subclause"}[depth]
        if unit.kind != expected:
            error(unit.where.error(f"unit {unit.id} is numbered as a {expected} but its kind is {unit.kind}", "kind"))
        if unit.parent is not None and unit.parent not in seen:
            error(unit.where.error(f"unit {unit.id} stands outside its parent {unit.parent}, "
                                   f"which does not come before it", "id"))
        if unit.number_key <= previous:
            error(unit.where.error(f"unit {unit.id} comes after {'.'.join(map(str, previous))}: "
                                   "units must be in ascending order", "id"))
        previous = unit.number_key
        _check_numbers(unit.text, unit.where, "text", warn)


def _check_criteria(criteria: m.Criteria, where: m.Where, error) -> None:
    seen: dict[str, m.Indicator] = {}
    block_ids = Counter(b.id for b in criteria.blocks)
    for block in criteria.blocks:
        if block_ids[block.id] > 1:
            error(where.error(f"block '{block.id}' is given twice in Appendix 1"))
        for ind in block.indicators:
            if ind.id in seen:
                error(ind.where.error(f"indicator {ind.id} is given twice", "id"))
            seen[ind.id] = ind
            if not ind.id.startswith(block.id + "."):
                error(ind.where.error(f"indicator {ind.id} must start with its block id '{block.id}.'", "id"))
            bands = ind.rule.bands
            for prev, band in zip(bands, bands[1:]):
                if prev.end is None or prev.end != band.start:
                    error(ind.where.error(f"bands must follow each other: a band ends at {prev.end} "
                                          f"but the next starts at {band.start}", "rule.bands"))
            for band in bands:
                if band.end is not None and band.end <= band.start:
                    error(ind.where.error(f"band from {band.start} to {band.end} is empty", "rule.bands"))
    for key in criteria.tie_break:
        if key != "main_blocks" and key not in seen:
            error(where.error(f"tie_break names indicator '{key}', which is not in Appendix 1"
                              f"{nearest(key, list(seen))}"))
    if not any(b.main for b in criteria.blocks) and criteria.rewards.basis == "main_blocks":
        error(where.error("rewards are by main blocks, but no block is marked main: true"))


def _check_resolution(tree: m.DataTree, r: m.Resolution, error, warn) -> None:
    numbers = [it.number for it in r.items]
    for n, count in Counter(numbers).items():
        if count > 1:
            error(r.where.error(f"item number {n} is used {count} times", "items"))
    expected = list(range(1, max(numbers) + 1))
    missing = sorted(set(expected) - set(numbers))
    if missing:
        warn(r.where.error(f"items are numbered {', '.join(map(str, numbers))}: no item "
                           f"{', '.join(map(str, missing))} (kept as issued)", "items"))
    if numbers != sorted(numbers):
        error(r.where.error("items are not in ascending order", "items"))
    org_ids = [o.id for o in tree.organisations]
    for text_, key in ((r.title, "title"), (r.preamble, "preamble")):
        _check_numbers(text_, r.where, key, warn)
    for item in r.items:
        if item.text is not None:
            _check_numbers(item.text, item.where, "text", warn)
        for place in item.places:
            if place.organisation not in org_ids:
                error(place.where.error(f"organisation '{place.organisation}' is not in organisations/"
                                        f"organisations.yaml{nearest(place.organisation, org_ids)}", "organisation"))
        for i, org in enumerate(item.rewards):
            if org not in org_ids:
                error(item.where.error(f"organisation '{org}' is not in organisations/organisations.yaml"
                                       f"{nearest(org, org_ids)}", f"rewards[{i}]"))
        if item.places and r.evaluation is None:
            error(item.where.error("places are stated, but the resolution names no `evaluation` year", "places"))
        if item.amendment is not None:
            amendment = tree.amendment(item.amendment)
            names = [a.name for a in tree.amendments]
            if amendment is None:
                error(item.where.error(f"amendment '{item.amendment}' is not in regulation/versions/"
                                       f"{nearest(item.amendment, names)}", "amendment"))
            elif amendment.adopted_by != r.id:
                error(item.where.error(f"amendment {item.amendment} says it was adopted by {amendment.adopted_by}, "
                                       f"not by {r.id}", "amendment"))


def _numbers(text: str) -> list[str]:
    return sorted(re.sub(r"[\u00a0 ]", "", n).replace(",", ".") for n in _NUMBER.findall(text))


def _check_numbers(text: m.Text, where: m.Where, key: str, warn) -> None:
    kk, ru = _numbers(text.kk), _numbers(text.ru)
    if kk != ru:
        only_kk = sorted((Counter(kk) - Counter(ru)).elements())
        only_ru = sorted((Counter(ru) - Counter(kk)).elements())
        warn(where.error(f"the Kazakh and Russian texts hold different numbers "
                         f"(only in kk: {', '.join(only_kk) or '-'}; only in ru: {', '.join(only_ru) or '-'})", key))


def _check_amending_texts(tree: m.DataTree, all_editions, error) -> None:
    """Generate the amending text of every amendment a resolution item links to, or that carries `as_issued`
    patches, in both languages: a missing name as issued or a patch that no longer applies is an error."""
    from .amending import amending_lines

    numbers = {item.amendment: item.number for r in tree.resolutions for item in r.items if item.amendment}
    ordered = sorted(tree.amendments, key=lambda a: (a.in_force, a.name))
    for amendment, before in zip(ordered, all_editions):
        if amendment.name not in numbers and not amendment.as_issued:
            continue
        for lang in m.LANGS:
            try:
                amending_lines(amendment, numbers.get(amendment.name, 1), lang, tree.regulation, before=before)
            except RegdocError as err:
                error(err)
