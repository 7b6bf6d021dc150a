"""`regdoc score YEAR` and `regdoc evaluation template YEAR`: the year's results, explanations, and the
spreadsheet organisations fill in."""
from __future__ import annotations

import sys
from pathlib import Path

from regdoc.cli.common import EXIT_OK
from regdoc.i18n import _

SCORE_FORMATS = ("text", "md", "json", "csv", "xlsx")
EXPLAIN_FORMATS = ("text", "md", "json", "csv")
JSON_SHAPE = """\
  {"year", "lang", "source" (issued|sample),
   "criteria": {"in_force", "as_of", "amendment", "prize_places", "main_blocks": [block ids]},
   "standings": [{"place", "organisation", "name", "total", "main_blocks", "blocks": {block id: points},
                  "prize", "shared_place", "tie_break", "reward",
                  "indicators": {indicator id: {"value", "points", "rank"}}}, ...]  (1st place first),
   "rewards": [organisation ids, most main-block points first]}
  with --explain: {"year", "lang", "organisation", "name", "place", "prize", "total", "main_blocks", "blocks",
   "organisations", "indicators": [{"id", "block", "value", "numerator", "denominator", "not_reported",
   "rule", "working", "points", "rank"}, ...]}"""


def register(sub, common) -> None:
    import argparse

    p = sub.add_parser(
        "score", parents=[common], help=_("score a year's evaluation: places, totals, rewards, explanations"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_("Score the evaluation of YEAR (evaluations/YEAR/evaluation.yaml) under its Appendix 1: "
                      "points and rank on every indicator, totals, places, prize places and reward candidates."),
        epilog="\n".join((_("json shape (stable):"), JSON_SHAPE, "  " + _("Numbers are JSON numbers: whole points "
                                                                         "as integers, others as decimals."))))
    p.add_argument("year", type=int, metavar="YEAR")
    p.add_argument("--lang", choices=("kk", "ru"), default="kk", help=_("language of the output (default: kk)"))
    p.add_argument("--format", choices=SCORE_FORMATS, default="text", dest="fmt",
                   help=_("text (default), md, json, csv, or xlsx (a results sheet and a per-indicator sheet)"))
    p.add_argument("--out", metavar="FILE", help=_("write to FILE (atomically) instead of standard output; xlsx "
                                                   "defaults to out/score-YEAR-LANG.xlsx under the data tree, beside "
                                                   "the documents"))
    p.add_argument("--explain", metavar="ORG", help=_("explain one organisation's points: the value, rule, "
                                                      "working, points and rank of every indicator"))
    p.add_argument("--input", metavar="FILE", help=_("score the reports in this .csv or .xlsx (the template's "
                                                     "shape) instead of those of the evaluation file"))
    p.set_defaults(func=run_score)

    e = sub.add_parser("evaluation", help=_("evaluation spreadsheets"),
                       description=_("Evaluation spreadsheets in the shape organisations send."))
    esub = e.add_subparsers(dest="evaluation_command", metavar="COMMAND", required=True)
    t = esub.add_parser(
        "template", parents=[common], help=_("write the reporting spreadsheet of a year"),
        description=_("Write the spreadsheet member organisations fill in for YEAR: bilingual headings (Kazakh "
                      "first), units, an ids row, and one row per member organisation. Reading it back "
                      "(`regdoc score YEAR --input FILE`) gives the same evaluation."))
    t.add_argument("year", type=int, metavar="YEAR")
    t.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", dest="fmt",
                   help=_("output format (default: xlsx)"))
    t.add_argument("--out", metavar="FILE", help=_("default: out/evaluation-YEAR.xlsx under the data tree (csv: "
                                                   "standard output)"))
    t.add_argument("--filled", action="store_true",
                   help=_("fill the rows with the values of the year's evaluation (an export)"))
    t.set_defaults(func=run_template)


def _out_path(args, default: str | None) -> Path | None:
    """Return the file to write: --out (its folder must exist) or the default (its folder is created); None for
    standard output. Refused among the data tree's sources."""
    from regdoc.files.write import output_file

    if args.out:
        return output_file(args.root, args.out)
    return output_file(args.root, Path(args.root) / default, create_folder=True) if default else None


def _emit(text: str, out: Path | None) -> None:
    from regdoc.files.write import write_text

    if out is None:
        sys.stdout.write(text)
        return
    write_text(out, text)
    print("regdoc: " + _("wrote {path}").format(path=out), file=sys.stderr)


