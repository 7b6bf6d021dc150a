"""Semantic checks of a data tree beyond its schemas: references, numbering, and both languages agreeing."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from regdoc.data import model as m
from regdoc.errors import Problem, RegdocError, nearest
from regdoc.i18n import _
from regdoc.registry.numbering import (
    PLACEHOLDER,
    numbering_of,
    placeholder_warnings,
    reference_problem,
    registry_problems,
)
from regdoc.tree import REGISTRY_FILE
from regdoc.versioning.amend import editions

_NUMBER = re.compile(r"\d+(?:[.,\u00a0 ]\d+)*")
_PLACEHOLDER = re.compile(r"\bTODO\b")


def dangling_resolution(rid: m.ResolutionId, known: list[m.ResolutionId]) -> str:
    """Return the message of an amendment whose adopting resolution `rid` is not among `known`: the nearest id
    (a typo) and the command that creates the resolution, its values filled in."""
    suggestion = nearest(str(rid), [str(k) for k in known])
    return _("resolution {adopted_by} does not exist yet: create it with `regdoc resolution new --date {date} "
             "--meeting {meeting} --item {item}` (until then the views show the amendment as a draft and no "
             "signable document is made from it){suggestion}").format(
        adopted_by=rid, suggestion=suggestion, date=rid.date.isoformat(), meeting=rid.meeting, item=rid.item)


def check_tree(root: Path | str) -> list[Problem]:
    """Return every error and warning found in the data tree under `root`."""
    return checked_tree(root)[1]


def checked_tree(root: Path | str) -> tuple[m.DataTree | None, list[Problem]]:
    """Return the data tree under `root` (None when it cannot be read) and every error and warning `check`
    finds in it: one reading serves both, so what is checked is what is then used."""
    from regdoc.tree import snapshot

    root = Path(root)
    found, files = snapshot.lookup("check", root)  # the same bytes checked before: the same answer
    if found is not None:
        return snapshot.rooted(found[0], root), list(found[1])
    from regdoc.tree.read import Reader, read_tree  # not needed (nor YAML, nor the schemas) on a cache hit

    reader = Reader(root)
    tree = read_tree(reader)
    problems = list(reader.problems)
    if tree is not None:
        problems.extend(semantic_problems(tree))
        if snapshot.keepable(problems, tree.root):  # what load_tree gives for these bytes
            snapshot.store("tree", files, (tree, tuple(problems)), dict(tree.digests))
        problems.extend(scoring_problems(reader.root, tree))
    problems = list(dict.fromkeys(problems))  # the same fault met by two checks is reported once
    if tree is not None and snapshot.keepable(problems, tree.root):
        snapshot.store("check", files, (tree, tuple(problems)), dict(tree.digests))
        snapshot.store("problems", files, tuple(problems), dict(tree.digests))  # `check` needs no model
    return tree, problems


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
            error(RegdocError(_("organisation id '{org_id}' is used {count} times").format(org_id=org_id, count=count), "organisations/organisations.yaml"))
    if tree.regulation.owner not in org_ids:
        error(tree.regulation.where.error(_("owner '{owner}' is not in organisations/organisations.yaml{suggestion}").format(
                                              owner=tree.regulation.owner,
                                              suggestion=nearest(tree.regulation.owner, org_ids)), "owner"))

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
            error(r.where.error(_("resolution id {id} is used by {count} files").format(
                                    id=r.id, count=resolution_ids[r.id]), "id"))
        expected = f"{r.id.file_stem}.yaml"
        if r.where.file and Path(r.where.file).name != expected:
            error(r.where.error(_misnamed_resolution(tree, r, expected), "id"))
        if r.where.file and Path(r.where.file).parent.name != str(r.id.date.year):
            error(r.where.error(_("resolution of {year} stands in folder {parent}; move it to resolutions/{year}/").format(
                                    year=r.id.date.year, parent=Path(r.where.file).parent), "id"))
        _check_resolution(tree, r, error, warn)

    _check_registry(tree, error, warn)

    def draft(err: RegdocError) -> None:
        out.append(Problem.from_error(err, draft=True))

    for a in tree.amendments:
        if tree.resolution(a.adopted_by) is None:
            draft(a.where.error(dangling_resolution(a.adopted_by, [r.id for r in tree.resolutions]), "adopted_by"))
        if not a.ops:
            draft(a.where.error(_("the amendment has no operations yet: uncomment one of the examples in the file "
                                  "(or write an operation) under `ops:`"), "ops"))
        texts = [(a.where, None, "justification", a.justification)] + [
            (op.where, f"{k + 1} ({op.op} {op.target})", key, value) for k, op in enumerate(a.ops)
            for key, value in (("text", op.text), ("old", op.old), ("new", op.new), ("title", op.title),
                               ("indicator.title", op.indicator.title if op.indicator is not None else None),
                               ("justification", op.justification))]
        for where, number, key, value in texts:
            langs = [lang for lang in m.LANGS if value is not None and _PLACEHOLDER.search(value[lang])]
            if langs:
                what = (_("operation {number}: `{key}`").format(number=number, key=key) if number
                        else f"`{key}`")
                draft(where.error(_("{what} still holds the placeholder {placeholder} ({langs}): write the text as "
                                    "it is to be adopted").format(what=what, placeholder=PLACEHOLDER,
                                                                  langs=", ".join(langs)), key))
        unjustified = [str(i + 1) for i, op in enumerate(a.ops) if op.justification is None]
        if unjustified and a.justification is None:
            warn(a.where.error(_("no justification is given for operation(s) {ops}: the comparison table says so "
                                 "in the column «Негіздеме / Обоснование»; add `justification: {{kk: ..., ru: ...}}` "
                                 "to the amendment or to each operation").format(ops=", ".join(unjustified)),
                               "ops"))
        if a.in_force < a.adopted_by.date:
            warn(a.where.error(_("in force on {in_force}, before its resolution's date {date}").format(
                                   in_force=a.in_force.isoformat(), date=a.adopted_by.date.isoformat()), "in_force"))
        for op in a.ops:
            for key, value in (("text", op.text), ("old", op.old), ("new", op.new), ("justification", op.justification)):
                if value is not None:
                    _check_numbers(value, op.where, key, warn)
    return out


_STEM = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})-([0-9]{1,4})-([0-9]{1,4})$")


def _misnamed_resolution(tree: m.DataTree, r: m.Resolution, expected: str) -> str:
    """Return the message of a resolution file whose name is not its id's: rename it when that name is free;
    when a file of that name exists already (the id is used twice), never suggest renaming onto it: suggest the
    id the file's own name gives when no resolution uses it, else say that no free name follows from the data."""
    file = Path(r.where.file)
    name = file.name
    taken = {Path(x.where.file).as_posix() for x in tree.resolutions if x.where.file}
    target = file.with_name(expected)
    if target.as_posix() not in taken and not (Path(tree.root) / target).exists():
        return _("file is named {name}, but holds resolution {id}: name it {expected}").format(
            name=name, id=r.id, expected=expected)
    claimed = None
    match = _STEM.fullmatch(file.stem)
    if match:
        try:
            claimed = m.ResolutionId.parse(f"{match[1]}/{match[2]}/{match[3]}")
        except ValueError:
            claimed = None
    if claimed is not None and tree.resolution(claimed) is None:
        return _("file is named {name}, but holds resolution {id}, and {expected} exists already (renaming would "
                 "not help): if this file is resolution {claimed}, as its name says, change its id to "
                 "{claimed}").format(name=name, id=r.id, expected=expected, claimed=claimed)
    return _("file is named {name}, but holds resolution {id}, and {expected} exists already: no free name follows "
             "from the data; if it is another resolution, take a new number with `regdoc resolution new --date "
             "{date}` and move its text there").format(name=name, id=r.id, expected=expected,
                                                       date=r.id.date.isoformat())


