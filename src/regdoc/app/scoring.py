"""Application functions on evaluations: score a year (from its file, another file or an uploaded spreadsheet),
explain an organisation's points, and write the reporting spreadsheet organisations fill in."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Optional, Sequence, Union

from regdoc.app.formats import EXPLAIN_FORMATS, SCORE_FORMATS
from regdoc.app.workspace import data_tree, evaluation
from regdoc.data import model as m
from regdoc.errors import CheckFailed, Problem, RegdocError, nearest
from regdoc.i18n import _
from regdoc.scoring import results as views
from regdoc.scoring.score import Explanation, Results, score
from regdoc.tree.read import Reader, criteria_for, evaluation_path


@dataclass(frozen=True)
class Upload:
    """A spreadsheet sent by a user: its file name as they named it (.csv or .xlsx) and its bytes."""

    name: str
    data: bytes


Reports = Union[Path, str, Upload, None]


@dataclass(frozen=True)
class Scored:
    """A year's evaluation scored under its Appendix 1, with the data tree it belongs to."""

    tree: m.DataTree
    evaluation: m.Evaluation
    results: Results

    def names(self, lang: str) -> dict[str, str]:
        """Return each organisation's name in `lang` as it was in the evaluated year."""
        return views.names(self.tree.organisations, self.evaluation.year, lang)


def score_year(root: Path | str, year: int, reports: Reports = None) -> Scored:
    """Return the evaluation of `year` scored: its own reports, or those of a .csv/.xlsx file or upload."""
    tree = data_tree(root)
    if isinstance(reports, Upload):
        with tempfile.TemporaryDirectory(prefix="regdoc-upload-") as folder:
            path = Path(folder) / f"upload{Path(reports.name).suffix.lower()}"
            path.write_bytes(reports.data)
            chosen = evaluation(root, year, path, Path(reports.name).name)
    else:
        chosen = evaluation(root, year, Path(reports) if reports is not None else None)
    return Scored(tree, chosen, score(chosen.criteria, chosen))


@dataclass(frozen=True)
class ResolutionResults:
    """What a resolution approving the evaluation of `year` states, from the scores: the prize places (place,
    organisation, total) and the organisations to reward, as a resolution's items write them, and a note in each
    language for every tie at a cut-off (`for_committee`: a tie the criteria do not decide, so the Executive
    Committee chooses among the tied organisations)."""

    year: int
    places: tuple[dict, ...]
    rewards: tuple[str, ...]
    ties: tuple[dict, ...]  # {kind: prize|reward, organisations, for_committee, note: {lang: as `regdoc score` prints}}

    @property
    def for_committee(self) -> bool:
        return any(t["for_committee"] for t in self.ties)


def resolution_results(root: Path | str, year: int) -> ResolutionResults:
    """Return the places and rewards of the evaluation of `year` for a resolution's items (see ResolutionResults)."""
    scored = score_year(root, year)
    results = scored.results
    places = tuple({"place": s.place, "organisation": s.organisation, "total": views.number(s.total)}
                   for s in results.prize_winners)
    notes = {lang: views.tie_lines(results, scored.names(lang), lang) for lang in m.LANGS}
    ties = tuple({"kind": t.kind, "organisations": t.organisations, "for_committee": t.for_committee,
                  "note": {lang: notes[lang][k] for lang in m.LANGS}} for k, t in enumerate(results.ties))
    return ResolutionResults(year, places, tuple(results.rewards), ties)


