"""Benchmark: score and rank generated evaluations (20 000 and 40 000 organisations x 60 indicators).

Prints the median of several runs of `regdoc.scoring.score.score` for each size and the ratio between them (linear
growth means about 2). Data are generated in memory with a fixed seed: every rule kind (per_unit with and
without a cap, penalty, fixed, bands, rank) and ratios with some zero denominators.

    PYTHONPATH=src python benchmarks/bench_scoring.py [--runs 5] [--sizes 20000 40000]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from regdoc.data import model as m
from regdoc.scoring.score import score, value_ids

BLOCKS = 6
PER_BLOCK = 10  # 60 indicators


def text(s: str) -> m.Text:
    return m.Text(s, s)


def generated_criteria() -> m.Criteria:
    """Return Appendix 1 with 60 indicators cycling through every rule kind; every fifth is a ratio."""
    blocks = []
    n = 0
    for b in range(BLOCKS):
        indicators = []
        for i in range(PER_BLOCK):
            iid = f"b{b}.i{i}"
            kind = n % 6
            ratio = None
            unit = "count"
            if kind == 0:
                rule = m.Rule("per_unit", 0.5, 500)
            elif kind == 1:
                rule = m.Rule("per_unit", 2)
            elif kind == 2:
                rule = m.Rule("penalty", -30, 300)
            elif kind == 3:
                rule, unit = m.Rule("fixed", 50), "yes_no"
            elif kind == 4:
                unit = "percent"
                rule = m.Rule("bands", bands=(m.Band(0, 50, 0), m.Band(50, 70, 100), m.Band(70, 85, 200),
                                              m.Band(85, 95, 300), m.Band(95, None, 400)))
                ratio = m.Ratio(m.Input(f"num{n}", text("n"), "persons"), m.Input(f"den{n}", text("d"), "persons"))
            else:
                rule = m.Rule("rank", (300, 200, 100))
            indicators.append(m.Indicator(iid, text(iid), unit, rule, ratio))
            n += 1
        blocks.append(m.Block(f"b{b}", text(f"b{b}"), b < 3, tuple(indicators)))
    return m.Criteria("sample", 3, m.Rewards("main_blocks", 3), tuple(blocks), ("main_blocks", "b0.i1"))


def generated_reports(criteria: m.Criteria, count: int, seed: int = 7) -> list[m.Report]:
    rnd = random.Random(seed)
    ids = value_ids(criteria)
    units = {}
    for ind in criteria.indicators():
        if ind.ratio:
            units[ind.ratio.numerator.id] = "num"
            units[ind.ratio.denominator.id] = "den"
        else:
            units[ind.id] = ind.unit
    reports = []
    for k in range(count):
        values = {}
        for vid in ids:
            unit = units[vid]
            if unit == "yes_no":
                values[vid] = Decimal(rnd.random() < 0.8)
            elif unit == "den":
                values[vid] = Decimal(0 if rnd.random() < 0.01 else rnd.randint(100, 60000))
            elif unit == "num":
                values[vid] = Decimal(rnd.randint(0, 60000))
            else:
                values[vid] = Decimal(rnd.randint(0, 2000)) / (10 if rnd.random() < 0.3 else 1)
        reports.append(m.Report(f"org-{k:06d}", values))
    rnd.shuffle(reports)
    return reports


def median_seconds(criteria, reports, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        results = score(criteria, reports, 2025)
        times.append(time.perf_counter() - start)
        assert len(results.standings) == len(reports)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 40000])
    args = parser.parse_args()
    criteria = generated_criteria()
    print(f"criteria: {sum(1 for _ in criteria.indicators())} indicators, {len(value_ids(criteria))} reported "
          f"values per organisation; {args.runs} runs each; cpus: {os.cpu_count()}")
    medians = []
    for size in args.sizes:
        reports = generated_reports(criteria, size)
        seconds = median_seconds(criteria, reports, args.runs)
        medians.append(seconds)
        print(f"{size:>7} organisations: median {seconds:.3f} s")
    for (a, ta), (b, tb) in zip(zip(args.sizes, medians), zip(args.sizes[1:], medians[1:])):
        print(f"{b} / {a} organisations: {tb / ta:.2f} x the time ({b / a:.1f} x the data)")


if __name__ == "__main__":
    main()
