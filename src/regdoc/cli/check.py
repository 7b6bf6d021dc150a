"""`regdoc check`: validate the whole data tree."""
from __future__ import annotations

import sys
from pathlib import Path

from regdoc.cli.common import EXIT_ERROR, EXIT_OK
from regdoc.i18n import _, ngettext


def register(sub, common) -> None:
    p = sub.add_parser("check", parents=[common], help=_("validate the whole data tree"),
                       description=_("Validate every file of the data tree against its schema and the semantic "
                                     "rules; print each problem on its own line on standard error."))
    p.add_argument("path", nargs="?", help=_("the data tree (same as --root)"))
    p.set_defaults(func=run)

    p = sub.add_parser("schemas", help=_("where the JSON Schemas of the data files are installed"),
                       description=_("List each kind of data file with the JSON Schema that describes it, for "
                                     "editors and other validators (the schemas reference each other by relative "
                                     "file name). With --path, print only the folder of the schemas."))
    p.add_argument("--path", action="store_true", help=_("print only the folder of the installed schemas"))
    p.set_defaults(func=run_schemas)


def run(args) -> int:
    from regdoc.app.check import check

    report = check(Path(args.path or args.root))
    for problem in report.problems:
        print(problem, file=sys.stderr)
    summary = _("{errors}, {warnings}").format(
        errors=ngettext("{count} error", "{count} errors", len(report.errors)).format(count=len(report.errors)),
        warnings=ngettext("{count} warning", "{count} warnings", len(report.warnings)).format(
            count=len(report.warnings)))
    if report.errors:
        print(f"regdoc check: {report.root}: {summary}", file=sys.stderr)
        return EXIT_ERROR
    print(f"regdoc check: {report.root}: " + _("valid ({summary})").format(summary=summary), file=sys.stderr)
    return EXIT_OK


def run_schemas(args) -> int:
    from regdoc.app.check import schema_files

    found = schema_files()
    if args.path:
        print(found.folder)
        return EXIT_OK
    width = max(len(glob) for glob, _schema in found.files)
    for glob, schema in found.files:
        print(f"{glob:<{width}}  {schema}")
    return EXIT_OK
