"""`regdoc redline FROM TO`: the consolidated Regulation of edition TO as a .docx in which every difference from
edition FROM is a native Word revision (tracked change), attributed to the resolution that made it.

(`regdoc render comparison AMENDMENT`, the comparison table, is one of the documents of `regdoc render`; `regdoc
diff FROM TO --format html` is the HTML report of a comparison.)
"""
from __future__ import annotations

from pathlib import Path

from regdoc.cli.common import EXIT_OK
from regdoc.i18n import _

LANGS = ("kk", "ru")


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
                   help=_("the file to write (replaced in one step; default: "
                          "out/redline-<FROM date>-<TO date>.<lang>.docx under the data tree)"))
    p.set_defaults(func=run_redline)


def run_redline(args) -> int:
    from regdoc.documents import packet
    from regdoc.documents.output import render_job
    from regdoc.documents.writer import output_dir, sha256
    from regdoc.files.write import output_file, replace_atomic
    from regdoc.tree.load import load_tree
    from regdoc.versioning.amend import from_to

    root = Path(args.root)
    tree = load_tree(root)
    a, b = from_to(tree.initial, tree.amendments, args.first, args.second)
    path = output_file(root, args.out) if args.out else None  # a bad target is refused before any work
    job = packet.redline_jobs(tree, a, b, (args.lang,))[0]
    data = render_job(root, job)
    path = path or output_dir(root, None) / job.filename
    replace_atomic(path, data)
    print(_("wrote {path}  {size} bytes  sha256 {digest}").format(path=path, size=f"{len(data):,}",
                                                                   digest=sha256(data)[:16]))
    return EXIT_OK
