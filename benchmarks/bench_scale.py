#!/usr/bin/env python3
"""Benchmark of the commands on generated data trees (benchmarks/generate.py), as whole processes:

- `regdoc score 2025` and `regdoc render results 2025 --lang both` at 2 000 and 10 000 organisations (aims:
  score 10 000 under 1.5 s; render results 10 000 under 10 s and 400 MB, and at most 5.5 times the 2 000 time);
- `regdoc regulation` (the last edition) and `regdoc diff` (first edition to last) of a 500-unit Regulation with
  100 amendments (aim: under 300 ms each).

Runs are interleaved (every command in turn, round after round) after one warm-up round; each figure is median,
min and max, with peak resident memory. The trees are generated once per run into a temporary folder, each by a
process of its own: this one stays small, so that the peak memory and CPU time wait4 reports for each command
(which count what a forked child starts with) are the command's own.

    python benchmarks/bench_scale.py [--runs 3] [--sizes 2000 10000] [--only score results versioning]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the checkout (timing.py, generate.py)

from timing import interleaved, process_env, regdoc, scratch

HERE = Path(__file__).resolve().parent


def generate(*args: str) -> None:
    """Run benchmarks/generate.py ARGS in a process of its own (its bytecode cached outside the checkout)."""
    subprocess.run([sys.executable, str(HERE / "generate.py"), *args], check=True, stdout=subprocess.DEVNULL,
                   env=process_env())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs=2, default=[2000, 10000])
    parser.add_argument("--only", nargs="+", choices=("score", "results", "versioning"),
                        default=["score", "results", "versioning"])
    args = parser.parse_args(argv)
    env = process_env()
    with scratch("scale") as tmp:
        tmp = Path(tmp)
        trees = {}
        for size in args.sizes if {"score", "results"} & set(args.only) else ():
            trees[size] = tmp / f"orgs-{size}"
            generate("organisations", str(size), str(trees[size]))
        small, large = args.sizes
        if "score" in args.only:
            got = interleaved({f"score 2025, {n} organisations": regdoc("score", "2025", "--root", str(trees[n]))
                               for n in args.sizes}, args.runs, env)
            print(f"regdoc score: {args.runs} interleaved runs of whole processes after a warm-up")
            for m in got.values():
                print(m.line())
            a, b = got.values()
            print(f"  {large} / {small} organisations: {b.median / a.median:.2f} x the time for "
                  f"{large / small:.1f} x the data (aim: {large} under 1.5 s)")
        if "results" in args.only:
            commands = {}
            for n in args.sizes:
                (tmp / f"out-{n}").mkdir()
                commands[f"render results 2025, {n} organisations"] = regdoc(
                    "render", "results", "2025", "--lang", "both", "--out", str(tmp / f"out-{n}"),
                    "--root", str(trees[n]))
            got = interleaved(commands, args.runs, env)
            print(f"regdoc render results (kk and ru): {args.runs} interleaved runs of whole processes after a warm-up")
            for m in got.values():
                print(m.line())
            a, b = got.values()
            print(f"  {large} / {small} organisations: {b.median / a.median:.2f} x the time for "
                  f"{large / small:.1f} x the data (aims: <= 5.5 x; {large} under 10 s and 400 MB)")
        if "versioning" in args.only:
            tree = tmp / "regulation-500-100"
            generate("regulation", "500", "100", str(tree))
            versions = sorted(p.stem for p in (tree / "regulation" / "versions").glob("*.yaml"))
            got = interleaved({
                "regulation (last edition)": regdoc("regulation", "--root", str(tree)),
                f"diff {versions[0]} {versions[-1]}": regdoc("diff", versions[0], versions[-1], "--root", str(tree)),
            }, args.runs, env)
            print(f"500-unit Regulation, 100 amendments of 5 operations: {args.runs} interleaved runs after a warm-up "
                  "(aim: under 300 ms each)")
            for m in got.values():
                print(m.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
