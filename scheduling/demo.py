"""Fictional demo data (seed_demo). Idempotent: running it twice adds nothing.

Runs after referrals and decisions are seeded: day-hospital sessions on Tuesdays and Thursdays
for the next four weeks (public holidays skipped), and one booking when there are at least two
accepted referrals, so that the demo still has one to book by hand.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from clinic.models import Role, User
from referrals.choices import Status
from referrals.models import Referral
from scheduling.errors import SchedulingError
from scheduling.models import Booking, DaySession
from scheduling.selectors import referrals_to_book
from scheduling.services.bookings import booking_create
from scheduling.services.sessions import SessionSpec, sessions_create_from_template

DEMO_WEEKS = 4
TUESDAY, THURSDAY = 1, 3


def _user(users: dict[str, User], username: str, role: str) -> User | None:
    return users.get(username) or User.objects.filter(role=role, is_active=True).first()


def seed_scheduling(users: dict[str, User]) -> None:
    radiologist = _user(users, "radiologue", Role.RADIOLOGIST)
    secretary = _user(users, "secretaire", Role.SECRETARY)
    if radiologist is None or secretary is None:
        return
    today = timezone.localdate()
    sessions_create_from_template(
        first_day=today + timedelta(days=1),
        last_day=today + timedelta(weeks=DEMO_WEEKS),
        weekdays={TUESDAY, THURSDAY},
        spec=SessionSpec(
            room="Salle d'intervention 1",
            radiologist=radiologist,
            start_time=time(8, 0),
            end_time=time(13, 0),
            procedure_minutes=240,
            day_places=4,
            overnight_beds=1,
        ),
        by=secretary,
    )
    if Booking.objects.exists():
        return
    accepted = list(referrals_to_book()[:2])
    if len(accepted) < 2:
        return
    _book_first_possible(accepted[-1], secretary)


def _book_first_possible(referral: Referral, secretary: User) -> None:
    """Book the referral in the first upcoming session its holds and windows allow."""
    for session in DaySession.objects.filter(date__gt=timezone.localdate()).order_by("date"):
        try:
            booking_create(referral=referral, session=session, by=secretary)
        except SchedulingError:
            continue
        referral.refresh_from_db(fields=["status"])
        if referral.status == Status.SCHEDULED:
            return