def _check_registry(tree: m.DataTree, error, warn) -> None:
    """The numbering rules of the registry (registry.py), drafts left unfinished, references to resolutions."""
    if tree.registry is None and tree.resolutions:
        warn(RegdocError(_("the numbering period is not declared: add this file with `numbering: per_year` or "
                           "`numbering: continuous`; meanwhile meetings are checked within each calendar year only"),
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
    previous: tuple = ()
    previous_id = ""
    for unit in units:
        if unit.id in seen:
            error(unit.where.error(_("unit {id} is given twice").format(id=unit.id), "id"))
        seen.add(unit.id)
        expected = m.UNIT_KINDS[m.unit_depth(unit.id)]
        if unit.kind != expected:
            error(unit.where.error(_("unit {id} is numbered as a {expected} but its kind is {kind}").format(
                                       id=unit.id, expected=expected, kind=unit.kind), "kind"))
        if unit.parent is not None and unit.parent not in seen:
            error(unit.where.error(_("unit {id} stands outside its parent {parent}, which does not come before it").format(
                                       id=unit.id, parent=unit.parent), "id"))
        if unit.number_key <= previous:
            error(unit.where.error(_("unit {id} comes after {previous}: units must be in ascending order").format(
                                       id=unit.id, previous=previous_id), "id"))
        previous, previous_id = unit.number_key, unit.id
        _check_numbers(unit.text, unit.where, "text", warn)


def _check_criteria(criteria: m.Criteria, where: m.Where, error) -> None:
    seen: dict[str, m.Indicator] = {}
    block_ids = Counter(b.id for b in criteria.blocks)
    for block in criteria.blocks:
        if block_ids[block.id] > 1:
            error(where.error(_("block '{id}' is given twice in Appendix 1").format(id=block.id)))
        for ind in block.indicators:
            if ind.id in seen:
                error(ind.where.error(_("indicator {id} is given twice").format(id=ind.id), "id"))
            seen[ind.id] = ind
            if not ind.id.startswith(block.id + "."):
                error(ind.where.error(_("indicator {id} must start with its block id '{id2}.'").format(
                                          id=ind.id, id2=block.id), "id"))
            bands = ind.rule.bands
            for prev, band in zip(bands, bands[1:]):
                if prev.end is None or prev.end != band.start:
                    error(ind.where.error(_("bands must follow each other: a band ends at {end} but the next starts "
                                            "at {start}").format(end=prev.end, start=band.start), "rule.bands"))
            for band in bands:
                if band.end is not None and band.end <= band.start:
                    error(ind.where.error(_("band from {start} to {end} is empty").format(
                                              start=band.start, end=band.end), "rule.bands"))
    for key in criteria.tie_break:
        if key != "main_blocks" and key not in seen:
            error(where.error(_("tie_break names indicator '{key}', which is not in Appendix 1{suggestion}").format(
                                  key=key, suggestion=nearest(key, list(seen)))))
    if not any(b.main for b in criteria.blocks) and criteria.rewards.basis == "main_blocks":
        error(where.error(_("rewards are by main blocks, but no block is marked main: true")))


def _check_resolution(tree: m.DataTree, r: m.Resolution, error, warn) -> None:
    numbers = [it.number for it in r.items]
    for n, count in Counter(numbers).items():
        if count > 1:
            error(r.where.error(_("item number {n} is used {count} times").format(n=n, count=count), "items"))
    given = set(numbers)
    missing = [n for n in range(1, max(numbers) + 1) if n not in given]  # the schema bounds numbers to 999
    if missing:
        warn(r.where.error(_("items are numbered {numbers}: no item {missing} (kept as issued)").format(
                               numbers=", ".join(map(str, numbers)), missing=", ".join(map(str, missing))), "items"))
    if numbers != sorted(numbers):
        error(r.where.error(_("items are not in ascending order"), "items"))
    org_ids = [o.id for o in tree.organisations]
    for text_, key in ((r.title, "title"), (r.preamble, "preamble")):
        _check_numbers(text_, r.where, key, warn)
    for item in r.items:
        if item.text is not None:
            _check_numbers(item.text, item.where, "text", warn)
        for place in item.places:
            if place.organisation not in org_ids:
                error(place.where.error(_("organisation '{organisation}' is not in "
                                          "organisations/organisations.yaml{suggestion}").format(
                                            organisation=place.organisation,
                                            suggestion=nearest(place.organisation, org_ids)), "organisation"))
        for i, org in enumerate(item.rewards):
            if org not in org_ids:
                error(item.where.error(_("organisation '{org}' is not in "
                                         "organisations/organisations.yaml{suggestion}").format(
                                           org=org, suggestion=nearest(org, org_ids)), f"rewards[{i}]"))
        if item.places and r.evaluation is None:
            error(item.where.error(_("places are stated, but the resolution names no `evaluation` year"), "places"))
        _check_annexes(tree, r, item, error, warn)
        if item.amendment is not None:
            amendment = tree.amendment(item.amendment)
            names = [a.name for a in tree.amendments]
            if amendment is None:
                error(item.where.error(_("amendment '{amendment}' is not in regulation/versions/{suggestion}").format(
                                           amendment=item.amendment, suggestion=nearest(item.amendment, names)), "amendment"))
            elif amendment.adopted_by != r.id:
                error(item.where.error(_("amendment {amendment} says it was adopted by {adopted_by}, not by {id}").format(
                                           amendment=item.amendment, adopted_by=amendment.adopted_by, id=r.id), "amendment"))


def _check_annexes(tree: m.DataTree, r: m.Resolution, item: m.Item, error, warn) -> None:
    """An annex the packet cannot produce is an error; an Appendix 1 approved in new wording but not listed as an
    annex is a warning (the packet then leaves it out)."""
    amendment = tree.amendment(item.amendment) if item.amendment is not None else None
    approves = amendment is not None and any(op.op == "replace_appendix" for op in amendment.ops)
    for j, annex in enumerate(item.annexes):
        key = f"annexes[{j}].document"
        if annex.document == "results":
            if r.evaluation is None:
                error(item.where.error(_("item {number} attaches the evaluation's results, but the resolution names "
                                         "no `evaluation` year to take them from").format(number=item.number), key))
            if sum(a.document == "results" for it in r.items for a in it.annexes) > 1:
                error(item.where.error(_("the evaluation's results are attached more than once; list them in one "
                                         "item"), key))
        elif annex.document == "appendix_1":
            if item.amendment is None:
                error(item.where.error(_("item {number} approves Appendix 1 in new wording, but links no "
                                         "`amendment` that states it").format(number=item.number), key))
            elif amendment is not None and not approves:
                error(item.where.error(_("item {number} approves Appendix 1 in new wording, but its amendment "
                                         "{amendment} has no replace_appendix operation").format(
                    number=item.number, amendment=item.amendment), key))
            if annex.title is not None:
                error(item.where.error(_("Appendix 1 keeps the title the Regulation gives it (regulation.yaml "
                                         "appendix_title): drop `title`"), f"annexes[{j}].title"))
    if approves and not any(a.document == "appendix_1" for a in item.annexes):
        warn(item.where.error(_("item {number} approves Appendix 1 in new wording (amendment {amendment}), but does "
                                "not list it among its annexes; the packet leaves it out (add `annexes: "
                                "[{{document: appendix_1}}]`)").format(number=item.number,
                                                                      amendment=item.amendment), "amendment"))


def _numbers(text: str) -> list[str]:
    return sorted(re.sub(r"[\u00a0 ]", "", n).replace(",", ".") for n in _NUMBER.findall(text))


def _check_numbers(text: m.Text, where: m.Where, key: str, warn) -> None:
    kk, ru = _numbers(text.kk), _numbers(text.ru)
    if kk != ru:
        only_kk = sorted((Counter(kk) - Counter(ru)).elements())
        only_ru = sorted((Counter(ru) - Counter(kk)).elements())
        warn(where.error(_("the Kazakh and Russian texts hold different numbers (only in kk: {only_kk}; only in ru: "
                           "{only_ru})").format(only_kk=", ".join(only_kk) or "-", only_ru=", ".join(only_ru) or "-"), key))


def _check_amending_texts(tree: m.DataTree, all_editions, error) -> None:
    """Generate the amending text of every amendment a resolution item links to, or that carries `as_issued`
    patches, in both languages: a missing name as issued or a patch that no longer applies is an error."""
    from regdoc.versioning.amending import amending_lines

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

# ----- scoring: the rules of Appendix 1, the evaluations, and resolutions against their evaluations ---------

def scoring_problems(root: Path | str, tree: m.DataTree) -> list[Problem]:
    """Return the problems of scoring rules, of every evaluation, and of every resolution's places and rewards
    that disagree with what its evaluation computes."""
    from decimal import Decimal

    from regdoc.scoring.score import score
    from regdoc.tree.read import (EVALUATIONS_DIR, Reader, evaluation_years, foreign_digit, is_year_name,
                                  read_evaluation)

    out: list[Problem] = criteria_rule_problems(tree.initial.appendix) + amendment_rule_problems(tree.amendments)

    folder = Path(root) / EVALUATIONS_DIR
    if folder.is_dir():
        for child in sorted(folder.iterdir()):
            digit = foreign_digit(child.name)
            if digit is not None:
                out.append(Problem("error", _("the name '{name}' holds the character '{digit}' (U+{code:04X}), "
                                              "which is not one of the digits 0-9 regdoc reads in names; name "
                                              "the folder after the year in 0-9").format(
                                                  name=child.name, digit=digit, code=ord(digit)),
                                   (EVALUATIONS_DIR / child.name).as_posix()))
            elif child.is_dir() and not (is_year_name(child.name) and (child / "evaluation.yaml").is_file()):
                out.append(Problem("warning", _("not an evaluation folder: name it after the year and put "
                                                "evaluation.yaml in it"), (EVALUATIONS_DIR / child.name).as_posix()))
    reader = Reader(Path(root))
    evaluations = {}
    for year in evaluation_years(root):
        evaluation = read_evaluation(reader, tree, year)
        if evaluation is not None:
            evaluations[year] = evaluation
    out.extend(reader.problems)
    failed_years = {year for year in evaluation_years(root)} - set(evaluations)

    for r in tree.resolutions:
        stated = [it for it in r.items if it.places or it.rewards]
        if r.evaluation is None:
            continue
        if r.evaluation in failed_years:
            continue  # its problems are reported above
        if r.evaluation not in evaluations:
            out.append(Problem.from_error(r.where.error(
                _("names the evaluation of {evaluation}, but evaluations/{evaluation}/evaluation.yaml does not "
                  "exist (evaluations: {evaluations})").format(
                    evaluation=r.evaluation, evaluations=", ".join(map(str, sorted(evaluations))) or _("none")), "evaluation")))
            continue
        evaluation = evaluations[r.evaluation]
        results = score(evaluation.criteria, evaluation)
        source = evaluation.where.file or f"evaluations/{r.evaluation}"
        for item in stated:
            out.extend(_compare_places(item, results, source, Decimal))
            out.extend(_compare_rewards(item, results, source))
    return out


def _committee_tie(results, kind: str):
    """Return the tie at the last prize or reward place that the criteria leave to the Committee, or None."""
    return next((t for t in results.ties if t.kind == kind and t.for_committee), None)


def _compare_places(item: m.Item, results, source: str, Decimal) -> list[Problem]:
    out = []
    by_org = {s.organisation: s for s in results.standings}
    tie = _committee_tie(results, "prize")
    decided: set[str] = set()  # organisations tied at the last prize place, placed by the Committee's choice
    if tie is not None and item.places:
        chosen = [p for p in item.places if p.organisation in tie.organisations]
        inside_places = {by_org[org].place for org in tie.inside}
        if len(chosen) == len(tie.inside) and all(p.place in inside_places for p in chosen):
            decided = set(tie.organisations)
            out.append(Problem("info", _("the Executive Committee decided a tie at the last prize place: {orgs} have "
                                         "equal totals; the item names {chosen}").format(
                orgs=", ".join(tie.organisations), chosen=", ".join(p.organisation for p in chosen)),
                item.where.file, item.where.line, "places"))
    for place in item.places:
        standing = by_org.get(place.organisation)
        if standing is None:
            out.append(Problem.from_error(place.where.error(
                _("'{organisation}' has no report in {source}").format(organisation=place.organisation, source=source), "organisation")))
            continue
        if standing.place != place.place and place.organisation not in decided:
            out.append(Problem.from_error(place.where.error(
                _("states place {place} for '{organisation}', but {source} gives it place {place2}").format(
                    place=place.place, organisation=place.organisation, source=source, place2=standing.place), "place")))
        total = Decimal(repr(place.total)) if isinstance(place.total, float) else Decimal(place.total)
        if total != standing.total:
            out.append(Problem.from_error(place.where.error(
                _("states {points} points for '{organisation}', but {source} computes {computed}").format(
                    points=_plain(total), organisation=place.organisation, source=source,
                    computed=_plain(standing.total)), "total")))
    if item.places:
        named = {p.organisation for p in item.places}
        for standing in results.prize_winners:
            if standing.organisation not in named and standing.organisation not in decided:
                out.append(Problem.from_error(item.where.error(
                    _("{source} gives prize place {place} to '{organisation}' ({points} points), which this item "
                      "does not state").format(source=source, place=standing.place, organisation=standing.organisation,
                                             points=_plain(standing.total)), "places")))
    return out


def _compare_rewards(item: m.Item, results, source: str) -> list[Problem]:
    out = []
    if not item.rewards:
        return out
    computed = list(results.rewards)
    tie = _committee_tie(results, "reward")
    if tie is not None:
        chosen = [org for org in tie.organisations if org in item.rewards]
        if len(chosen) == len(tie.inside):
            # the Committee chose among organisations with equal main-block points at the last reward place
            out.append(Problem("info", _("the Executive Committee decided a tie at the last reward place: {orgs} "
                                          "have equal main-block points; the item names {chosen}").format(
                orgs=", ".join(tie.organisations), chosen=", ".join(chosen)), item.where.file, item.where.line,
                "rewards"))
            others = [org for org in computed if org not in tie.organisations]
            computed = others + chosen
    for i, org in enumerate(item.rewards):
        if org not in computed:
            out.append(Problem.from_error(item.where.error(
                _("'{org}' is not among the reward candidates {source} proposes by main-block points ({computed})").format(
                    org=org, source=source, computed=", ".join(computed) or _("none")), f"rewards[{i}]")))
    for org in computed:
        if org not in item.rewards:
            out.append(Problem.from_error(item.where.error(
                _("{source} also proposes '{org}' for reward (main-block points), which this item does not name").format(
                    source=source, org=org),
                "rewards")))
    main = {s.organisation: s.main_blocks for s in results.standings}
    listed = [main[org] for org in item.rewards if org in main]
    if not any(p.severity != "info" for p in out) and any(a < b for a, b in zip(listed, listed[1:])):
        out.append(Problem.from_error(item.where.error(
            _("rewards are listed in another order than by main-block points ({computed})").format(
                computed=', '.join(computed)), "rewards"),
            "warning"))
    return out


def _plain(value) -> str:
    from decimal import Decimal

    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def amendment_rule_problems(amendments: Iterable[m.Amendment]) -> list[Problem]:
    """Return the scoring problems of the rules amendments state: Appendix 1 in new wording, a new indicator (its
    rule suits its unit), a new rule."""
    amendments = list(amendments)
    out: list[Problem] = []
    for criteria in [op.criteria for a in amendments for op in a.ops if op.criteria is not None]:
        out.extend(criteria_rule_problems(criteria))
    for a in amendments:
        for op in a.ops:
            if op.indicator is not None:
                out.extend(_indicator_rule_problems(op.indicator, op.rule))
            elif op.rule is not None and op.op == "change_indicator":
                out.extend(_rule_kind_problems(op.rule, op.where, "rule"))
    return out


def criteria_rule_problems(criteria: m.Criteria) -> list[Problem]:
    """Return the scoring problems of Appendix 1: rules that do not suit their indicator, inputs reported twice
    with different units or titles, bands that leave values out."""
    out: list[Problem] = []
    inputs: dict[str, tuple[m.Input, m.Indicator]] = {}
    for ind in criteria.indicators():
        out.extend(_indicator_rule_problems(ind))
        if ind.ratio is None:
            continue
        for key, inp in (("ratio.numerator", ind.ratio.numerator), ("ratio.denominator", ind.ratio.denominator)):
            first = inputs.setdefault(inp.id, (inp, ind))
            if first[0].unit != inp.unit:
                out.append(Problem.from_error(ind.where.error(
                    _("input '{id}' is in {unit} here but in {unit2} in {id2}: one reported value has one unit").format(
                        id=inp.id, unit=inp.unit, unit2=first[0].unit, id2=first[1].id), f"{key}.unit")))
            elif first[0].title != inp.title:
                out.append(Problem.from_error(ind.where.error(
                    _("input '{id}' has another title here than in {id2}: one reported value has one title").format(
                        id=inp.id, id2=first[1].id), f"{key}.title")))
    return out


def _indicator_rule_problems(ind: m.Indicator, rule: m.Rule | None = None) -> list[Problem]:
    rule = rule or ind.rule
    out: list[RegdocError] = []
    if rule.kind == "fixed" and ind.unit != "yes_no":
        out.append(ind.where.error(_("a fixed rule gives points for a yes/no answer, but {id} is in {unit}; use "
                                     "unit yes_no, or per_unit, bands or rank").format(id=ind.id, unit=ind.unit), "rule.kind"))
    if ind.unit == "yes_no" and rule.kind != "fixed":
        out.append(ind.where.error(_("{id} is a yes/no indicator: score it with a fixed rule, not {kind}").format(
                                       id=ind.id, kind=rule.kind),
                                   "rule.kind"))
    if ind.ratio is not None and rule.kind not in ("bands", "rank"):
        out.append(ind.where.error(_("{id} is a ratio (a share, not a count): score it with bands or rank, not "
                                     "{kind}").format(id=ind.id, kind=rule.kind), "rule.kind"))
    return [Problem.from_error(err) for err in out] + _rule_kind_problems(rule, ind.where, "rule")


def _rule_kind_problems(rule: m.Rule, where: m.Where, key: str) -> list[Problem]:
    out = []
    if rule.kind == "bands" and rule.bands and rule.bands[-1].end is not None:
        out.append(Problem.from_error(where.error(
            _("the last band ends at {end} (bands are [from, to)): a value of {end} or more gets no points; leave "
              "out `to` in the last band if that is not meant").format(end=rule.bands[-1].end), f"{key}.bands"),
            "warning"))
    if rule.kind == "rank" and list(rule.points) != sorted(rule.points, reverse=True):
        out.append(Problem.from_error(where.error(_("rank points must not grow with the rank (rank 1 gets the most)"),
                                                  f"{key}.points")))
    return out
