"""The one timing loop of the benchmarks: the median wall time of repeated calls."""
from __future__ import annotations

import statistics
import time
from typing import Callable


def median_seconds(fn: Callable[[], object], runs: int, warmup: bool = False) -> float:
    """Return the median wall time in seconds of `runs` calls of fn (after one uncounted call if `warmup`)."""
    if warmup:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_ms(fn: Callable[[], object], runs: int, warmup: bool = False) -> float:
    """Return median_seconds in milliseconds."""
    return median_seconds(fn, runs, warmup) * 1000