def score_report(scored: Scored, lang: str, fmt: str, bold: Callable[[str], str] = str,
                 csv_dialect: str = "plain") -> str | bytes:
    """Return the results of `scored` as text, md, json, csv (str, in `csv_dialect`: see
    files.spreadsheets.CSV_DIALECTS) or an xlsx workbook (bytes); `bold` marks the headings of text."""
    from regdoc.files.spreadsheets import csv_text

    results, org_names = scored.results, scored.names(lang)
    if fmt == "text":
        return views.results_text(results, scored.evaluation, org_names, lang, bold)
    if fmt == "md":
        return views.results_markdown(results, scored.evaluation, org_names, lang)
    if fmt == "json":
        return views.results_json(results, scored.evaluation, org_names, lang)
    table = views.results_table(results, org_names, lang)
    if fmt == "csv":
        return csv_text((table.headings,) + table.rows, csv_dialect)
    if fmt != "xlsx":
        raise RegdocError(_("the results are written as {formats}, not {format}").format(
                              formats=", ".join(SCORE_FORMATS), format=fmt))
    from regdoc.files.spreadsheets import results_workbook, workbook_bytes
    from regdoc.phrasing import for_lang

    p = for_lang(lang)
    top, per_indicator = views.indicators_table(results, org_names, lang)
    notes = tuple((line,) for line in views.tie_lines(results, org_names, lang))  # ties at the cut-offs
    ratios = {3 + 3 * i for i, s in enumerate(results.indicators) if s.indicator.ratio is not None}  # their values
    title = p.results_title(results.year)
    return workbook_bytes(results_workbook([
        (p.label("results_sheet"), (table.headings,) + table.rows + (((),) + notes if notes else ()), 1),
        (p.label("indicators_sheet"), (top, per_indicator.headings) + per_indicator.rows, 2, ratios),
    ], title), title)


def explain(scored: Scored, organisation: str) -> Explanation:
    """Return the explanation of every point of `organisation` (value, rule, working, points, rank)."""
    return scored.results.explain(organisation)


def check_explain_format(fmt: str) -> None:
    """Raise RegdocError unless an explanation can be written as `fmt`."""
    if fmt not in EXPLAIN_FORMATS:
        raise RegdocError(_("--explain writes {formats}, not {format}").format(
                              formats=", ".join(EXPLAIN_FORMATS), format=fmt))


def explanation_report(scored: Scored, explanation: Explanation, lang: str, fmt: str,
                       bold: Callable[[str], str] = str, csv_dialect: str = "plain") -> str:
    """Return an explanation as text, md, json or csv."""
    org_names, year = scored.names(lang), scored.evaluation.year
    if fmt == "text":
        return views.explanation_text(explanation, org_names, lang, year, bold)
    if fmt == "md":
        return views.explanation_markdown(explanation, org_names, lang, year)
    if fmt == "json":
        return views.explanation_json(explanation, org_names, lang, year)
    check_explain_format(fmt)
    from regdoc.files.spreadsheets import csv_text

    table = views.explanation_table(explanation, lang)
    return csv_text((table.headings,) + table.rows, csv_dialect)


def reporting_template(root: Path | str, year: int, fmt: str = "xlsx", filled: bool = False,
                       csv_dialect: str = "plain", organisation: Optional[str] = None) -> str | bytes:
    """Return the spreadsheet member organisations fill in for `year` (csv text or xlsx bytes): bilingual
    headings, units, an ids row and one row per member organisation (only `organisation`'s when given); `filled`
    puts in the year's values."""
    from regdoc.files.spreadsheets import csv_text, template_workbook, workbook_bytes
    from regdoc.phrasing import kk, ru
    from regdoc.scoring.evaluation import template

    tree = data_tree(root)
    reports = None
    if (Path(root) / evaluation_path(year)).is_file():
        if filled:
            chosen = evaluation(root, year)
            criteria, reports = chosen.criteria, chosen.reports
        else:
            try:
                criteria = evaluation(root, year).criteria
            except CheckFailed:  # the reports may be unfinished; the header still chooses the criteria
                criteria = _criteria_of_header(root, year, tree)
    elif filled:
        raise RegdocError(_("--filled needs an evaluation of {year}, and {file} does not exist").format(
                              year=year, file=evaluation_path(year).as_posix()))
    else:
        criteria = criteria_for(tree, year)[0]
    organisations = tree.organisations
    if organisation is not None:
        organisations = tuple(o for o in tree.organisations if o.id == organisation and o.kind != "union")
        if not organisations:
            members = [o.id for o in tree.organisations if o.kind != "union"]
            raise RegdocError(_("no member organisation '{organisation}'{suggestion}").format(
                    organisation=organisation, suggestion=nearest(organisation, members)))
        reports = tuple(r for r in reports if r.organisation == organisation) if reports is not None else None
    sheet = template(criteria, organisations, year, reports)
    if fmt == "csv":
        return csv_text(sheet.rows, csv_dialect)
    hints = {u: f"{kk.unit_hint(u)} / {ru.unit_hint(u)}" for u in kk.UNIT_HINTS}
    return workbook_bytes(template_workbook(sheet, f"{kk.label('template_sheet')} {year}", hints), sheet.title)


