"""The command line: parse arguments, call one library function, print, map RegdocError to an exit code.

Heavy modules (the document stack) are imported inside the commands that need them, so that `--help` and
`check` start fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .errors import CheckFailed, RegdocError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


def cmd_check(args) -> int:
    from .check import check_tree

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regdoc",
        description="The Regulation on the annual evaluation of member organisations, its criteria and "
                    "resolutions as versioned data; official documents in Kazakh and Russian.")
    parser.add_argument("--version", action="version", version=f"regdoc {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=".", metavar="DIR",
                        help="the data tree (default: the current directory)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", parents=[common], help="validate the whole data tree",
                       description="Validate every file of the data tree against its schema and the semantic "
                                   "rules; print each problem on its own line.")
    p.add_argument("path", nargs="?", help="the data tree (same as --root)")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except CheckFailed as failed:
        for problem in failed.problems:
            if problem.severity == "error":
                print(f"regdoc: {problem}", file=sys.stderr)
        return EXIT_ERROR
    except RegdocError as err:
        print(f"regdoc: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("regdoc: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an uncaught exception is a bug: say so in one line, never a traceback
        if os.environ.get("REGDOC_DEBUG"):
            raise
        print(f"regdoc: internal error: {type(exc).__name__}: {exc} "
              "(a bug in regdoc; run with REGDOC_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL
