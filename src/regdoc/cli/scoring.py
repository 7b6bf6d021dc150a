"""`regdoc score YEAR` and `regdoc evaluation template YEAR`: the year's results, explanations, and the
spreadsheet organisations fill in."""
from __future__ import annotations

import sys
from pathlib import Path

from regdoc.app.formats import SCORE_FORMATS, TEMPLATE_FORMATS
from regdoc.cli.common import EXIT_OK
from regdoc.errors import Problem, RegdocError
from regdoc.i18n import N_, _

# The keys are the JSON's own; the words between them are put in by json_shape() in the interface language.
JSON_SHAPE = """\
  {{"year", "lang", "source" (issued|sample|file: {reports_of_input}), "reports_file",
   "criteria": {{"in_force", "as_of", "amendment", "prize_places", "main_blocks": [{block_ids}]}},
   "standings": [{{"place", "organisation", "name", "total", "main_blocks", "blocks": {{{block_id}: {points}}},
                  "prize", "shared_place", "tie_break", "reward",
                  "indicators": {{{indicator_id}: {{"value", "points", "rank"}}}}}}, ...]  ({first_place_first}),
   "rewards": [{organisation_ids}],
   "ties": [{{"kind" (prize|reward), "organisations", "inside", "points",
             "decided_by" (main_blocks|{indicator_id}|shared|organisation), "for_committee"}}, ...]}}
  {with_explain}: {{"year", "lang", "organisation", "name", "place", "prize", "total", "main_blocks", "blocks",
   "organisations", "indicators": [{{"id", "block", "value", "numerator", "denominator", "not_reported",
   "rule", "working", "points", "rank"}}, ...]}}"""


def json_shape() -> str:
    """Return the shape of `regdoc score --format json`, its words in the interface language."""
    return JSON_SHAPE.format(
        reports_of_input=_("the reports of --input"), block_ids=_("block ids"), block_id=_("block id"),
        points=_("points"), indicator_id=_("indicator id"), first_place_first=_("1st place first"),
        organisation_ids=_("organisation ids, most main-block points first"), with_explain=_("with --explain"))


CSV_DIALECT_OPTION = dict(
    choices=("plain", "excel"), default="plain",
    help=N_("with --format csv: plain (default; comma-separated, decimal point, for programs) or excel (what Excel "
            "opens as a table in a Kazakh or Russian locale: semicolon-separated, decimal comma). A CSV file starts "
            "with a UTF-8 byte order mark in both; standard output never does"))


def _csv_dialect_option() -> dict:
    """Return the arguments of --csv-dialect, its help in the interface language."""
    return dict(CSV_DIALECT_OPTION, help=_(CSV_DIALECT_OPTION["help"]))


def register(sub, common) -> None:
    import argparse

    p = sub.add_parser(
        "score", parents=[common], help=_("score a year's evaluation: places, totals, rewards, explanations"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_("Score the evaluation of YEAR (evaluations/YEAR/evaluation.yaml) under its Appendix 1: points "
                      "and rank on every indicator, totals, places, prize places and reward candidates."),
        epilog="\n".join((_("json shape (stable):"), json_shape(), "  " + _("Numbers are JSON numbers: whole points "
                                                                         "as integers, others as decimals."))))
    p.add_argument("year", type=int, metavar="YEAR")
    p.add_argument("--lang", choices=("kk", "ru"), default="kk", help=_("language of the output (default: kk)"))
    p.add_argument("--format", choices=SCORE_FORMATS, default="text", dest="fmt",
                   help=_("text (default), md, json, csv, or xlsx (a results sheet and a per-indicator sheet)"))
    p.add_argument("--out", metavar="FILE", help=_("write to FILE (atomically) instead of standard output; xlsx "
                                                   "defaults to out/score-YEAR-LANG.xlsx under the data tree, "
                                                   "beside the documents"))
    p.add_argument("--explain", metavar="ORG", help=_("explain one organisation's points: the value, rule, working, "
                                                      "points and rank of every indicator"))
    p.add_argument("--input", metavar="FILE", help=_("score the reports in this .csv or .xlsx (the template's "
                                                     "shape) instead of those of the evaluation file"))
    p.add_argument("--csv-dialect", **_csv_dialect_option())
    p.set_defaults(func=run_score, stdout_ok=True)

    e = sub.add_parser("evaluation", help=_("evaluation spreadsheets"),
                       description=_("Evaluation spreadsheets in the shape organisations send."))
    esub = e.add_subparsers(dest="evaluation_command", metavar="COMMAND", required=True)
    t = esub.add_parser(
        "template", parents=[common], help=_("write the reporting spreadsheet of a year"),
        description=_("Write the spreadsheet member organisations fill in for YEAR: bilingual headings (Kazakh "
                      "first), units, an ids row, and one row per member organisation. Reading it back (`regdoc "
                      "score YEAR --input FILE`) gives the same evaluation."))
    t.add_argument("year", type=int, metavar="YEAR")
    t.add_argument("--format", choices=TEMPLATE_FORMATS, default="xlsx", dest="fmt")
    t.add_argument("--csv-dialect", **_csv_dialect_option())
    t.add_argument("--per-organisation", action="store_true",
                   help=_("write one protected workbook per member organisation (its row alone, with instructions) "
                          "into the folder --out (default: out/ under the data tree) as evaluation-YEAR-ORG.xlsx"))
    t.add_argument("--out", metavar="FILE", help=_("default: out/evaluation-YEAR.xlsx under the data tree (csv: "
                                                   "standard output)"))
    t.add_argument("--filled", action="store_true",
                   help=_("fill the rows with the values of the year's evaluation (an export)"))
    t.set_defaults(func=run_template, stdout_ok=True)

    i = esub.add_parser(
        "import", parents=[common], help=_("read the organisations' returns into the year's evaluation"),
        description=_("Read the returns the member organisations sent for YEAR (the workbooks of `evaluation "
                      "template --per-organisation`, whole-year .xlsx or .csv sheets, in any mix) and check them "
                      "all: every problem of every file is listed, one a line (file, row, sheet and column, "
                      "organisation). Only when there is none is evaluations/YEAR/evaluation.yaml written, "
                      "atomically, naming the file (and its SHA-256) each organisation's values came from. An "
                      "evaluation written or edited by hand is replaced only with --replace, and the earlier file "
                      "is always kept beside it as evaluation.before-import-N.yaml."))
    i.add_argument("year", type=int, metavar="YEAR")
    i.add_argument("files", nargs="+", metavar="FILE", help=_("a return: .xlsx or .csv"))
    i.add_argument("--replace", action="store_true",
                   help=_("replace an evaluation written or edited by hand (it is kept beside the new one)"))
    i.add_argument("--dry-run", action="store_true",
                   help=_("check the returns and print the evaluation that would be written; write nothing"))
    i.add_argument("--sample", action="store_true",
                   help=_("mark the values as sample data (source: sample) rather than the organisations' own"))
    i.set_defaults(func=run_import)


def _write(data: str | bytes, out: Path | None, fmt: str = "") -> None:
    from regdoc.app.output import write
    from regdoc.cli.streams import write_stdout
    from regdoc.files.spreadsheets import BOM

    if out is None:
        write_stdout(data, fmt)
        return
    if fmt == "csv" and isinstance(data, str):
        data = BOM + data  # every CSV file: a byte order mark, so that Excel shows the Kazakh letters
    write(out, data)
    print("regdoc: " + _("wrote {path}").format(path=out), file=sys.stderr)


def run_score(args) -> int:
    from regdoc.app.output import target
    from regdoc.app.scoring import check_explain_format, explain, explanation_report, score_report, score_year
    from regdoc.cli.common import use_colour
    from regdoc.errors import RegdocError

    if args.explain:
        check_explain_format(args.fmt)
    out = None if getattr(args, "to_stdout", False) else \
        target(args.root, args.out, f"score-{args.year}-{args.lang}.xlsx" if args.fmt == "xlsx" else None)
    scored = score_year(args.root, args.year, args.input)
    colour = out is None and use_colour()

    def bold(text: str) -> str:
        return f"\033[1m{text}\033[0m" if colour else text

    if args.explain:
        try:
            explanation = explain(scored, args.explain)
        except RegdocError as err:
            err.node = err.node or "--explain"
            raise
        _write(explanation_report(scored, explanation, args.lang, args.fmt, bold, args.csv_dialect), out, args.fmt)
        return EXIT_OK
    try:
        _write(score_report(scored, args.lang, args.fmt, bold, args.csv_dialect), out, args.fmt)
    except RegdocError as err:
        err.file = err.file or (str(out) if out else None)
        raise
    return EXIT_OK


def run_template(args) -> int:
    from regdoc.app.output import target
    from regdoc.app.scoring import reporting_template

    if args.per_organisation:
        return _run_organisation_templates(args)
    out = None if getattr(args, "to_stdout", False) else \
        target(args.root, args.out, f"evaluation-{args.year}.xlsx" if args.fmt == "xlsx" else None)
    data = reporting_template(args.root, args.year, args.fmt, args.filled, args.csv_dialect)
    _write(data, out, args.fmt)
    return EXIT_OK


def _run_organisation_templates(args) -> int:
    from regdoc.app.output import document_folder, write
    from regdoc.app.scoring import organisation_templates
    from regdoc.errors import RegdocError
    from regdoc.i18n import _

    if args.fmt != "xlsx":
        raise RegdocError(_("--per-organisation writes .xlsx workbooks, not {fmt}").format(fmt=args.fmt))
    if getattr(args, "to_stdout", False):
        raise RegdocError(_("--per-organisation writes one workbook per organisation into a folder: --out - "
                            "(standard output) cannot hold them"))
    folder = document_folder(args.root, args.out)
    books = organisation_templates(args.root, args.year, args.filled)  # all made before any is written
    for name, data in books:
        write(folder / name, data)
    print(_("regdoc: wrote {count} workbooks in {folder}").format(count=len(books), folder=folder),
          file=sys.stderr)
    return EXIT_OK


def run_import(args) -> int:
    from regdoc.app.scoring import import_returns
    from regdoc.errors import CheckFailed
    from regdoc.files.read import read_bounded
    from regdoc.files.spreadsheets import MAX_BYTES

    sources, problems = [], []
    for name in args.files:
        try:
            sources.append((name, read_bounded(None, Path(name), MAX_BYTES, name).data))
        except RegdocError as err:
            problems.append(Problem.from_error(err))
    if problems and not sources:
        raise CheckFailed(problems)
    result = import_returns(args.root, args.year, sources, dry_run=args.dry_run or bool(problems),
                            replace=args.replace, sample=args.sample)
    if problems or result.problems:  # the files that could not be read, and the problems of the others
        raise CheckFailed(problems + list(result.problems))
    if args.dry_run:
        sys.stdout.write(result.text)
    if result.unchanged:
        message = _("{path} already holds these values; nothing was written").format(path=result.path)
    elif result.written and result.replaced:
        message = _("wrote {path}; the earlier evaluation is kept as {kept} (changed: {organisations})").format(
            path=result.path, kept=result.kept, organisations=", ".join(result.changed) or "-")
    elif result.written:
        message = _("wrote {path}").format(path=result.path)
    else:
        message = _("the returns are in order; nothing was written (--dry-run)")
    print("regdoc: " + message, file=sys.stderr)
    return EXIT_OK
