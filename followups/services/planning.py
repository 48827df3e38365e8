"""When each follow-up falls: the day after the procedure (D1, a call), then one and three
months after it (M1, M3). Planned once, when the procedure report is signed."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from followups.models import FollowUp, FollowUpKind
from referrals.models import Referral


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month (31 January + 1 → 28 or 29
    February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(performed_on: date) -> dict[str, date]:
    return {
        FollowUpKind.D1: performed_on + timedelta(days=1),
        FollowUpKind.M1: add_months(performed_on, 1),
        FollowUpKind.M3: add_months(performed_on, 3),
    }


def followups_plan(*, referral: Referral, performed_on: date) -> list[FollowUp]:
    """Plan the referral's follow-ups (idempotent: a follow-up already planned is kept). Runs in
    the caller's transaction (the signing of the report)."""
    planned = []
    for kind, due_on in due_dates(performed_on).items():
        followup, _created = FollowUp.objects.get_or_create(
            referral=referral, kind=kind, defaults={"due_on": due_on}
        )
        planned.append(followup)
    return planned
