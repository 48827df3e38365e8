"""Medians and 90th percentiles computed by the database: it sorts, Python reads one or two rows.

The median is the usual one (the mean of the two middle values when their number is even); the
90th percentile is the nearest-rank one (the smallest value with at least 90 % of values at or
below it), as quality registries publish them.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, FloatField, Q, QuerySet
from django.db.models.functions import Cast


class _Percentile(Aggregate):
    """PostgreSQL's ordered-set aggregate: `fn(fraction) WITHIN GROUP (ORDER BY expr)`; one pass
    of the rows whatever the period, where a ranked read sorts them once per figure."""

    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, *, filter: Q | None = None) -> None:
        # The same float input for every percentile of a column: PostgreSQL then sorts the
        # column once for its median and its 90th percentile (they share one state).
        as_float = Cast(expression, FloatField())
        super().__init__(as_float, fraction=float(fraction), filter=filter)


class Median(_Percentile):
    """The usual median: the mean of the two middle values when their number is even."""

    function = "PERCENTILE_CONT"

    def __init__(self, expression: Any, *, filter: Q | None = None) -> None:
        super().__init__(expression, 0.5, filter=filter)


class NearestRankP90(_Percentile):
    """The smallest value with at least 90 % of values at or below it."""

    function = "PERCENTILE_DISC"

    def __init__(self, expression: Any, *, filter: Q | None = None) -> None:
        super().__init__(expression, 0.9, filter=filter)


# name -> (column, "median" or "p90", the rows it is taken over or None for all)
Figures = dict[str, tuple[str, str, Q | None]]


def in_sql() -> bool:
    """PostgreSQL takes every percentile in the one aggregate query of a section."""
    return connection.vendor == "postgresql"


def percentile_aggregates(figures: Figures) -> dict[str, Aggregate]:
    """The figures as aggregates to add to a section's query (PostgreSQL), or none."""
    if not in_sql():
        return {}
    kinds = {"median": Median, "p90": NearestRankP90}
    return {
        name: kinds[how](column, filter=condition)
        for name, (column, how, condition) in figures.items()
    }


def percentiles(rows: QuerySet[Any], figures: Figures, found: dict[str, Any]) -> dict[str, Any]:
    """Each figure in days (or points of pain): read from `found` (the section's aggregate
    query, PostgreSQL), or elsewhere (SQLite: a laptop, the tests) by sorted reads of one or
    two rows per figure."""
    if in_sql():
        return {name: days_or_none(found[name]) for name in figures}
    result: dict[str, Any] = {}
    for name, (column, how, condition) in figures.items():
        ordered = (
            rows.filter(condition or Q(), **{f"{column}__isnull": False})
            .order_by(column)
            .values_list(column, flat=True)
        )
        n = ordered.count()
        result[name] = ranked_median(ordered, n) if how == "median" else ranked_p90(ordered, n)
    return result


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


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole
