"""`regdoc render`, `regdoc templates check` and `regdoc build`: the official documents as .docx (and PDF).

    regdoc build [--out DIR] [--pdf]
    regdoc render resolution ID [--lang kk|ru|both] [--parallel] [--pdf] [--out DIR]
    regdoc render regulation [--as-of DATE] [--lang ...] [--parallel] [--pdf] [--out DIR]
    regdoc render results YEAR [--lang ...] [--parallel] [--pdf] [--out DIR]
    regdoc render comparison AMENDMENT [--lang ...] [--pdf] [--out DIR]
    regdoc render register YEAR [--lang ...] [--pdf] [--out DIR]
    regdoc templates check
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from regdoc.app.formats import DOCUMENT_LANGS
from regdoc.cli.common import EXIT_ERROR, EXIT_OK
from regdoc.i18n import _, ngettext


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a date of the form YYYY-MM-DD").format(
            value=text)) from None


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) != 4:
        raise argparse.ArgumentTypeError(_("'{value}' is not a year (YYYY)").format(value=text))
    return int(text)


def register(sub, common) -> None:
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--out", type=Path, metavar="DIR",
                     help=_("folder to write to; it must exist (default: out/ under the data tree, created)"))
    out.add_argument("--pdf", action="store_true",
                     help=_("also convert the documents to PDF with LibreOffice (one process for the batch)"))
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=DOCUMENT_LANGS, default="both",
                      help=_("language of the documents (default: both, Kazakh first)"))
    langs = argparse.ArgumentParser(add_help=False, parents=[lang])
    langs.add_argument("--parallel", action="store_true",
                       help=_("with --lang both: one document, Kazakh and Russian side by side, unit by unit"))

    p = sub.add_parser("build", parents=[common, out], help=_("make the packet of the latest resolution"),
                       description=_("For the latest resolution, in Kazakh and Russian: the resolution, the "
                                     "consolidated Regulation in force after it and the results of its evaluation; "
                                     "for the latest amendment of the Regulation, its comparison table and the "
                                     "redline of the edition it produced (tracked changes against the edition "
                                     "before); plus manifest.json (each file with its SHA-256 and the data it came "
                                     "from). Runs every check of `regdoc check` first and refuses a tree with "
                                     "errors (--force builds anyway, marked not for signature). The packet goes to "
                                     "<DIR>/<resolution id>/, locked while it is written (a second build of it "
                                     "waits up to 30 s)."))
    p.add_argument("--force", action="store_true",
                   help=_("build even when `check` finds errors: every document and the manifest are marked not for "
                          "signature, and the exit code is 1"))
    p.set_defaults(func=run_build)

    render = sub.add_parser("render", help=_("render one official document as .docx (and PDF)"),
                            description=_("Render one official document from the data tree."))
    kinds = render.add_subparsers(dest="document", metavar="DOCUMENT", required=True)
    r = kinds.add_parser("resolution", parents=[common, langs, out], help=_("a resolution (Қаулы / Постановление)"))
    r.add_argument("id", metavar="ID", help=_("the resolution's id: date/meeting/item, e.g. 2026-02-20/9/7"))
    r.set_defaults(func=run_render)
    g = kinds.add_parser("regulation", parents=[common, langs, out],
                         help=_("the consolidated Regulation as in force on a date"))
    g.add_argument("--as-of", type=_date, metavar="DATE",
                   help=_("the date (YYYY-MM-DD; default: the edition in force today)"))
    g.set_defaults(func=run_render)
    s = kinds.add_parser("results", parents=[common, langs, out], help=_("the evaluation results of a year"))
    s.add_argument("year", type=_year, metavar="YEAR", help=_("the evaluation year, e.g. 2025"))
    s.set_defaults(func=run_render)
    c = kinds.add_parser("comparison", parents=[common, langs, out],
                         help=_("the comparison table of an amendment (салыстырмалы кесте / сравнительная таблица)"))
    c.add_argument("amendment", metavar="AMENDMENT",
                   help=_("the amendment's id: its file stem in regulation/versions/, e.g. 2026-02-20"))
    c.set_defaults(func=run_render)
    y = kinds.add_parser("register", parents=[common, lang, out],
                         help=_("the register of a year's resolutions (Қаулылар тізілімі / Реестр постановлений)"),
                         description=_("The register of the Executive Committee's resolutions of YEAR as a .docx "
                                       "table, one file per language: date, number, title, the amendments of the "
                                       "Regulation and the evaluation results each resolution carries, in number "
                                       "order. A year with no resolution is refused."))
    y.add_argument("year", type=_year, metavar="YEAR", help=_("the year of the resolutions, e.g. 2026"))
    y.set_defaults(func=run_render, parallel=False)

    t = sub.add_parser("templates", help=_("check the document templates"),
                       description=_("Check the docxtpl templates under templates/."))
    actions = t.add_subparsers(dest="action", metavar="ACTION", required=True)
    c = actions.add_parser("check", parents=[common], help=_("every template opens, uses only what its context "
                                                             "provides, and keeps each tag in one run"))
    c.set_defaults(func=run_templates_check)


def _report(written) -> None:
    paths = [str(written.folder / p.filename) for p in written.produced]
    width = max((len(path) for path in paths), default=0)
    for path, p in zip(paths, written.produced):
        print("regdoc: " + _("wrote {path}  {size} bytes  sha256 {digest}").format(
            path=f"{path:<{width}}", size=f"{p.size:>9,}", digest=p.sha256[:16]), file=sys.stderr)
    for s in written.skipped:
        print("regdoc: " + _("not produced: {file}: {reason}").format(file=s.filename, reason=s.reason),
              file=sys.stderr)


def run_render(args) -> int:
    from regdoc.app.documents import render_document

    written = render_document(args.root, args.document, resolution=getattr(args, "id", None),
                              as_of=getattr(args, "as_of", None), year=getattr(args, "year", None),
                              amendment=getattr(args, "amendment", None), lang=args.lang, parallel=args.parallel,
                              out=args.out, pdf=args.pdf)
    _report(written)
    return EXIT_OK if written.complete else EXIT_ERROR


def run_build(args) -> int:
    from regdoc.app.documents import build_packet

    def progress(built) -> None:
        for problem in built.check_errors:
            print(f"regdoc: {problem}", file=sys.stderr)
        if built.check_errors:
            print(_("regdoc build: --force: {n} error(s) in the data; every document is marked not for signature")
                  .format(n=len(built.check_errors)), file=sys.stderr)
        _report(built)
        for name in built.removed:
            print(_("removed {path} (of an earlier packet)").format(path=built.folder / name), file=sys.stderr)

    built = build_packet(args.root, args.out, args.pdf, progress=progress, force=args.force)
    for item in built.not_applicable:
        print("regdoc build: " + _("no {document} document: {reason}").format(document=item["document"],
                                                                             reason=item["reason"]), file=sys.stderr)
    print("regdoc: " + _("wrote {path}").format(path=built.manifest), file=sys.stderr)
    summary = _("{written}, {skipped} not produced").format(
        written=ngettext("{count} file written", "{count} files written", len(built.produced)).format(
            count=len(built.produced)),
        skipped=len(built.skipped))
    if not built.complete:
        print(f"regdoc build: {summary}", file=sys.stderr)
        return EXIT_ERROR
    print(f"regdoc build: {summary}", file=sys.stderr)
    return EXIT_OK


def run_templates_check(args) -> int:
    from regdoc.app.documents import check_templates

    report = check_templates(args.root)
    for template, reason in report.unavailable:
        print(f"{template}: " + _("warning: no context from the data ({reason}); checked its tags only").format(
            reason=reason), file=sys.stderr)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        print("regdoc templates check: " + _("{problems} {in_templates}").format(
            problems=ngettext("{count} problem", "{count} problems", len(report.problems)).format(
                count=len(report.problems)),
            in_templates=ngettext("in {count} template", "in {count} templates", len(report.checked)).format(
                count=len(report.checked))), file=sys.stderr)
        return EXIT_ERROR
    print("regdoc templates check: " + ngettext("{count} template fine", "{count} templates fine",
                                                len(report.checked)).format(count=len(report.checked)), file=sys.stderr)
    return EXIT_OK