def _criteria_of_header(root, year: int, tree: m.DataTree) -> m.Criteria:
    """Return the criteria an evaluation file's header chooses, even when its reports do not read yet."""
    reader = Reader(Path(root))
    doc = reader.document(evaluation_path(year), "evaluation")
    if doc is None:
        raise CheckFailed(reader.problems)
    d = doc.data
    where = m.Where(doc.path.as_posix(), doc.line_of(()), None, doc.key_lines(()))
    try:
        as_of = date.fromisoformat(d["criteria_as_of"]) if "criteria_as_of" in d else None
    except ValueError:
        raise where.error(_("'{value}' is not a date").format(value=d["criteria_as_of"]),
                          "criteria_as_of") from None
    return criteria_for(tree, year, as_of, d.get("criteria_amendment"), where)[0]


# ----- issue 13: one reporting workbook per organisation, and importing the returns --------------------------

def organisation_templates(root: Path | str, year: int, filled: bool = False) -> list[tuple[str, bytes]]:
    """Return one reporting workbook per member organisation of `year` as (file name, xlsx bytes): that
    organisation's row alone, its name filled in, protected but for the value cells, with input messages and
    an instructions sheet in Kazakh and Russian (its name in documents too), printing landscape."""
    from regdoc.documents.resolution import organisation_text
    from regdoc.files.spreadsheets import template_workbook, workbook_bytes
    from regdoc.phrasing import kk, ru
    from regdoc.scoring.evaluation import template

    tree = data_tree(root)
    criteria, reports = _template_basis(root, year, tree, filled)
    end = date(year, 12, 31)
    hints = {u: f"{kk.unit_hint(u)} / {ru.unit_hint(u)}" for u in kk.UNIT_HINTS}
    out = []
    for org in tree.organisations:
        if org.kind == "union":
            continue
        sheet = template(criteria, tree.organisations, year, reports, only=org.id)
        names = org.name_at(end)
        lines = kk.template_instructions(year, names.kk, organisation_text(tree, org.id, end, "kk")) + [""] + \
            ru.template_instructions(year, names.ru, organisation_text(tree, org.id, end, "ru"))
        book = template_workbook(sheet, f"{kk.label('template_sheet')} {year}", hints, lines, protect=True,
                                 instructions_title=f"{kk.TEMPLATE_INSTRUCTIONS_TITLE} · "
                                                   f"{ru.TEMPLATE_INSTRUCTIONS_TITLE}")
        out.append((f"evaluation-{year}-{org.id}.xlsx", workbook_bytes(book, f"{sheet.title} · {names.kk}")))
    return out


def _template_basis(root: Path | str, year: int, tree: m.DataTree, filled: bool):
    """Return the criteria of `year`'s template and, when `filled`, the year's reports (as reporting_template)."""
    if (Path(root) / evaluation_path(year)).is_file():
        if filled:
            chosen = evaluation(root, year)
            return chosen.criteria, chosen.reports
        try:
            return evaluation(root, year).criteria, None
        except CheckFailed:
            return _criteria_of_header(root, year, tree), None
    if filled:
        raise RegdocError(_("--filled needs an evaluation of {year}, and {path} does not exist").format(
            year=year, path=evaluation_path(year).as_posix()))
    return criteria_for(tree, year)[0], None


