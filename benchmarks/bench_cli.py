#!/usr/bin/env python3
"""Benchmark of what a person waits for at the terminal (a script, not a test): wall times of whole processes.

- CLI start: `regdoc --help`, against the bare interpreter start (`python -c pass`) measured in the same run;
- `regdoc check` of the shipped data tree, against `regdoc --help` (the start it includes), and the check alone
  in a warm process (read, validate and check every file, score the evaluations against their resolutions);
- what the interface catalogs add: `regdoc --help` in English (the source: no catalog read) against Kazakh and
  Russian (the .mo read, every help text translated), runs interleaved en kk ru en kk ru ...; aim < 20 ms.

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


def interleaved(argvs: list[list[str]], runs: int, env: dict) -> list[list[tuple[float, float]]]:
    """Return (wall, cpu) times (s) of `runs` rounds, each running every argv once in turn (after one warm-up
    round), so that a change of machine load touches all of them alike. The CPU time (user + system, of the
    process alone, from wait4) is what the process itself costs, less moved by other load than the wall time."""
    times: list[list[tuple[float, float]]] = [[] for _ in argvs]
    for round_ in range(runs + 1):
        for i, argv in enumerate(argvs):
            start = time.perf_counter()
            proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if round_:
                times[i].append((wall, usage.ru_utime + usage.ru_stime))
            if proc.returncode != 0:
                raise SystemExit(f"{' '.join(argv)} exited with {proc.returncode}")
    return times


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

    langs = ("en", "kk", "ru")
    helps = interleaved([[python, "-m", "regdoc", "--ui-lang", lang, "--help"] for lang in langs], args.runs, env)

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
    print("  interface language, interleaved: median (min-max) of wall and of CPU time; aim: catalogs add < 20 ms")
    base = [statistics.median(t[k] for t in helps[0]) for k in (0, 1)]
    for lang, runs in zip(langs, helps):
        cells = []
        for k, what in enumerate(("wall", "cpu")):
            values = [t[k] for t in runs]
            median = statistics.median(values)
            extra = "" if lang == "en" else f" +{(median - base[k]) * 1000:.1f}"
            cells.append(f"{what} {median * 1000:6.1f} ms ({min(values) * 1000:.1f}-{max(values) * 1000:.1f}){extra}")
        print(f"  regdoc --ui-lang {lang} --help   " + "   ".join(cells))
    import gettext

    from regdoc import i18n

    for lang in ("kk", "ru"):
        mo = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "regdoc.mo"

        def read(mo=mo):
            with open(mo, "rb") as f:
                gettext.GNUTranslations(f)

        print(f"  reading the {lang} catalog ({mo.stat().st_size:,} bytes) in a warm process "
              f"{median_seconds(read, args.runs, warmup=True) * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
