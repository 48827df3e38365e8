"""Repeated timings, bounded in count and in time, and their median and p95."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The value 95 % of runs stayed under (the slow side of a latency)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def interleaved(
    cases: dict[str, Callable[[], object]],
    *,
    runs: int,
    warmup: int = 3,
    budget: float = 60.0,
) -> dict[str, list[float]]:
    """Wall-clock seconds of each case, run in turn (a b a b …) so that a slow moment of the
    machine falls on every case alike. Stops after `runs` rounds or `budget` seconds, whichever
    comes first (at least three rounds)."""
    for _ in range(warmup):
        for work in cases.values():
            work()
    times: dict[str, list[float]] = {name: [] for name in cases}
    deadline = time.monotonic() + budget
    for done in range(runs):
        for name, work in cases.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
        if done >= 2 and time.monotonic() > deadline:
            break
    return times