@dataclass(frozen=True)
class Imported:
    """What `import_returns` did or would do.

    `problems`: every problem of every return (file, sheet, row, column, key), empty when the import is good;
    `path`: the year's evaluation file, relative to the data tree; `text`: the evaluation written, or that would
    be written (None when there are problems); `evaluation`: it, read back (None when there are problems);
    `sources`: the returns and the organisations each gave; `written`: whether the file was written;
    `unchanged`: the file already held these values (nothing to write); `replaced`: an earlier evaluation was
    replaced, `kept` is where it was kept (relative path); `changed`: the organisations whose values differ
    from the earlier evaluation."""

    problems: tuple[Problem, ...]
    path: str
    text: Optional[str] = None
    evaluation: Optional[m.Evaluation] = None
    sources: tuple = ()
    written: bool = False
    unchanged: bool = False
    replaced: bool = False
    kept: Optional[str] = None
    changed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def import_returns(root: Path | str, year: int, sources: Sequence[tuple[str, bytes]], *, dry_run: bool = False,
                   replace: bool = False, sample: bool = False) -> Imported:
    """Read the organisations' returns for `year` (`sources`: (file name, bytes) pairs, .xlsx or .csv, each one
    organisation's workbook made by `organisation_templates` or a whole-year sheet, in any mix) and, only when
    none of them has a problem, write the year's evaluation (evaluations/YEAR/evaluation.yaml) atomically, each
    organisation's values with the files they came from (name and SHA-256).

    Every problem of every file is collected: values that do not read, unknown or missing organisations, an
    organisation given in two files with different values (both named). An existing evaluation is kept under the
    criteria its header chooses. It is replaced only when it holds no reports yet, when it is exactly what an
    earlier import wrote (nothing edited by hand since), or when `replace` is given; the earlier file is then kept beside it as
    evaluation.before-import-N.yaml. Without `replace`, an evaluation written or edited by hand that differs is
    a problem, and nothing is written. `dry_run` reads and checks everything and writes nothing. `sample` marks
    the values as sample data (`source: sample`), otherwise they are the organisations' own (`issued`).
    """
    from regdoc.scoring.evaluation import HEADER_SEARCH_ROWS, ORGANISATION_COLUMN, ReturnSource, evaluation_yaml, \
        reports_from_rows
    from regdoc.files.spreadsheets import table_from_bytes
    from regdoc.tree.read import member_ids

    root = Path(root)
    tree = data_tree(root)
    rel = evaluation_path(year)
    members = member_ids(tree)
    header = _existing_header(root, year, tree)
    as_of, amendment = (header["as_of"], header["amendment"]) if header else (None, None)
    criteria, in_force = criteria_for(tree, year, as_of, amendment)
    if not sources:
        raise RegdocError(_("no returns given: name the .xlsx or .csv files the organisations sent"))

    problems: list[RegdocError] = []
    given: dict[str, list[tuple[m.Report, str]]] = {}  # organisation -> (report, file name) in the order given
    seen: set[str] = set()
    digests: list[tuple[str, str]] = []
    for name, data in sources:
        try:
            table = table_from_bytes(data, name, ORGANISATION_COLUMN, HEADER_SEARCH_ROWS)
        except RegdocError as err:
            problems.append(err)
            continue
        digests.append((name, table.source.sha256))
        in_file: set[str] = set()
        reports, found = reports_from_rows(table.rows, criteria, members, name,
                                           table.sheet if table.sheets > 1 else None, partial=True, seen=in_file)
        problems.extend(found)
        if not in_file and not found:
            problems.append(RegdocError(_("no organisation's values: every row under the ids row is empty"), name))
        seen |= in_file
        for report in reports:
            given.setdefault(report.organisation, []).append((report, name))
    for org, returns in given.items():
        first, first_file = returns[0]
        for other, other_file in returns[1:]:
            if other != first:
                problems.append(_differing(org, first, first_file, other, other_file))
    for org in members:
        if org not in seen:
            problems.append(RegdocError(_("no return for member organisation '{organisation}' in the files given"
                                          ).format(organisation=org)))
    shown = rel.as_posix()
    if problems:
        return Imported(tuple(Problem.from_error(p) for p in problems), shown)

    reports = tuple(given[org][0][0] for org in members)
    returns = tuple(ReturnSource(Path(name).name, sha, tuple(o for o in members
                                                             if any(f == name for _r, f in given[o])))
                    for name, sha in digests)
    source = "sample" if sample else "issued"
    text = evaluation_yaml(year, source, criteria, reports, returns, as_of, amendment)
    imported = _read_back(root, year, text, tree, criteria, in_force,
                          tuple(sorted(reports, key=lambda r: r.organisation)))

    path = root / rel
    old = _read_existing(path, shown)
    if old is None:
        if not dry_run:
            _create(path, text.encode("utf-8"), shown)
        return Imported((), shown, text, imported, returns, written=not dry_run)
    if old == text.encode("utf-8"):
        return Imported((), shown, text, imported, returns, unchanged=True)
    earlier = _earlier_reports(root, year)
    changed = tuple(o for o in members if earlier is None or earlier.get(o) != next(
        (r for r in reports if r.organisation == o), None))
    if earlier is not None and not changed and header["source"] == source and not replace:
        return Imported((), shown, text, imported, returns, unchanged=True)  # the same values, written otherwise
    if not replace and not _holds_no_reports(old, shown) and not _as_imported(old):
        difference = _("organisations: {organisations}").format(organisations=", ".join(changed)) if changed \
            else _("source: {old}, the returns: {new}").format(old=header["source"], new=source)
        problem = RegdocError(_("already holds an evaluation that differs from these returns ({difference}) and was "
                                "not written by an import, or was edited since; nothing was written. Import with "
                                "--replace to replace it; the present file is then kept as "
                                "evaluation.before-import-N.yaml beside it").format(difference=difference), shown)
        return Imported((Problem.from_error(problem),), shown, text, imported, returns, changed=changed)
    if dry_run:
        return Imported((), shown, text, imported, returns, replaced=True, changed=changed)
    kept = _replace(path, old, text.encode("utf-8"), shown)
    return Imported((), shown, text, imported, returns, written=True, replaced=True,
                    kept=(rel.parent / kept).as_posix(), changed=changed)


def _differing(org: str, first: m.Report, first_file: str, other: m.Report, other_file: str) -> RegdocError:
    """Return the problem of an organisation given differently by two returns, naming both and the values."""
    from regdoc.scoring.evaluation import decimal_text

    def show(report: m.Report, cid: str) -> str:
        if cid in report.not_reported or cid not in report.values:
            return _("empty")
        return decimal_text(report.values[cid])

    ids = sorted(set(first.values) | set(other.values))
    diffs = [f"{cid} {show(first, cid)} / {show(other, cid)}" for cid in ids
             if show(first, cid) != show(other, cid)]
    return RegdocError(_("'{organisation}' is given differently by {first} ({first_place}) and by {other} "
                         "({other_place}): {values}; send one return per organisation, or make them agree").format(
        organisation=org, first=first_file, first_place=_row_place(first.where), other=other_file,
        other_place=_row_place(other.where), values="; ".join(diffs)), other_file, other.where.line,
        other.where.node)


def _row_place(where: m.Where) -> str:
    """Return where an organisation's row stands in its file: 'row 7' or 'sheet 'S', row 7'."""
    sheet = (where.node or "").split("column")[0].rstrip(", ")
    row = _("row {row}").format(row=where.line)
    return f"{sheet}, {row}" if sheet else row


