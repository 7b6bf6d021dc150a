#!/usr/bin/env python3
"""Benchmark of the document pipeline, in one run:

1. `regdoc build` (no PDF: load and check the data tree, build the contexts, render, write atomically, manifest)
   against rendering the same templates with the same contexts through docxtpl alone (DocxTemplate, render with
   autoescape, save). Prints both medians and the ratio; the aim is an overhead under 25 %. Also the medians of
   the build's stages (reading and checking the data, building the contexts, rendering and writing), so that the
   rendering stage can be set against docxtpl alone on its own.
2. PDF of the whole packet (one LibreOffice process for all documents) against one single-document conversion.
   The aim is under 1.5 times. Skipped when LibreOffice is not installed.

    PYTHONPATH=src python benchmarks/bench_render.py [--root .] [--runs 7] [--pdf-runs 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from timing import median_seconds  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf-runs", type=int, default=3)
    args = parser.parse_args(argv)

    from docxtpl import DocxTemplate

    from regdoc.cli import main as regdoc
    from regdoc.documents import packet
    from regdoc.documents.output import manifest, source_digests, write_jobs, write_manifest
    from regdoc.documents.pdf import convert, find_soffice
    from regdoc.tree.load import load_evaluation, load_tree

    root = args.root.resolve()
    tree = load_tree(root)
    jobs, skipped, subject = packet.build_plan(tree, lambda year: load_evaluation(root, year, tree))
    jobs_year = subject["evaluation"]
    evaluation = load_evaluation(root, jobs_year, tree) if jobs_year else None
    if skipped:
        print("cannot benchmark: " + "; ".join(f"{s.filename}: {s.reason}" for s in skipped), file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="regdoc-bench-") as tmp:
        tmp = Path(tmp)
        build_out, plain_out = tmp / "build", tmp / "plain"
        build_out.mkdir()
        plain_out.mkdir()

        def build() -> None:
            if regdoc(["build", "--root", str(root), "--out", str(build_out)]) != 0:
                raise SystemExit("regdoc build failed")

        def docxtpl_alone() -> None:
            for job in jobs:
                if job.make is not None:  # the redline is not a docxtpl rendering: made as the build makes it
                    (plain_out / job.filename).write_bytes(job.make(root, job))
                    continue
                tpl = DocxTemplate(str(root / job.template))
                tpl.render(job.context, autoescape=True)
                tpl.save(str(plain_out / job.filename))

        stage_out = tmp / "stage"
        stage_out.mkdir()

        def load() -> None:
            loaded = load_tree(root)
            if jobs_year:
                load_evaluation(root, jobs_year, loaded)

        def plan() -> None:
            packet.build_plan(tree, lambda year: evaluation)

        def render_and_write() -> None:
            produced, failed = write_jobs(root, jobs, stage_out)
            if failed:
                raise SystemExit(f"render failed: {failed}")
            digests = source_digests(root, [f for p in produced for f in p.job.sources])
            write_manifest(stage_out, manifest({}, produced, [], digests))

        import contextlib
        import io
        with contextlib.redirect_stdout(io.StringIO()):
            t_build = median_seconds(build, args.runs, warmup=True)
        t_plain = median_seconds(docxtpl_alone, args.runs, warmup=True)
        t_load = median_seconds(load, args.runs, warmup=True)
        t_plan = median_seconds(plan, args.runs, warmup=True)
        t_write = median_seconds(render_and_write, args.runs, warmup=True)
        print(f"documents: {len(jobs)} (.docx, no PDF); runs: {args.runs}")
        print(f"regdoc build        median {t_build * 1000:8.1f} ms")
        print(f"docxtpl alone       median {t_plain * 1000:8.1f} ms")
        print(f"ratio               {t_build / t_plain:8.2f}  (overhead {100 * (t_build / t_plain - 1):+.0f} %, "
              "aim < +25 %)")
        print("stages of the build:")
        print(f"  read and check the data tree and the evaluation  median {t_load * 1000:8.1f} ms")
        print(f"  build the contexts (score, phrase)               median {t_plan * 1000:8.1f} ms")
        print(f"  render, write atomically, manifest               median {t_write * 1000:8.1f} ms  "
              f"(vs docxtpl alone: {100 * (t_write / t_plain - 1):+.0f} %)")

        if find_soffice() is None:
            print("PDF: skipped (LibreOffice is not installed)")
            return 0
        docx = sorted(build_out.glob("*.docx"))
        single = next(p for p in docx if p.name.startswith("resolution-") and p.name.endswith(".kk.docx"))
        pdf_all, pdf_one = tmp / "pdf-all", tmp / "pdf-one"
        pdf_all.mkdir()
        pdf_one.mkdir()

        def packet_pdf() -> None:
            result = convert(docx, pdf_all)
            if result.failed:
                raise SystemExit(f"PDF failed: {result.failed}")

        def one_pdf() -> None:
            result = convert([single], pdf_one)
            if result.failed:
                raise SystemExit(f"PDF failed: {result.failed}")

        t_all = median_seconds(packet_pdf, args.pdf_runs, warmup=True)
        t_one = median_seconds(one_pdf, args.pdf_runs, warmup=True)
        print(f"PDF, whole packet   median {t_all * 1000:8.1f} ms  ({len(docx)} documents, one LibreOffice process)")
        print(f"PDF, one document   median {t_one * 1000:8.1f} ms  ({single.name})")
        print(f"ratio               {t_all / t_one:8.2f}  (aim < 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
