"""`regdoc redline FROM TO`: the consolidated Regulation of edition TO as a .docx in which every difference from
edition FROM is a native Word revision (tracked change), attributed to the resolution that made it.

(`regdoc render comparison AMENDMENT`, the comparison table, is one of the documents of `regdoc render`; `regdoc
diff FROM TO --format html` is the HTML report of a comparison.)
"""
from __future__ import annotations

import sys

from pathlib import Path

from regdoc.app.formats import LANGS
from regdoc.cli.common import EXIT_OK
from regdoc.i18n import _


def register(sub, common) -> None:
    p = sub.add_parser("redline", parents=[common], help=_("the Regulation of TO with the changes since FROM tracked"),
                       description=_("Write the consolidated Regulation of edition TO as a .docx in which every "
                                     "difference from edition FROM is a tracked change (inserted and deleted words, "
                                     "units and rows of Appendix 1), by the resolution that made it and on its "
                                     "in-force date. Accepting all changes gives TO, rejecting all gives FROM. FROM "
                                     "and TO: a date YYYY-MM-DD or an edition id (a file stem in "
                                     "regulation/versions/)."))
    p.add_argument("first", metavar="FROM")
    p.add_argument("second", metavar="TO")
    p.add_argument("--lang", choices=LANGS, default="kk", help=_("language of the document (default: kk)"))
    p.add_argument("--out", metavar="FILE", type=Path,
                   help=_("the file to write (replaced in one step; default: out/redline-<FROM date>-<TO "
                          "date>.<lang>.docx under the data tree)"))
    p.set_defaults(func=run_redline)


def run_redline(args) -> int:
    from regdoc.app.documents import redline

    written = redline(args.root, args.first, args.second, args.lang, args.out)
    print("regdoc: " + _("wrote {path}  {size} bytes  sha256 {digest}").format(
        path=written.path, size=f"{written.size:,}", digest=written.sha256[:16]), file=sys.stderr)
    if written.drafts:
        from regdoc.cli.versioning import _note_drafts

        _note_drafts(args.root, written.drafts)
    return EXIT_OK
