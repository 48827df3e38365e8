"""Medians and 90th percentiles taken from counts by value (a histogram: value → how many).

Counts by value add up: the histogram of a period is the sum of its months' (quality/tally.py),
so its median and percentile are exact whatever the period, as if every value were sorted.
The median is the usual one (the mean of the two middle values when their number is even); the
90th percentile is the nearest-rank one (the smallest value with at least 90 % of values at or
below it), as quality registries publish them — PostgreSQL's PERCENTILE_CONT(0.5) and
PERCENTILE_DISC(0.9).
"""

from __future__ import annotations

from collections.abc import Mapping


def _ranked(histogram: Mapping[int, int], ranks: tuple[int, ...]) -> list[int]:
    """The values at these 1-based ranks (ascending) of the sorted values."""
    found: list[int] = []
    seen = 0
    wanted = iter(ranks)
    rank = next(wanted, None)
    for value in sorted(histogram):
        seen += histogram[value]
        while rank is not None and rank <= seen:
            found.append(value)
            rank = next(wanted, None)
        if rank is None:
            break
    return found


def total(histogram: Mapping[int, int]) -> int:
    return sum(histogram.values())


def median(histogram: Mapping[int, int]) -> float | None:
    n = total(histogram)
    if n == 0:
        return None
    if n % 2:
        return float(_ranked(histogram, (n // 2 + 1,))[0])
    low, high = _ranked(histogram, (n // 2, n // 2 + 1))
    return (low + high) / 2


def nearest_rank_p90(histogram: Mapping[int, int]) -> float | None:
    n = total(histogram)
    if n == 0:
        return None
    return float(_ranked(histogram, ((9 * n + 9) // 10,))[0])  # ceil(0.9 n), in integers


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole
