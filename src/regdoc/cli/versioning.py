"""`regdoc regulation`, `regdoc history`, `regdoc diff`, `regdoc criteria diff`: the Regulation at any date,
the wordings a unit has had, and comparisons between editions and between criteria.

FROM and TO name a point in the Regulation's history: an edition id (a file stem in regulation/versions/, e.g.
2026-02-20: the edition that amendment produced), a date YYYY-MM-DD (the edition in force that day) or, for
`criteria diff`, an evaluation year YYYY (Appendix 1 in force on 31 December of that year). The json shapes are
documented in regdoc.views.text.
"""
from __future__ import annotations

import sys

from regdoc.app.formats import DIFF_FORMATS, LANGS, VIEW_FORMATS
from regdoc.cli.common import EXIT_OK, use_colour
from regdoc.i18n import _


def register(sub, common) -> None:
    p = sub.add_parser("regulation", parents=[common], help=_("the Regulation in force at a date, with its notes"),
                       description=_("Print the Regulation and its Appendix 1 as in force on a date, with the "
                                     "amendment notes of every changed unit."))
    p.add_argument("--as-of", metavar="DATE", help=_("a date YYYY-MM-DD or an edition id (default: today)"))
    _lang_format(p)
    p.set_defaults(func=run_regulation)

    p = sub.add_parser("history", parents=[common], help=_("every wording a unit has had"),
                       description=_("Print every wording a unit (a number such as 4.2) has had, with the dates and "
                                     "the resolutions that set them."))
    p.add_argument("unit", metavar="UNIT", help=_("the unit's number, e.g. 4.2"))
    _lang_format(p)
    p.set_defaults(func=run_history)

    p = sub.add_parser("diff", parents=[common], help=_("what changed in the Regulation between two points"),
                       description=_("Compare two editions: units added, deleted, changed (word by word) and "
                                     "unchanged. FROM and TO: a date YYYY-MM-DD or an edition id. --format html "
                                     "writes one self-contained page, Kazakh and Russian side by side, with the "
                                     "changes in Appendix 1 (--lang does not apply to it)."))
    p.add_argument("first", metavar="FROM")
    p.add_argument("second", metavar="TO")
    _lang_format(p, DIFF_FORMATS)
    p.add_argument("--out", metavar="FILE", help=_("write to FILE (replaced in one step) instead of the terminal"))
    p.set_defaults(func=run_diff, stdout_ok=True)

    p = sub.add_parser("criteria", help=_("the evaluation criteria (Appendix 1)"),
                       description=_("Commands on Appendix 1, the evaluation criteria."))
    criteria = p.add_subparsers(dest="criteria_command", metavar="COMMAND", required=True)
    p = criteria.add_parser("diff", parents=[common], help=_("what changed in Appendix 1 between two points"),
                            description=_("Compare the criteria of two editions or evaluation years: blocks and "
                                          "indicators added, removed, renamed, re-weighted (old and new rule side "
                                          "by side), and each block's maximum points. FROM and TO: a date "
                                          "YYYY-MM-DD, an edition id or an evaluation year YYYY (Appendix 1 in "
                                          "force on 31 December of it)."))
    p.add_argument("first", metavar="FROM")
    p.add_argument("second", metavar="TO")
    _lang_format(p)
    p.set_defaults(func=run_criteria_diff)


def _lang_format(p, formats: tuple[str, ...] = VIEW_FORMATS) -> None:
    p.add_argument("--lang", choices=LANGS, default="kk", help=_("language of the output (default: kk)"))
    p.add_argument("--format", choices=formats, default="text", help=_("output format (default: text)"))


def run_regulation(args) -> int:
    from regdoc.app.versioning import regulation_at
    from regdoc.views.text import regulation_view

    shown = regulation_at(args.root, args.as_of)
    print(regulation_view(shown.regulation, shown.point, args.lang, args.format, use_colour()), end="")
    _note_drafts(args.root, shown.point.edition.drafts)
    return EXIT_OK


def _note_drafts(root: str, names) -> None:
    """Say on stderr which amendments shown are drafts (their resolution does not exist yet) and what to do."""
    if names:
        from regdoc.app.versioning import draft_notes

        for message in draft_notes(root, names):
            print("regdoc: " + _("note: {message}").format(message=message), file=sys.stderr)


def run_history(args) -> int:
    from regdoc.app.versioning import unit_history
    from regdoc.views.text import history_view

    wordings = unit_history(args.root, args.unit)
    print(history_view(wordings, args.lang, args.format, use_colour()), end="")
    _note_drafts(args.root, [w.amendment for w in wordings if w.draft])
    return EXIT_OK


def run_diff(args) -> int:
    from regdoc.app.output import target, write
    from regdoc.app.versioning import compare_editions

    c = compare_editions(args.root, args.first, args.second)
    if args.format == "html":
        from regdoc.views.html import diff_html

        text = diff_html(c.regulation, c.first, c.second, c.diff, c.criteria)
    else:
        from regdoc.views.text import diff_view

        text = diff_view(c.first, c.second, c.diff, args.lang, args.format, use_colour() and not args.out)
    _note_drafts(args.root, c.first.edition.drafts + c.second.edition.drafts)
    if not args.out:
        print(text, end="")
        return EXIT_OK
    path = target(args.root, args.out)
    write(path, text)
    print("regdoc: " + _("wrote {path}").format(path=path), file=sys.stderr)
    return EXIT_OK


def run_criteria_diff(args) -> int:
    from regdoc.app.versioning import compare_criteria
    from regdoc.views.text import criteria_diff_view

    c = compare_criteria(args.root, args.first, args.second)
    print(criteria_diff_view(c.first, c.second, c.diff, args.lang, args.format, use_colour()), end="")
    _note_drafts(args.root, c.first.edition.drafts + c.second.edition.drafts)
    return EXIT_OK
