"""The demo seeder: Tuesday and Thursday sessions for four weeks without holidays, idempotent,
and one booking only when another accepted referral is left to book by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine

from clinic.demo import seed_users
from scheduling.demo import seed_scheduling
from scheduling.models import Booking, DaySession
from scheduling.public_holidays import holiday_name
from tests.scheduling.helpers import accepted_referral


@pytest.fixture
def ascension_weeks(db: None) -> Iterator[time_machine.Coordinates]:
    # From Wednesday 28/04/2027, four weeks hold 8 Tuesdays and Thursdays, one of them Ascension
    # (Thursday 06/05/2027).
    with time_machine.travel("2027-04-28 09:00 +02:00", tick=False) as traveller:
        yield traveller


def test_demo_sessions_are_tuesdays_and_thursdays_without_holidays_and_idempotent(
    ascension_weeks: time_machine.Coordinates,
) -> None:
    users = seed_users()
    seed_scheduling(users)
    seed_scheduling(users)
    days = list(DaySession.objects.values_list("date", flat=True))
    assert len(days) == 7
    assert {d.weekday() for d in days} == {1, 3}
    assert date(2027, 5, 6) not in days
    assert not any(holiday_name(d) for d in days)
    assert not Booking.objects.exists()  # no accepted referral: nothing booked, no crash


def test_demo_books_one_of_two_accepted_referrals_once(
    ascension_weeks: time_machine.Coordinates,
) -> None:
    users = seed_users()
    first, second = accepted_referral(), accepted_referral()
    seed_scheduling(users)
    seed_scheduling(users)
    assert Booking.objects.count() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert sorted([first.status, second.status]) == ["accepted", "scheduled"]
