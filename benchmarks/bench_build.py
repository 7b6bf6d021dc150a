#!/usr/bin/env python3
"""Benchmark of `regdoc build` (no PDF) and of its PDF stage, as whole processes, against the bare libraries.

1. `regdoc build --out DIR` against bare docxtpl rendering the same templates with the same contexts, loaded
   from JSON dumped once (benchmarks/bare_docxtpl.py; the two redlines, which regdoc writes with python-docx,
   are written there by bare python-docx from their dumped bodies). Aim: ratio of medians <= 1.25.
2. The PDF stage: `regdoc build --pdf` minus `regdoc build`, against bare `soffice --convert-to pdf` converting
   the same .docx files in one call with the options regdoc gives it (regdoc.documents.pdf), each call with a
   new profile of its own, as regdoc's own call has (a profile used again by a call started while the last one
   was still ending could hang). Aim: <= 1.05. Skipped without LibreOffice. Every run of this stage is
   killed after --timeout seconds (the benchmark then stops saying so).

Runs are interleaved (A B A B ...) after one warm-up round; each figure is median, min and max of whole
processes, with peak resident memory.

    python benchmarks/bench_build.py [--root .] [--runs 7] [--pdf-runs 3]
"""
from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the checkout (timing.py, generate.py)

from timing import ROOT, interleaved, process_env, ratio, regdoc, scratch

HERE = Path(__file__).resolve().parent


def _plain(value):
    from docxtpl import RichText

    if isinstance(value, RichText):
        return {"__richtext__": value.xml}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def dump_contexts(root: Path, path: Path) -> int:
    """Write the build's jobs as JSON (template, file name, context or the redline's body); return their count."""
    sys.path.insert(0, str(ROOT / "src"))
    from regdoc.documents import packet
    from regdoc.tree.load import load_evaluation, load_tree

    tree = load_tree(root)
    jobs, skipped, _ = packet.build_plan(tree, lambda year: load_evaluation(root, year, tree))
    if skipped:
        raise SystemExit("cannot benchmark: " + "; ".join(f"{s.filename}: {s.reason}" for s in skipped))
    out = []
    for job in jobs:
        entry = {"template": str(root / job.template), "filename": job.filename}
        if job.make is not None:
            from lxml import etree

            data = job.make((root / job.template).read_bytes(), job)
            xml = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
            body = xml.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body")
            entry["body"] = etree.tostring(body, encoding="unicode")
        else:
            entry["context"] = _plain(job.context)
        out.append(entry)
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return len(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="seconds a run of the PDF stage may take")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    env = process_env()
    with scratch("build") as tmp:
        tmp = Path(tmp)
        for name in ("regdoc", "bare", "pdf", "soffice", "profile"):
            (tmp / name).mkdir()
        count = dump_contexts(root, tmp / "contexts.json")
        build = regdoc("build", "--root", str(root), "--out", str(tmp / "regdoc"))
        bare = [sys.executable, str(HERE / "bare_docxtpl.py"), str(tmp / "contexts.json"), str(tmp / "bare")]
        got = interleaved({"regdoc build": build, "bare docxtpl": bare}, args.runs, env)
        print(f"regdoc build, no PDF: {count} documents of the shipped tree; {args.runs} interleaved runs of "
              "whole processes after a warm-up")
        for m in got.values():
            print(m.line())
        print(f"  ratio of medians: {ratio(got['regdoc build'], got['bare docxtpl'])} (aim <= 1.25)")

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if args.pdf_runs < 1:
            print("PDF stage: skipped (--pdf-runs 0)")
            return 0
        if soffice is None:
            print("PDF stage: skipped (LibreOffice is not installed)")
            return 0
        from regdoc.documents.pdf import EXPORT_OPTIONS

        # the packet is in a folder of its own under --out (named after the resolution): with no file named,
        # soffice starts and waits forever at 0 % CPU, which is how this stage once hung
        docx = sorted(str(p) for p in (tmp / "regdoc").rglob("*.docx"))
        if not docx:
            raise SystemExit(f"no .docx written under {tmp / 'regdoc'}")
        profiles = iter(range(10 ** 6))

        def bare_pdf() -> tuple[list[str], dict]:
            """soffice converting the .docx files in one call, with a new profile (and temporary folder)."""
            profile = tmp / "profile" / str(next(profiles))
            profile.mkdir(parents=True)
            argv = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
                    "--nolockcheck", "--nodefault", "--nologo", "--convert-to",
                    f"pdf:writer_pdf_Export:{EXPORT_OPTIONS}", "--outdir", str(tmp / "soffice"), *docx]
            return argv, dict(env, HOME=str(profile), TMPDIR=str(profile), TMP=str(profile), TEMP=str(profile))

        with_pdf = regdoc("build", "--pdf", "--root", str(root), "--out", str(tmp / "pdf"))
        got = interleaved({"regdoc build": build, "regdoc build --pdf": with_pdf, "bare soffice, one call": bare_pdf},
                          args.pdf_runs, env, timeout=args.timeout)
        print(f"PDF stage: {len(docx)} documents; {args.pdf_runs} interleaved runs after a warm-up")
        for m in got.values():
            print(m.line())
        stage = got["regdoc build --pdf"].median - got["regdoc build"].median
        print(f"  PDF stage (build --pdf minus build): {stage * 1000:.1f} ms; ratio to bare soffice: "
              f"{stage / got['bare soffice, one call'].median:.2f} (aim <= 1.05)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
