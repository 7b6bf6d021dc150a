"""Benchmark of the comparison documents (a script, not a test).

On the shipped data (the amendment of 20.02.2026) and on the generated 500-unit Regulation of
bench_versioning.py amended 50 times (5 operations each), measured as the median of several runs:

- the HTML report of the comparison of the first and the last editions (`regdoc diff --format html`);
- the redline of the first and the last editions: the value (alignment and word diffs) and the .docx written on
  the shipped Regulation template (Kazakh);
- the comparison table of the last amendment: context and .docx rendered with the shipped template (Kazakh).

Run: PYTHONPATH=src python benchmarks/bench_comparison.py [--runs N]
"""
from __future__ import annotations

import argparse
import random
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_versioning import amendments, regulation  # noqa: E402
from timing import median_ms  # noqa: E402

from regdoc.data import model as m
from regdoc.documents.comparison import comparison_context
from regdoc.documents.redline import redline
from regdoc.documents.tracked import redline_docx
from regdoc.documents.writer import DocProps, render_docx
from regdoc.tree.load import load_tree
from regdoc.versioning.amend import Point, editions
from regdoc.versioning.diff import diff_criteria, diff_editions
from regdoc.views.html import diff_html


def measure(tree: m.DataTree, all_editions, runs: int) -> dict[str, float]:
    first, last = all_editions[0], all_editions[-1]
    a = Point("first", "date", first.in_force, first)
    b = Point("last", "date", last.in_force, last)
    props = DocProps("benchmark", "regdoc", date(2026, 1, 1), "kk")
    regulation_template = ROOT / "templates" / "kk" / "regulation.docx"
    comparison_template = ROOT / "templates" / "kk" / "comparison.docx"
    amendment = tree.amendment(last.amendments[-1])
    before = all_editions[-2]
    value = redline(tree, a, b, "kk")
    context = comparison_context(tree, amendment, before, "kk")
    return {
        "html": median_ms(lambda: diff_html(tree.regulation, a, b, diff_editions(first, last),
                                            diff_criteria(first.appendix, last.appendix)), runs),
        "redline value": median_ms(lambda: redline(tree, a, b, "kk"), runs),
        "redline .docx": median_ms(lambda: redline_docx(value, regulation_template, props), runs),
        "table context": median_ms(lambda: comparison_context(tree, amendment, before, "kk"), runs),
        "table .docx": median_ms(lambda: render_docx(comparison_template, context, props), runs),
        "units": len(last.units),
        "changed": sum(1 for u in diff_editions(first, last).units if u.status != "unchanged"),
        "rows": len(context["rows"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per measurement (default 9)")
    args = parser.parse_args()
    shipped = load_tree(ROOT)
    results = [("shipped 2023-03-01 → 2026-02-20", measure(shipped, editions(shipped.initial, shipped.amendments),
                                                          args.runs))]
    initial = regulation(random.Random(2026))
    amended = amendments(random.Random(50), initial, 50)
    generated = m.DataTree("", shipped.regulation, initial, tuple(amended), shipped.organisations, ())
    results.append(("500 units, 50 amendments", measure(generated, editions(initial, amended), args.runs)))
    print(f"comparison documents benchmark: median of {args.runs} runs, milliseconds")
    header = ("data", "units", "changed", "html", "redline value", "redline .docx", "table rows", "table context",
              "table .docx")
    widths = [max(len(h), 6) for h in header]
    widths[0] = max(len(r[0]) for r in results)
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for name, r in results:
        cells = [name, str(r["units"]), str(r["changed"]), f"{r['html']:.1f}", f"{r['redline value']:.1f}",
                 f"{r['redline .docx']:.1f}", str(r["rows"]), f"{r['table context']:.1f}", f"{r['table .docx']:.1f}"]
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))))


if __name__ == "__main__":
    main()
