"""The tallies of closed months, kept (`MonthlyFigures`), and a period's tally read from them.

A closed month's quality rows rarely change: a report signed after the month ended (the
procedure was on its last day), or a row written again with different figures. Such a change
marks the month stale in its own transaction (`months_changed`, called by quality/facts.py), so
no figure is read from a month that no longer matches its rows: a stale or missing month, like
the current one, is counted from the rows (a month is a few thousand rows at most). Its
decisions never change (made now, append-only). `months_keep` keeps the months again (the daily
task, `manage.py quality_rebuild`, `seed_volume`).

Why the keeper locks the month's row before counting: a writer marks a month (an upsert that
waits for the keeper's lock) after writing its rows; either the keeper's count starts after the
writer committed and sees its rows, or the writer's mark lands after the keeper and the month is
stale again. Either way no kept month misses a committed row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from quality.models import MonthlyFigures, TreatedReferral
from quality.periods import Period
from quality.tally import Tally, live_tally, month_ranges, months_of
from referrals.models import Decision


def _current_month(today: date) -> date:
    return today.replace(day=1)


def period_tally(period: Period, *, today: date) -> Tally:
    """The clinic's tally of the period: its closed months as kept, the others (the current
    month, a month not kept yet or changed since) from the rows."""
    closed_end = min(period.end, _current_month(today))
    tally = Tally()
    kept: set[date] = set()
    for month, figures in MonthlyFigures.objects.filter(
        month__gte=period.start, month__lt=closed_end, stale=False
    ).values_list("month", "figures"):
        tally.add_kept(figures)
        kept.add(month)
    rest = [m for m in months_of(period.start, period.end) if m not in kept]
    return tally.add(live_tally(month_ranges(rest)))


def months_changed(months: Iterable[date], *, today: date) -> None:
    """Mark the closed months among `months` stale (their rows changed in this transaction),
    creating their row when they have none yet, so that a keeper counting them now cannot
    store figures without this change (see the module's docstring)."""
    current = _current_month(today)
    closed = sorted({m.replace(day=1) for m in months if m < current})
    if not closed:
        return
    MonthlyFigures.objects.bulk_create(
        [MonthlyFigures(month=m, stale=True) for m in closed],  # in order: no deadlock
        update_conflicts=True,
        unique_fields=["month"],
        update_fields=["stale"],
    )


def month_keep(month: date) -> MonthlyFigures:
    """Count one closed month from its rows and keep it (its row locked first)."""
    with transaction.atomic():
        kept, _created = MonthlyFigures.objects.select_for_update().get_or_create(
            month=month, defaults={"stale": True}
        )
        kept.figures = live_tally(month_ranges([month])).as_json()
        kept.stale, kept.kept_at = False, timezone.now()
        kept.save(update_fields=["figures", "stale", "kept_at"])
    return kept


def months_keep(*, today: date, again: bool = False) -> int:
    """Keep every closed month since the first decision or procedure that is missing or stale
    (every one when `again`); returns how many were counted."""
    firsts = [
        TreatedReferral.objects.aggregate(first=Min("performed_on"))["first"],
        Decision.objects.aggregate(first=Min("decided_at"))["first"],
    ]
    days = [timezone.localdate(f) if isinstance(f, datetime) else f for f in firsts if f]
    if not days:
        return 0
    months = months_of(min(days), _current_month(today))
    if not again:
        kept = set(
            MonthlyFigures.objects.filter(stale=False, month__in=months).values_list(
                "month", flat=True
            )
        )
        months = [m for m in months if m not in kept]
    for month in months:
        month_keep(month)
    return len(months)