def _existing_header(root: Path, year: int, tree: m.DataTree) -> Optional[dict]:
    """Return the header of the year's evaluation file (source, as_of, amendment), None when it does not exist;
    raise CheckFailed when it does not read."""
    from regdoc.tree.read import _evaluation_header

    if not (root / evaluation_path(year)).is_file():
        return None
    reader = Reader(root)
    doc = reader.document(evaluation_path(year), "evaluation")
    if doc is None:
        raise CheckFailed(reader.problems)
    try:
        return _evaluation_header(doc, year)
    except RegdocError as err:
        raise CheckFailed([Problem.from_error(err)]) from None


def _read_back(root: Path, year: int, text: str, tree: m.DataTree, criteria: m.Criteria, in_force: date,
               reports: tuple[m.Report, ...]) -> m.Evaluation:
    """Return the evaluation `text` holds, read as `check` reads the file; it must give exactly `reports`."""
    from regdoc.data.yamldoc import parse_document
    from regdoc.scoring.evaluation import reports_from_mapping
    from regdoc.data.parse import where_of
    from regdoc.tree.read import member_ids

    rel = evaluation_path(year)
    reader = Reader(root)
    doc = reader.document(rel, "evaluation", parse_document(text.encode("utf-8"), rel.as_posix()))
    if doc is None:
        raise AssertionError(f"the imported evaluation does not validate: {reader.problems}")
    back, problems = reports_from_mapping(doc.data["reports"], criteria, member_ids(tree), rel.as_posix(),
                                          doc.line_of, doc.key_lines, text_of=doc.text_of)
    if problems or back != reports:
        raise AssertionError(f"the imported evaluation does not read back as imported: {problems}")
    d = doc.data
    as_of = date.fromisoformat(d["criteria_as_of"]) if "criteria_as_of" in d else None
    return m.Evaluation(year, d["source"], criteria, in_force, reports, as_of, d.get("criteria_amendment"), None,
                        where_of(doc, ()))


def _read_existing(path: Path, shown: str) -> Optional[bytes]:
    from regdoc.data.yamldoc import MAX_BYTES
    from regdoc.files.read import read_bounded

    if not path.exists() and not path.is_symlink():
        return None
    return read_bounded(None, path, MAX_BYTES, shown).data


def _earlier_reports(root: Path, year: int) -> Optional[dict[str, m.Report]]:
    """Return the reports of the year's present evaluation by organisation, None when they do not read."""
    try:
        return {r.organisation: r for r in evaluation(root, year).reports}
    except CheckFailed:
        return None


def _holds_no_reports(old: bytes, shown: str) -> bool:
    """Return whether an evaluation file is a header alone (`reports: {}`): nothing in it an import could lose."""
    from regdoc.data.yamldoc import parse_document

    data = parse_document(old, shown).data
    return isinstance(data, dict) and not data.get("reports") and not data.get("reports_file")


def _as_imported(old: bytes) -> bool:
    """Return whether the year's present evaluation is exactly what an import wrote (not edited since)."""
    from regdoc.scoring.evaluation import edited_since_import

    try:
        return not edited_since_import(old.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def _create(path: Path, data: bytes, shown: str) -> None:
    from regdoc.files.write import create_exclusive, folder_lock, os_error

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, path.parent, "create the folder") from None
    with folder_lock(path.parent):
        try:
            create_exclusive(path, data)
        except FileExistsError:
            raise RegdocError(_("was created by someone else during the import; nothing was written, import "
                                "again"), shown) from None


def _replace(path: Path, old: bytes, data: bytes, shown: str) -> str:
    """Keep the present file as evaluation.before-import-N.yaml (the first free N) and put `data` in its place;
    return the name it was kept under. Refused when the file changed since it was read."""
    from regdoc.files.write import create_exclusive, folder_lock, replace_atomic

    with folder_lock(path.parent):
        if _read_existing(path, shown) != old:
            raise RegdocError(_("was changed by someone else during the import; nothing was written, import "
                                "again"), shown)
        n = 1
        while True:
            kept = path.parent / f"evaluation.before-import-{n}.yaml"
            try:
                create_exclusive(kept, old)
                break
            except FileExistsError:
                n += 1
        replace_atomic(path, data)
    return kept.name
