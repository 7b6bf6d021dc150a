"""Application functions on evaluations: score a year (from its file, another file or an uploaded spreadsheet),
explain an organisation's points, and write the reporting spreadsheet organisations fill in."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Optional, Union

from regdoc.app.formats import EXPLAIN_FORMATS, SCORE_FORMATS
from regdoc.app.workspace import data_tree, evaluation
from regdoc.data import model as m
from regdoc.errors import CheckFailed, RegdocError, nearest
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
    return workbook_bytes(results_workbook([
        (p.label("results_sheet"), (table.headings,) + table.rows + (((),) + notes if notes else ()), 1),
        (p.label("indicators_sheet"), (top, per_indicator.headings) + per_indicator.rows, 2),
    ]))


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
    return workbook_bytes(template_workbook(sheet, f"{kk.label('template_sheet')} {year}", hints))


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
        out.append((f"evaluation-{year}-{org.id}.xlsx", workbook_bytes(book)))
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
