#!/usr/bin/env python3
"""Benchmark of the word diff (a script, not a test): how its time grows with the length of a rewritten clause.

A clause of N words (N = 500 ... 10 000) drawn from a vocabulary of 600 Kazakh words, numbers («1 000», «0,25»)
and unit numbers («4.3-1»), rewritten: each word kept with probability 0.5, else replaced, so that the old and new
texts share half their words in order and differ everywhere else (the costliest kind of change for a diff); then
the same with 90 % of the words kept (an edited clause).

- `word_diff` in a warm process, per N: median, min and max of several runs; the growth factor from one N to the
  next, against the factor of N itself (near-linear: about the same); `kept`, the share of the old text's
  characters shown unchanged (the equal words; the semantic cleanup lowers it on purpose). For N <= 1 000 the former algorithm
  (difflib's SequenceMatcher over all tokens, spaces included, autojunk off) runs in the same loop, interleaved.
- whole processes, interleaved A B A B after a warm-up round, wall time and CPU time (user + system of the child,
  from wait4: the machine may be shared with other work, which slows the wall time but not the CPU time):
  `regdoc build` on a copy of the shipped data tree (the baseline) against the same tree whose clause 4.3 has a
  2 000-word wording in the initial edition and a rewritten one (half its words kept) in the amendment of
  20.02.2026, so that the comparison table and the redline diff it; and `regdoc diff 2023-03-01 2026-02-20` on
  the shipped tree and on such trees of 2 000, 5 000 and 10 000 words (the CPU time beyond the baseline, and its
  growth against the growth of the clause).

    PYTHONPATH=src python benchmarks/bench_diff.py [--runs 5] [--build-runs 3] [--sizes 500 1000 2000 5000 10000]
"""
from __future__ import annotations

import argparse
import difflib
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from regdoc.versioning.diff import tokens  # noqa: E402
from regdoc.versioning.diff import uncached_word_diff as word_diff  # noqa: E402  (timed: never a kept result)

STEMS = ("мүшелік", "ұйым", "бағалау", "ұпай", "кесте", "тармақ", "жыл", "қорытынды", "көрсеткіш", "Кәсіподақ",
         "критерий", "есеп", "сыйлықақы", "марапат", "бөлім", "шешім", "комитет", "жұмыс", "тәртіп", "қаржы")
SUFFIXES = ("", "тың", "ына", "ы", "лар", "ларының", "мен", "ға", "да", "тан", "ның", "і", "ке", "пен", "дағы")
EXTRA = ("1 000", "0,25", "4.3-1", "6.4", "20.02.2026", "және", "бойынша", ",", ".")


def vocabulary() -> list[str]:
    words = [s + x for s in STEMS for x in SUFFIXES]  # 300 words with suffixes
    return words + [w.upper() for w in words] + list(EXTRA)


def clause(rng: random.Random, n: int, words: list[str], keep: float = 0.5) -> tuple[str, str]:
    old = [rng.choice(words) for _ in range(n)]
    new = [w if rng.random() < keep else rng.choice(words) for w in old]
    return " ".join(old), " ".join(new)


def former(old: str, new: str) -> float:
    """The word diff before issue 12 (SequenceMatcher over every token, spaces included, autojunk off); return
    the share of the old text's characters it keeps equal."""
    import re

    token = re.compile(r"\w+|[^\w\s]|\s+")
    a, b = token.findall(old), token.findall(new)
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(len("".join(a[i:i + n])) for i, _, n in blocks) / max(len(old), 1)


def kept(old: str, new: str) -> float:
    """Return the share of the old text's characters that word_diff keeps equal."""
    return sum(len(s.text) for s in word_diff(old, new) if s.op == "equal") / max(len(old), 1)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def summary(times: list[float]) -> str:
    return f"{statistics.median(times):8.3f} s (min {min(times):.3f}, max {max(times):.3f})"


def bench_words(sizes: list[int], runs: int, keep: float) -> None:
    rng = random.Random(12)
    words = vocabulary()
    print(f"word_diff of a clause with {keep:.0%} of its words kept: median of {runs} runs in a warm process")
    print(f"  {'words':>6} {'tokens':>7}  {'word_diff':<34} {'growth':>7} {'N growth':>8} {'kept':>5}  "
          "former (difflib, all tokens), kept")
    previous = None
    for n in sizes:
        old, new = clause(rng, n, words, keep)
        word_diff(old, new)  # warm-up
        ours, theirs = [], []
        for _ in range(runs):  # interleaved A B A B
            ours.append(timed(lambda: word_diff(old, new)))
            if n <= 1000:
                theirs.append(timed(lambda: former(old, new)))
        med = statistics.median(ours)
        growth = f"{med / previous[1]:7.2f} {n / previous[0]:8.2f}" if previous else f"{'':7} {'':8}"
        before = f"{summary(theirs)} {former(old, new):5.0%}" if theirs else "not run (quadratic)"
        print(f"  {n:>6} {len(tokens(old)):>7}  {summary(ours):<34} {growth} {kept(old, new):5.0%}  {before}")
        previous = (n, med)


