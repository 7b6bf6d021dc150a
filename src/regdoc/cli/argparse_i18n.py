"""argparse's own messages (usage, errors, group titles) in the interface language.

argparse translates its messages with the module-level names `_` and `ngettext` it imported from gettext (the
global, process-wide gettext domain); `install()` points them at regdoc.i18n so that they follow the interface
language of the current context like every other message. The messages below are argparse's own (Python 3.11's
argparse.py), listed here so that the catalogs hold them; tests/test_i18n.py checks that the running Python's
argparse asks for no user-facing message missing from this list.
"""
from __future__ import annotations

import argparse

from regdoc import i18n
from regdoc.i18n import N_

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)
# Messages of argparse that only a programming error of regdoc itself can show (conflicting options and the
# like): they stay in English, as for any internal error.
DEVELOPER = (
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    'argument "-" with mode %r', "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "conflicting option string: %s", "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments", "%r is not callable",
)


def expected_arguments(n: int) -> str:
    """argparse's one plural message (nargs=N), as argparse asks for it; written out here for the extraction."""
    return i18n.ngettext("expected %s argument", "expected %s arguments", n) % n


def install() -> None:
    """Make argparse's messages follow regdoc's interface language (idempotent)."""
    argparse._ = i18n._
    argparse.ngettext = i18n.ngettext
