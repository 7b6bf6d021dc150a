"""`regdoc completion SHELL`: shell completion of commands, options and their choices, with argcomplete.

The shell's completion function runs `regdoc` with `_ARGCOMPLETE` set; `complete` then answers from the parser and
ends the process (regdoc.cli.main calls it only then, so that every other run, `--help` included, never imports
argcomplete).
"""
from __future__ import annotations

import os

from regdoc.cli.common import EXIT_OK
from regdoc.i18n import _

SHELLS = ("bash", "zsh", "fish")


def register(sub, common) -> None:
    p = sub.add_parser("completion", help=_("print the shell code that completes regdoc's commands and options"),
                       description=_("Print the code that makes the shell complete regdoc's commands, options and "
                                     "their choices. The README (Shell completion) says where to put it."))
    p.add_argument("shell", choices=SHELLS)
    p.set_defaults(func=run)


def requested() -> bool:
    """Return whether this run is a shell asking for completions."""
    return "_ARGCOMPLETE" in os.environ


def complete(parser) -> None:
    """Answer the shell's completion request from `parser` and end the process."""
    import argcomplete

    argcomplete.autocomplete(parser)


def run(args) -> int:
    import argcomplete

    print(argcomplete.shellcode(["regdoc"], shell=args.shell), end="")
    return EXIT_OK
