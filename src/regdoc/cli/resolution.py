"""`regdoc resolution new` (assign a number, create the skeleton) and `regdoc resolution list` (the register)."""
from __future__ import annotations

import sys

from regdoc.app.formats import LANGS, REGISTER_FORMATS
from regdoc.cli.common import EXIT_OK, use_colour
from regdoc.i18n import _


def register(sub, common) -> None:
    p = sub.add_parser("resolution", help=_("the registry of resolutions: assign numbers, list the register"),
                       description=_("Resolutions of the Executive Committee, numbered by date, meeting (protocol) "
                                     "and item: 2026-02-20/9/7 is «20.02.2026 ж. № 9, 7-т.»."))
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    p.set_defaults(func=lambda args: _help(p))

    new = actions.add_parser(
        "new", parents=[common], help=_("assign the next free number and create the resolution's skeleton file"),
        description=_("Take the meeting of DATE (or the one given, checked against the numbering rules; for a new "
                      "date the previous meeting's number + 1 within the numbering period), assign its next free "
                      "item and create resolutions/<year>/<date>-<meeting>-<item>.yaml exclusively: never "
                      "overwriting, never the same number twice. Texts not given are TODO placeholders that `regdoc "
                      "check` reports until they hold the text as issued. Prints the id and the file."))
    new.add_argument("--date", required=True, metavar="DATE", help=_("the date of the meeting, YYYY-MM-DD"))
    new.add_argument("--meeting", metavar="N", help=_("the meeting (protocol) number, when not the one regdoc finds"))
    new.add_argument("--item", metavar="N", help=_("the item of the meeting's agenda, when not the next free one "
                                                   "(the items before it may be other matters)"))
    new.add_argument("--title-kk", metavar="TEXT", help=_("the title in Kazakh"))
    new.add_argument("--title-ru", metavar="TEXT", help=_("the title in Russian"))
    new.set_defaults(func=run_new)

    ls = actions.add_parser(
        "list", parents=[common], help=_("the register of resolutions"),
        description=_("The register: date, number, title, and the amendments of the Regulation and evaluation "
                      "results each resolution carries. json always holds both languages (see the README for its "
                      "fields); text and md show one language (default kk); xlsx has one sheet per language (both "
                      "unless --lang) and needs --out."))
    ls.add_argument("--year", metavar="Y", help=_("only the resolutions of this year"))
    ls.add_argument("--lang", choices=LANGS, help=_("the language of text, md and xlsx (json holds both)"))
    ls.add_argument("--format", choices=REGISTER_FORMATS, default="text", help=_("output format (default: text)"))
    ls.add_argument("--out", metavar="FILE", help=_("write to FILE (replaced atomically) instead of the terminal"))
    ls.set_defaults(func=run_list, stdout_ok=True)


def _help(parser) -> int:
    parser.print_help()
    return 2


def run_new(args) -> int:
    from regdoc.app.resolutions import new_resolution
    from regdoc.registry.numbering import clean_title, parse_date, parse_number

    when = parse_date(args.date, "--date")
    meeting = parse_number(args.meeting, "--meeting") if args.meeting is not None else None
    item = parse_number(args.item, "--item") if args.item is not None else None
    title = {lang: clean_title(value, lang) for lang, value in (("kk", args.title_kk), ("ru", args.title_ru))
             if value is not None}
    assigned = new_resolution(args.root, when, meeting, title, item)
    plan = assigned.plan
    if plan.new_meeting and meeting is None:
        if plan.previous is not None:
            basis = _("the previous meeting in the registry is No {number} of {date}").format(
                number=plan.previous.number, date=plan.previous.date.isoformat())
        else:
            basis = _("the registry holds no earlier meeting in this numbering period")
        print("regdoc: " + _("note: meeting No {meeting} is new ({basis}; numbering: {numbering}); check it against "
                             "the protocol").format(meeting=plan.id.meeting, basis=basis,
                                                    numbering=assigned.numbering), file=sys.stderr)
    print(f"{plan.id} {assigned.path}")
    return EXIT_OK


def run_list(args) -> int:
    from regdoc.app.output import target, write
    from regdoc.app.resolutions import register_report
    from regdoc.errors import RegdocError
    from regdoc.registry.numbering import parse_number

    year = None
    if args.year is not None:
        year = parse_number(args.year, "--year")
        if not 1000 <= year <= 9999:
            raise RegdocError(_("--year '{year}' is not a year of four digits").format(year=args.year))
    if args.format == "xlsx" and not args.out and not getattr(args, "to_stdout", False):
        raise RegdocError(_("--format xlsx writes a file: give --out FILE.xlsx, or --out - for standard output"))
    out = target(args.root, args.out)
    bold = (lambda s: f"\033[1m{s}\033[0m") if out is None and use_colour() else str
    try:
        data = register_report(args.root, year, args.format, args.lang, bold)
    except RegdocError as err:
        err.file = err.file or args.out
        raise
    if out is None:
        from regdoc.cli.streams import write_stdout

        write_stdout(data, args.format)
    else:
        write(out, data)
        print("regdoc: " + _("wrote {path}").format(path=out), file=sys.stderr)
    return EXIT_OK
