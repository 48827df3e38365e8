"""The period a quality figure covers: a calendar month by default, or a range of months."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month_start(text: str) -> date | None:
    match = MONTH.match(text or "")
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """[start, end): from the first day of a month to the first day after the last month."""

    start: date
    end: date

    @property
    def first_month(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def last_month_start(self) -> date:
        last = date.fromordinal(self.end.toordinal() - 1)
        return last.replace(day=1)

    @property
    def last_month(self) -> str:
        last = date.fromordinal(self.end.toordinal() - 1)
        return f"{last:%Y-%m}"

    @property
    def slug(self) -> str:
        if self.first_month == self.last_month:
            return self.first_month
        return f"{self.first_month}_{self.last_month}"


def month_period(text: str) -> Period | None:
    start = _month_start(text)
    return None if start is None else Period(start, _next_month(start))


def period_from(first: str, last: str, *, today: date) -> Period:
    """The months from `first` to `last` (YYYY-MM, inclusive); the current month where either
    is missing or wrong, and the two swapped when given backwards."""
    current = date(today.year, today.month, 1)
    start = _month_start(first) or current
    stop = _month_start(last) or start
    if stop < start:
        start, stop = stop, start
    return Period(start, _next_month(stop))
