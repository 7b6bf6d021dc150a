"""`regdoc amendment new`: the skeleton of a new amendment of the Regulation, created exclusively."""
from __future__ import annotations

import sys

from regdoc.cli.common import EXIT_OK
from regdoc.i18n import _


def register(sub, common) -> None:
    p = sub.add_parser("amendment", help=_("amendments of the Regulation: start a new one"),
                       description=_("An amendment is one file in regulation/versions/, named by its in-force date, "
                                     "holding the operations one resolution adopts."))
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    p.set_defaults(func=lambda args: _help(p))
    new = actions.add_parser(
        "new", parents=[common], help=_("write the skeleton of a new amendment file"),
        description=_("Create regulation/versions/<DATE>.yaml exclusively (an existing file is never overwritten: "
                      "the command is refused, naming it): the amendment adopted by resolution ID, in force from "
                      "DATE, with no operations yet and a commented example of every operation, Kazakh first, "
                      "then Russian. `regdoc check` reports it until it has operations and no TODO left; while "
                      "resolution ID does not exist, the views show the amendment as a draft."))
    new.add_argument("--date", required=True, metavar="DATE",
                     help=_("the date the amendment is in force from, YYYY-MM-DD (names the file)"))
    new.add_argument("--resolution", required=True, metavar="ID",
                     help=_("the resolution that adopts it, YYYY-MM-DD/meeting/item (e.g. 2026-02-20/9/7)"))
    new.set_defaults(func=run_new)


def _help(parser) -> int:
    parser.print_help()
    return 2


def run_new(args) -> int:
    from regdoc.app.amendments import new_amendment_file, parse_resolution_id
    from regdoc.registry.numbering import parse_date

    when = parse_date(args.date, "--date")
    rid = parse_resolution_id(args.resolution)
    created = new_amendment_file(args.root, when, rid)
    print(created.rel)
    if not created.resolution_exists:
        print("regdoc: " + _("note: resolution {id} does not exist yet: create it with `regdoc resolution new "
                             "--date {date} --meeting {meeting} --item {item}`; until then the views show the "
                             "amendment as a draft").format(id=rid, date=rid.date.isoformat(), meeting=rid.meeting,
                                                            item=rid.item), file=sys.stderr)
    return EXIT_OK
