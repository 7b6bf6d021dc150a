#!/usr/bin/env python3
"""Benchmark of what a person waits for at the terminal (a script, not a test): wall times of whole processes.

- CLI start: `regdoc --help`, against the bare interpreter start (`python -c pass`) measured in the same run;
- `regdoc check` of the shipped data tree, against `regdoc --help` (the start it includes), and the check alone
  in a warm process (read, validate and check every file, score the evaluations against their resolutions).

Each figure is the median of several runs, after one warm-up run. Python's bytecode cache is on for these runs
(PYTHONDONTWRITEBYTECODE is dropped: the warm-up writes src/regdoc/__pycache__), as it is after `pip install`.

    PYTHONPATH=src python benchmarks/bench_cli.py [--runs 21] [--root .]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from timing import median_seconds  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def median_process(argv: list[str], runs: int, env: dict) -> float:
    """Return the median wall time (s) of running `argv` to its end, after one warm-up run."""
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0,):
            raise SystemExit(f"{' '.join(argv)} exited with {done.returncode}")
    return statistics.median(times)



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    python = sys.executable
    root = str(args.root.resolve())

    bare = median_process([python, "-c", "pass"], args.runs, env)
    start = median_process([python, "-m", "regdoc", "--help"], args.runs, env)
    check = median_process([python, "-m", "regdoc", "check", "--root", root], args.runs, env)

    sys.path.insert(0, str(ROOT / "src"))
    from regdoc.tree.check import check_tree

    warm = median_seconds(lambda: check_tree(root), args.runs, warmup=True)
    print(f"CLI benchmark: median of {args.runs} runs, wall time of whole processes")
    print(f"  python -c pass (baseline)     {bare * 1000:7.1f} ms")
    print(f"  regdoc --help                 {start * 1000:7.1f} ms  (+{(start - bare) * 1000:.1f} ms over the "
          f"interpreter; aim < 150 ms)")
    print(f"  regdoc check (shipped tree)   {check * 1000:7.1f} ms  (+{(check - start) * 1000:.1f} ms over "
          "regdoc --help)")
    print(f"  check_tree in a warm process  {warm * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
