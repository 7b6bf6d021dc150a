#!/usr/bin/env python3
"""Benchmark of what a person waits for at the terminal, as whole processes: `python -c pass`, `regdoc --help`
and `regdoc check` of the shipped tree, interleaved (A B C A B C ...) after a warm-up round.

Aims: `regdoc --help` <= 1.5 x `python -c pass` + 50 ms; `regdoc check` under 150 ms.

    python benchmarks/bench_cli.py [--runs 11] [--root .]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the checkout (timing.py, generate.py)

from timing import ROOT, interleaved, process_env, regdoc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    got = interleaved({"python -c pass": [sys.executable, "-c", "pass"],
                       "regdoc --help": regdoc("--help"),
                       "regdoc check (shipped tree)": regdoc("check", "--root", str(args.root.resolve()))},
                      args.runs, process_env())
    print(f"CLI: {args.runs} interleaved runs of whole processes after a warm-up")
    for m in got.values():
        print(m.line())
    bare, helped, check = got.values()
    print(f"  regdoc --help: {helped.median * 1000:.1f} ms; aim <= 1.5 x python -c pass + 50 ms = "
          f"{(1.5 * bare.median + 0.05) * 1000:.1f} ms")
    print(f"  regdoc check: {check.median * 1000:.1f} ms; aim < 150 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
