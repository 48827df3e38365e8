"""Medians and 90th percentiles computed by the database: it sorts, Python reads one or two rows.

The median is the usual one (the mean of the two middle values when their number is even); the
90th percentile is the nearest-rank one (the smallest value with at least 90 % of values at or
below it), as quality registries publish them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Aggregate, DurationField, QuerySet


class _Percentile(Aggregate):
    """PostgreSQL's ordered-set aggregate: `fn(fraction) WITHIN GROUP (ORDER BY expr)`; one pass
    of the rows whatever the period, where a ranked read sorts them once per figure."""

    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression: Any, fraction: float) -> None:
        super().__init__(expression, fraction=float(fraction))


class Median(_Percentile):
    """The usual median: the mean of the two middle values when their number is even."""

    function = "PERCENTILE_CONT"

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, 0.5)


class NearestRankP90(_Percentile):
    """The smallest value with at least 90 % of values at or below it."""

    function = "PERCENTILE_DISC"

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, 0.9)


def days_or_none(value: Any) -> float | None:
    """A duration the database returned (a median may fall between two days) in days."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return float(value)


def _days(value: Any) -> float:
    return value.days if isinstance(value, timedelta) else float(value)


def ranked_median(values: QuerySet[Any, Any], n: int) -> float | None:
    """The median of an ordered one-column `values_list(flat=True)` of `n` rows."""
    if n == 0:
        return None
    if n % 2:
        return _days(values[n // 2])
    low, high = list(values[n // 2 - 1 : n // 2 + 1])
    return (_days(low) + _days(high)) / 2


def ranked_p90(values: QuerySet[Any, Any], n: int) -> float | None:
    if n == 0:
        return None
    return _days(values[math.ceil(0.9 * n) - 1])


def histogram_median(counts: Iterable[tuple[int, int]]) -> float | None:
    """The median of small integers given as (value, how many) pairs (a pain score, 0–10)."""
    pairs = sorted(counts)
    n = sum(count for _, count in pairs)
    if n == 0:
        return None
    expanded_at = _nth(pairs)
    if n % 2:
        return float(expanded_at(n // 2))
    return (expanded_at(n // 2 - 1) + expanded_at(n // 2)) / 2


def _nth(pairs: list[tuple[int, int]]) -> Any:
    def at(index: int) -> int:
        seen = 0
        for value, count in pairs:
            seen += count
            if index < seen:
                return value
        raise IndexError(index)

    return at


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole
