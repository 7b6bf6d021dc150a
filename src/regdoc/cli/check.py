"""`regdoc check`: validate the whole data tree."""
from __future__ import annotations

import sys
from pathlib import Path

from regdoc.cli.common import EXIT_ERROR, EXIT_OK


def register(sub, common) -> None:
    p = sub.add_parser("check", parents=[common], help="validate the whole data tree",
                       description="Validate every file of the data tree against its schema and the semantic "
                                   "rules; print each problem on its own line (errors to stderr).")
    p.add_argument("path", nargs="?", help="the data tree (same as --root)")
    p.set_defaults(func=run)


def run(args) -> int:
    from regdoc.app.check import check

    report = check(Path(args.path or args.root))
    for problem in report.problems:
        print(problem, file=sys.stderr)
    summary = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    if report.errors:
        print(f"regdoc check: {report.root}: {summary}", file=sys.stderr)
        return EXIT_ERROR
    print(f"regdoc check: {report.root}: valid ({summary})", file=sys.stderr)
    return EXIT_OK
