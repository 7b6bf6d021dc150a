#!/usr/bin/env python3
"""Benchmark of what a person waits for at the terminal, as whole processes: `python -c pass`, `regdoc --help`
and `regdoc check` of the shipped tree, interleaved (A B C A B C ...) after a warm-up round.

Aims: `regdoc --help` <= 1.5 x `python -c pass` + 50 ms; `regdoc check` under 150 ms.

With `--against SRC` (the src/ folder of another checkout, e.g. main's before a change), `regdoc --help` of that
checkout runs in the same interleaved rounds, so that a change's cost at start-up is measured before and after.

    python benchmarks/bench_cli.py [--runs 11] [--root .] [--against /path/to/other/checkout/src]
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the checkout (timing.py, generate.py)

from timing import ROOT, interleaved, process_env, regdoc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--against", type=Path, metavar="SRC",
                        help="also time `regdoc --help` of the checkout whose src/ folder this is")
    args = parser.parse_args(argv)
    commands = {"python -c pass": [sys.executable, "-c", "pass"],
                "regdoc --help": regdoc("--help"),
                "regdoc check (shipped tree)": regdoc("check", "--root", str(args.root.resolve()))}
    if args.against:
        here = ["env", f"PYTHONPATH={ROOT / 'src'}", *regdoc("--help")]  # both through env(1): the same cost
        commands["regdoc --help (this checkout, via env)"] = here
        commands[f"regdoc --help ({args.against}, via env)"] = ["env", f"PYTHONPATH={args.against.resolve()}",
                                                                *regdoc("--help")]
    got = interleaved(commands, args.runs, process_env())
    print(f"CLI: {args.runs} interleaved runs of whole processes after a warm-up")
    for m in got.values():
        print(m.line())
    bare, helped, check = list(got.values())[:3]
    print(f"  regdoc --help: {helped.median * 1000:.1f} ms; aim <= 1.5 x python -c pass + 50 ms = "
          f"{(1.5 * bare.median + 0.05) * 1000:.1f} ms")
    print(f"  regdoc check: {check.median * 1000:.1f} ms; aim < 150 ms")
    if args.against:
        mine, theirs = list(got.values())[3:]
        print(f"  regdoc --help, this checkout / {args.against}: wall {mine.median / theirs.median:.2f}, cpu "
              f"{statistics.median(mine.cpu) / statistics.median(theirs.cpu):.2f} (ratios of medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
