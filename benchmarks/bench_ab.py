#!/usr/bin/env python3
"""Before and after: the same commands run by two checkouts of regdoc, as whole processes, interleaved (A B A B
...) after a warm-up round, so that both meet the same load. Prints wall and CPU time (user + sys, wait4) with
median, min and max, peak memory, and the ratio of medians after / before.

    python benchmarks/bench_ab.py --before /work/main [--runs 7] [--sizes 2000 10000]
                                  [--only check help build score results versioning]

`--before` is the other checkout (its src/ is put on PYTHONPATH); this checkout is "after". Both use the same
cache folder (a temporary one, warm after the warm-up round), as a person who runs a command twice.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the checkout (timing.py, generate.py)

from timing import ROOT, Measured, process_env, run_measured, scratch

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--only", nargs="+", choices=("check", "help", "build", "score", "results", "versioning"),
                        default=["check", "help", "build", "score"])
    args = parser.parse_args(argv)
    with scratch("ab") as tmp:
        tmp = Path(tmp)
        envs = {"before": process_env(PYTHONPATH=str(args.before.resolve() / "src"), REGDOC_CACHE_DIR=str(tmp / "c")),
                "after": process_env(PYTHONPATH=str(ROOT / "src"), REGDOC_CACHE_DIR=str(tmp / "c"))}
        commands: dict[str, list[str]] = {}
        if "help" in args.only:
            commands["regdoc --help"] = ["--help"]
        if "check" in args.only:
            commands["regdoc check (shipped tree)"] = ["check", "--root", str(ROOT)]
        if "build" in args.only:
            commands["regdoc build, no PDF (shipped tree)"] = ["build", "--root", str(ROOT), "--out",
                                                               str(tmp / "out-{side}")]
        for n in args.sizes if {"score", "results"} & set(args.only) else ():
            # generated in a process of its own: this one stays small, so the peak memory wait4 reports for
            # each command (which counts what a forked child starts with) is the command's own
            subprocess.run([sys.executable, str(HERE / "generate.py"), "organisations", str(n),
                            str(tmp / f"orgs-{n}")], check=True, stdout=subprocess.DEVNULL)
            if "score" in args.only:
                commands[f"regdoc score 2025, {n} organisations"] = ["score", "2025", "--root",
                                                                     str(tmp / f"orgs-{n}")]
            if "results" in args.only:  # both languages, each side into its own folder
                commands[f"regdoc render results 2025, {n} organisations"] = [
                    "render", "results", "2025", "--lang", "both", "--out", str(tmp / "out-{side}"), "--root",
                    str(tmp / f"orgs-{n}")]
        if "versioning" in args.only:  # `regulation` and `diff` of a 500-unit Regulation with 100 amendments
            tree = tmp / "regulation-500-100"
            subprocess.run([sys.executable, str(HERE / "generate.py"), "regulation", "500", "100", str(tree)],
                           check=True, stdout=subprocess.DEVNULL)
            versions = sorted(p.stem for p in (tree / "regulation" / "versions").glob("*.yaml"))
            commands["regdoc regulation, 500 units, 100 amendments"] = ["regulation", "--root", str(tree)]
            commands[f"regdoc diff {versions[0]} {versions[-1]}"] = ["diff", versions[0], versions[-1], "--root",
                                                                     str(tree)]
        for side in envs:
            (tmp / f"out-{side}").mkdir()
        got = {(name, side): Measured(f"{name}: {side}") for name in commands for side in envs}
        for round_ in range(args.runs + 1):
            for name, tail in commands.items():
                for side, env in envs.items():
                    argv = [sys.executable, "-m", "regdoc"] + [a.format(side=side) for a in tail]
                    seconds, peak, cpu = run_measured(argv, env, (0, 1) if "check" in name else (0,))
                    if round_:  # round 0 is the warm-up
                        m = got[(name, side)]
                        m.seconds.append(seconds)
                        m.peak.append(peak)
                        m.cpu.append(cpu)
        print(f"before: {args.before.resolve()}; after: {ROOT}; {args.runs} interleaved runs after a warm-up")
        for name in commands:
            before, after = got[(name, "before")], got[(name, "after")]
            print(before.line(60))
            print(after.line(60))
            print(f"  after / before: wall {after.median / before.median:.2f}, CPU "
                  f"{statistics.median(after.cpu) / statistics.median(before.cpu):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
