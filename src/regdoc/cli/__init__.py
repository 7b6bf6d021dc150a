"""The command line: parse arguments, call one library function, print, map RegdocError to an exit code.

Heavy modules (the document stack) are imported inside the commands that need them, so that `--help` and
`check` start fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Iterable

from regdoc import __version__, i18n
from regdoc.cli import argparse_i18n, completion
from regdoc.errors import CheckFailed, RegdocError, printable
from regdoc.i18n import _

EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 70

# The command modules of this package, one per feature. Each has `register(subparsers, common)`; each command is
# a thin function over the library returning an exit code. They are imported when the parser is built, so they
# import heavy libraries only inside the command functions.
MODULES = ("check", "resolution", "amendment", "versioning", "scoring", "render", "comparison", "serve",
           "completion")


def modules() -> Iterable:
    """Return the command modules, imported."""
    from importlib import import_module

    for name in MODULES:
        yield import_module(f"{__name__}.{name}")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser, its texts in the interface language of the current context."""
    argparse_i18n.install()
    parser = argparse.ArgumentParser(
        prog="regdoc",
        description=_("The Regulation on the annual evaluation of member organisations, its criteria and "
                      "resolutions as versioned data; official documents in Kazakh and Russian."))
    parser.add_argument("--version", action="version", version=f"regdoc {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--ui-lang", choices=i18n.LANGUAGES, metavar="kk|ru|en",
                        help=_("the language of messages and help (default: REGDOC_UI_LANG, else the locale: "
                               "LC_ALL, LC_MESSAGES, LANG; else English); may stand anywhere on the command "
                               "line. --lang chooses the language of documents and data views."))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=".", metavar="DIR",
                        help=_("the data tree (default: the current directory)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in modules():
        module.register(sub, common)
    _format_from_out(parser)
    return parser


def _format_from_out(parser: argparse.ArgumentParser) -> None:
    """Let every command with both --format and --out take the format from --out's extension: the --format
    action's default becomes None (so that a given --format can be told from the default), and the parser
    remembers the real default (regdoc.cli.streams.format_of decides)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                _format_from_out(sub)
    options = {o: a for a in parser._actions for o in a.option_strings}
    if "--format" in options and "--out" in options:
        fmt = options["--format"]
        parser.set_defaults(_format=(fmt.dest, fmt.default, tuple(fmt.choices or ())))
        fmt.default = None


def _conventions(args) -> None:
    """Apply the output conventions every command shares: --format from --out's extension, `--out -`."""
    from regdoc.cli.streams import format_of, is_stdout

    spec = getattr(args, "_format", None)
    if spec is not None:
        dest, default, choices = spec
        setattr(args, dest, format_of(getattr(args, "out", None), getattr(args, dest), default, choices))
    if is_stdout(getattr(args, "out", None)):
        if not getattr(args, "stdout_ok", False):
            raise RegdocError(_("--out - (standard output) is not available here: this command writes files; "
                                "give a file or folder"))
        args.out = None
        args.to_stdout = True


def ui_lang(argv: list[str]) -> tuple[str | None, list[str], str | None]:
    """Take every `--ui-lang X` / `--ui-lang=X` out of `argv` (up to a `--`): it may stand anywhere, before or after
    the command. Return the last value given (or None), the other arguments, and a usage error (or None)."""
    value, rest, error = None, [], None
    it = iter(range(len(argv)))
    for i in it:
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg == "--ui-lang":
            if i + 1 >= len(argv):
                error = _("argument %(argument_name)s: %(message)s") % {
                    "argument_name": "--ui-lang", "message": _("expected one argument")}
                break
            value = argv[i + 1]
            next(it)
        elif arg.startswith("--ui-lang="):
            value = arg.partition("=")[2]
        else:
            rest.append(arg)
    if error is None and value is not None and value not in i18n.LANGUAGES:
        error = _("argument %(argument_name)s: %(message)s") % {
            "argument_name": "--ui-lang", "message": _("invalid choice: %(value)r (choose from %(choices)s)") % {
                "value": value, "choices": ", ".join(map(repr, i18n.LANGUAGES))}}
    return value, rest, error


def command_line() -> int:
    """Run regdoc as the process it is started as (`regdoc ...`, `python -m regdoc ...`): main() on the command
    line, in a process that ends with the command (regdoc.collector.short_lived), unless the command runs for
    long (`regdoc serve`)."""
    global _process
    _process = True
    return main()


_process = False  # whether this process is one regdoc command (command_line), not a caller of main() (tests)


def main(argv: list[str] | None = None) -> int:
    """Run regdoc with `argv` (default: the command line) in the interface language it chooses."""
    from regdoc.cli.streams import any_console

    any_console()
    argv = sys.argv[1:] if argv is None else list(argv)
    option, argv, usage_error = ui_lang(argv)
    try:
        lang = i18n.choose(option)
    except ValueError as bad:  # REGDOC_UI_LANG names no interface language
        lang = i18n.SOURCE
        usage_error = usage_error or _("{name}='{value}' is not an interface language (choose from {choices})").format(
            name=i18n.ENV, value=printable(str(bad)), choices=", ".join(i18n.LANGUAGES))
    token = i18n.activate(lang)
    try:
        if usage_error:
            build_parser().error(usage_error)
        return _run(argv)
    finally:
        i18n.deactivate(token)


def _run(argv: list[str]) -> int:
    parser = build_parser()
    if completion.requested():  # the shell's completion function asks: answer and end here
        completion.complete(parser)
    args = parser.parse_args(argv)
    if args.ui_lang and args.ui_lang != i18n.current():  # given abbreviated (--ui kk): argparse took it
        i18n.activate(args.ui_lang)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    if _process and not getattr(args, "long_lived", False):
        from regdoc.collector import short_lived

        short_lived()  # no garbage collection goes through what lives until the command ends
    try:
        _conventions(args)
        return args.func(args)
    except CheckFailed as failed:
        for line in dict.fromkeys(str(p) for p in failed.problems if p.severity == "error"):  # each once
            print(f"regdoc: {line}", file=sys.stderr)
        return EXIT_ERROR
    except RegdocError as err:
        print("regdoc: " + _("error: {message}").format(message=err), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("regdoc: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (`regdoc score 2025 | head`): not an error of ours
        try:  # so that Python's final flush of stdout stays quiet
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 141
    except Exception as exc:  # an uncaught exception is a bug: say so in one line, never a traceback
        if os.environ.get("REGDOC_DEBUG"):
            raise
        print("regdoc: " + _("internal error: {error} (a bug in regdoc; run with REGDOC_DEBUG=1 for details)").format(
            error=f"{type(exc).__name__}: {printable(str(exc))}"), file=sys.stderr)
        return EXIT_INTERNAL
