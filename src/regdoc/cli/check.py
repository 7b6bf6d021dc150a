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
    from regdoc.tree.check import check_tree

    root = Path(args.path or args.root)
    problems = check_tree(root)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for problem in sorted(problems, key=lambda p: (p.severity != "error", p.file or "", p.line or 0)):
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    summary = f"{len(errors)} error(s), {len(warnings)} warning(s)"
    if errors:
        print(f"regdoc check: {root}: {summary}", file=sys.stderr)
        return EXIT_ERROR
    print(f"regdoc check: {root}: valid ({summary})")
    return EXIT_OK
