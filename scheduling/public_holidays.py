"""French public holidays (the `holidays` package): no day-hospital session on those days."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays


@lru_cache(maxsize=16)
def _france(year: int) -> holidays.HolidayBase:
    # Imported here, by the first date a worker checks: `holidays` (2.5 MB) is not needed by the
    # pages most requests serve (docs/performance.md, « Memory »).
    import holidays

    # Metropolitan France (Paris): no subdivision, names in French.
    return holidays.France(years=year, language="fr")


def holiday_name(day: date) -> str | None:
    """The French name of the public holiday on `day` (« Lundi de Pâques »), or None."""
    name = _france(day.year).get(day)
    return str(name) if name else None
