"""Rows of day-hospital sessions for the desk's lists (the home page's next sessions, the sessions
list): plain values in frozen rows, with their occupancy, for a template to write inline.

A network's rooms hold hundreds of sessions in eight weeks. The list's ids come first, in
schedule order, from the `date` index (and its total from the same range, no join); then the
shown sessions' columns and their occupancy, counted over their bookings only. Before, the
occupancy of every session of the range was joined, grouped and sorted, then counted again for
the total, and each row went through an include and model instances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db.models import Count, Q, Sum
from django.utils.text import capfirst

from clinic.dates import long_date
from clinic.links import url_pattern
from clinic.models import user_display_name
from referrals.choices import Stay
from scheduling.models import OCCUPYING_STATUSES, DaySession
from scheduling.selectors import SESSION_ORDER


@dataclass(frozen=True, slots=True)
class SessionRow:
    pk: int
    date: date
    day: str  # « Mardi 15 décembre 2026 »
    day_short: str  # « Mardi 15 décembre »
    iso: str  # the day as the day view's ?date= reads it
    hours: str  # « 08:00–12:00 »
    room: str
    radiologist: str
    notes: str
    used_minutes: int
    procedure_minutes: int
    minutes: str  # used/available, « 120/480 »: texts, so that a page of hundreds of sessions
    places: str  # does not localise three thousand numbers
    beds: str
    edit_url: str


COLUMNS = (
    "pk",
    "date",
    "room",
    "start_time",
    "end_time",
    "notes",
    "procedure_minutes",
    "day_places",
    "overnight_beds",
    "radiologist__role",
    "radiologist__first_name",
    "radiologist__last_name",
    "radiologist__username",
)


def _clock(value: time) -> str:
    """« 08:00 », as the template's `time:"H:i"` writes it."""
    return value.strftime("%H:%M")


def session_rows(ids: list[int]) -> list[SessionRow]:
    """Rows of the sessions `ids`, in that order, with what their bookings take (one query)."""
    occupying = Q(bookings__status__in=OCCUPYING_STATUSES)
    overnight = Q(bookings__stay=Stay.OVERNIGHT)
    values = (
        DaySession.objects.filter(pk__in=ids)
        .values(*COLUMNS)
        .annotate(
            used_minutes=Sum("bookings__minutes", filter=occupying),
            used_day_places=Count("bookings", filter=occupying & ~overnight),
            used_overnight_beds=Count("bookings", filter=occupying & overnight),
        )
    )
    by_id = {row["pk"]: row for row in values}
    edit = url_pattern("scheduling:session_edit")
    labels: dict[date, tuple[str, str]] = {}
    rows = []
    for pk in ids:
        row = by_id.get(pk)
        if row is None:
            continue
        day = row["date"]
        if day not in labels:
            labels[day] = (
                capfirst(long_date(day, weekday=True)),
                capfirst(long_date(day, weekday=True, year=False)),
            )
        rows.append(
            SessionRow(
                pk=pk,
                date=day,
                day=labels[day][0],
                day_short=labels[day][1],
                iso=day.isoformat(),
                hours=f"{_clock(row['start_time'])}–{_clock(row['end_time'])}",
                room=row["room"],
                radiologist=user_display_name(
                    role=row["radiologist__role"],
                    first_name=row["radiologist__first_name"],
                    last_name=row["radiologist__last_name"],
                    username=row["radiologist__username"],
                ),
                notes=row["notes"],
                used_minutes=row["used_minutes"] or 0,
                procedure_minutes=row["procedure_minutes"],
                minutes=f"{row['used_minutes'] or 0}/{row['procedure_minutes']}",
                places=f"{row['used_day_places']}/{row['day_places']}",
                beds=f"{row['used_overnight_beds']}/{row['overnight_beds']}",
                edit_url=edit.format(pk),
            )
        )
    return rows


def sessions_between_rows(
    first: date, last: date, *, limit: int | None = None
) -> tuple[list[SessionRow], int]:
    """(the rows of the sessions from `first` to `last` in schedule order, the first `limit`
    only when given; how many there are in all)."""
    in_range = DaySession.objects.filter(date__gte=first, date__lte=last)
    ids = in_range.order_by(*SESSION_ORDER).values_list("pk", flat=True)
    shown = list(ids if limit is None else ids[: limit + 1])
    total = len(shown)
    if limit is not None and total > limit:
        shown = shown[:limit]
        total = in_range.count()
    return session_rows(shown), total