def long_tree(dest: Path, n: int) -> None:
    """Write into `dest` the shipped data tree with clause 4.3 of n words in the initial edition, rewritten by the
    amendment of 20.02.2026."""
    import yaml

    for name in ("regulation", "resolutions", "organisations", "evaluations", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    old, new = clause(random.Random(n), n, vocabulary())
    for path, items, key, body in (("regulation/versions/2023-03-01.yaml", "units", "id", old),
                                   ("regulation/versions/2026-02-20.yaml", "ops", "target", new)):
        data = yaml.safe_load((dest / path).read_text(encoding="utf-8"))
        unit = next(u for u in data[items] if u.get(key) == "4.3")
        unit["text"] = {"kk": body, "ru": body.upper()}
        data.pop("as_issued", None)  # its patch quotes the issued wording of 4.3
        (dest / path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10 ** 6),
                                 encoding="utf-8")


def bench_processes(runs: int, build_words: int, sizes: list[int]) -> None:
    """Time whole processes, interleaved A B A B against the shipped tree (the baseline): `regdoc build` with
    clause 4.3 rewritten at `build_words` words, and `regdoc diff` of the two editions at each size of `sizes`.
    Wall and CPU time (user + system of the child): the machine may be shared, and the CPU time is what regdoc
    itself spends."""
    from timing import interleaved, process_env, regdoc, scratch

    env = process_env()
    with scratch("diff") as tmp:
        shipped = Path(tmp) / "shipped"
        shipped.mkdir()
        for name in ("regulation", "resolutions", "organisations", "evaluations", "templates"):
            shutil.copytree(ROOT / name, shipped / name)
        trees = {}
        for n in sorted(set(sizes) | {build_words}):
            trees[n] = Path(tmp) / f"long-{n}"
            trees[n].mkdir()
            long_tree(trees[n], n)
            check = subprocess.run(regdoc("check", "--root", str(trees[n])), env=env, capture_output=True,
                                   text=True)
            if ": error:" in check.stdout + check.stderr:
                raise SystemExit(f"the {n}-word tree does not pass check: {(check.stdout + check.stderr)[-500:]}")
        out = Path(tmp) / "out"
        out.mkdir()
        print(f"regdoc build, whole process, interleaved A B after one warm-up round: {runs} runs; wall and CPU "
              "(user + system of the child) time")
        builds = interleaved({
            "build, shipped tree (baseline)": regdoc("build", "--root", str(shipped), "--out", str(out)),
            f"build, 4.3 of {build_words} words rewritten": regdoc("build", "--root", str(trees[build_words]),
                                                                   "--out", str(out))}, runs, env)
        for m in builds.values():
            print(m.line(42))
        print(f"regdoc diff 2023-03-01 2026-02-20 (both languages' word diffs of clause 4.3), whole process, "
              f"interleaved: {runs} runs")
        commands = {"diff, shipped tree (baseline)": regdoc("diff", "2023-03-01", "2026-02-20", "--root",
                                                            str(shipped))}
        for n in sizes:
            commands[f"diff, 4.3 of {n} words rewritten"] = regdoc("diff", "2023-03-01", "2026-02-20", "--root",
                                                                  str(trees[n]))
        diffs = interleaved(commands, runs, env)
        base = statistics.median(diffs["diff, shipped tree (baseline)"].cpu)
        previous = None
        for n, (name, m) in zip([None] + list(sizes), diffs.items()):
            extra = ""
            if n is not None:
                own = statistics.median(m.cpu) - base
                extra = f"  cpu beyond baseline {own * 1000:7.1f} ms"
                if previous:
                    extra += f" (x{own / previous[1]:.2f} for x{n / previous[0]:.2f} words)"
                previous = (n, own)
            print(m.line(42) + extra)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build-runs", type=int, default=3)
    parser.add_argument("--build-words", type=int, default=2000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 5000, 10000])
    args = parser.parse_args()
    bench_words(args.sizes, args.runs, 0.5)
    bench_words(args.sizes, args.runs, 0.9)
    if args.build_runs:
        bench_processes(args.build_runs, args.build_words, [2000, 5000, 10000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