def run_score(args) -> int:
    from regdoc.cli.common import use_colour
    from regdoc.errors import RegdocError
    from regdoc.files.spreadsheets import csv_text, results_workbook, write_workbook
    from regdoc.scoring.results import (
        explanation_json,
        explanation_markdown,
        explanation_table,
        explanation_text,
        indicators_table,
        names,
        results_json,
        results_markdown,
        results_table,
        results_text,
    )
    from regdoc.scoring.score import score
    from regdoc.tree.load import load_evaluation, load_tree

    if args.explain and args.fmt not in EXPLAIN_FORMATS:
        raise RegdocError(_("--explain writes {formats}, not {format}").format(formats=", ".join(EXPLAIN_FORMATS),
                                                                               format=args.fmt))
    out = _out_path(args, f"out/score-{args.year}-{args.lang}.xlsx" if args.fmt == "xlsx" else None)
    tree = load_tree(args.root)
    evaluation = load_evaluation(args.root, args.year, tree, args.input)
    results = score(evaluation.criteria, evaluation)
    org_names = names(tree.organisations, args.year, args.lang)
    colour = out is None and use_colour()

    def bold(text: str) -> str:
        return f"\033[1m{text}\033[0m" if colour else text

    if args.explain:
        try:
            explanation = results.explain(args.explain)
        except RegdocError as err:
            err.node = err.node or "--explain"
            raise
        if args.fmt == "text":
            _emit(explanation_text(explanation, org_names, args.lang, args.year, bold), out)
        elif args.fmt == "md":
            _emit(explanation_markdown(explanation, org_names, args.lang, args.year), out)
        elif args.fmt == "json":
            _emit(explanation_json(explanation, org_names, args.lang, args.year), out)
        else:
            table = explanation_table(explanation, args.lang)
            _emit(csv_text((table.headings,) + table.rows), out)
        return EXIT_OK
    if args.fmt == "text":
        _emit(results_text(results, evaluation, org_names, args.lang, bold), out)
    elif args.fmt == "md":
        _emit(results_markdown(results, evaluation, org_names, args.lang), out)
    elif args.fmt == "json":
        _emit(results_json(results, evaluation, org_names, args.lang), out)
    elif args.fmt == "csv":
        table = results_table(results, org_names, args.lang)
        _emit(csv_text((table.headings,) + table.rows), out)
    else:
        from regdoc.phrasing import for_lang

        p = for_lang(args.lang)
        table = results_table(results, org_names, args.lang)
        top, per_indicator = indicators_table(results, org_names, args.lang)
        workbook = results_workbook([
            (p.label("results_sheet"), (table.headings,) + table.rows, 1),
            (p.label("indicators_sheet"), (top, per_indicator.headings) + per_indicator.rows, 2),
        ])
        write_workbook(out, workbook)
        print("regdoc: " + _("wrote {path}").format(path=out), file=sys.stderr)
    return EXIT_OK


def run_template(args) -> int:
    from regdoc.errors import CheckFailed
    from regdoc.files.spreadsheets import csv_text, template_workbook, write_workbook
    from regdoc.phrasing import kk, ru
    from regdoc.scoring.evaluation import template
    from regdoc.tree.load import load_evaluation, load_tree
    from regdoc.tree.read import criteria_for, evaluation_path

    out = _out_path(args, f"out/evaluation-{args.year}.xlsx" if args.fmt == "xlsx" else None)
    tree = load_tree(args.root)
    reports = None
    if (Path(args.root) / evaluation_path(args.year)).is_file():
        if args.filled:
            evaluation = load_evaluation(args.root, args.year, tree)
            criteria, reports = evaluation.criteria, evaluation.reports
        else:
            try:
                criteria = load_evaluation(args.root, args.year, tree).criteria
            except CheckFailed:  # the reports may be unfinished; the header still chooses the criteria
                criteria = _criteria_of_header(args.root, args.year, tree)
    elif args.filled:
        from regdoc.errors import RegdocError

        raise RegdocError(_("--filled needs an evaluation of {year}, and {file} does not exist").format(
            year=args.year, file=evaluation_path(args.year).as_posix()))
    else:
        criteria = criteria_for(tree, args.year)[0]
    sheet = template(criteria, tree.organisations, args.year, reports)
    if args.fmt == "csv":
        if out is None:
            sys.stdout.write(csv_text(sheet.rows))
        else:
            from regdoc.files.spreadsheets import write_csv

            write_csv(out, sheet.rows)
            print("regdoc: " + _("wrote {path}").format(path=out), file=sys.stderr)
        return EXIT_OK
    hints = {u: f"{kk.unit_hint(u)} / {ru.unit_hint(u)}" for u in kk.UNIT_HINTS}
    write_workbook(out, template_workbook(sheet, f"{kk.label('template_sheet')} {args.year}", hints))
    print("regdoc: " + _("wrote {path}").format(path=out), file=sys.stderr)
    return EXIT_OK


def _criteria_of_header(root, year: int, tree):
    """Return the criteria an evaluation file's header chooses, even when its reports do not read yet."""
    from datetime import date

    from regdoc.errors import CheckFailed
    from regdoc.tree.read import Reader, criteria_for, evaluation_path

    reader = Reader(Path(root))
    doc = reader.document(evaluation_path(year), "evaluation")
    if doc is None:
        raise CheckFailed(reader.problems)
    from regdoc.data.model import Where

    d = doc.data
    where = Where(doc.path.as_posix(), doc.line_of(()), None, doc.key_lines(()))
    try:
        as_of = date.fromisoformat(d["criteria_as_of"]) if "criteria_as_of" in d else None
    except ValueError:
        raise where.error(_("'{value}' is not a date").format(value=d["criteria_as_of"]), "criteria_as_of") from None
    return criteria_for(tree, year, as_of, d.get("criteria_amendment"), where)[0]
