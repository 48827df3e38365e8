"""No overbooking under real concurrency (checklist row 22): twelve desks book twelve patients
into a session with three places at the same moment; exactly three get in, the nine others are told
the session is full. PostgreSQL only: SQLite serialises every writer anyway."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from clinic.models import User
from referrals.choices import Status
from referrals.models import Referral
from scheduling.errors import PatientAlreadyBooked, SchedulingError, SessionFull
from scheduling.models import Booking, BookingStatus, DaySession
from scheduling.services.bookings import booking_create
from tests.factories import PatientFactory
from tests.scheduling.helpers import accepted_referral, day_session, next_weekday

THREADS = 12
PLACES = 3


def _race(
    calls: list[tuple[Referral, DaySession]], by: User
) -> tuple[list[Booking], list[SchedulingError], list[BaseException]]:
    """Run booking_create for each (referral, session) in its own thread, all released at once."""
    barrier = threading.Barrier(len(calls))
    booked: list[Booking] = []
    refused: list[SchedulingError] = []
    crashed: list[BaseException] = []
    lock = threading.Lock()

    def desk(referral: Referral, session: DaySession) -> None:
        try:
            barrier.wait(timeout=10)
            result = booking_create(referral=referral, session=session, by=by)
            with lock:
                booked.append(result)
        except SchedulingError as error:
            with lock:
                refused.append(error)
        except BaseException as error:  # any crash fails the test below
            with lock:
                crashed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return booked, refused, crashed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twelve_concurrent_bookings_fill_three_places_and_no_more(secretary: User) -> None:
    day = next_weekday(timezone.localdate() + timedelta(days=2), 1)
    session = day_session(day, day_places=PLACES, overnight_beds=0, procedure_minutes=240)
    referrals = [accepted_referral() for _ in range(THREADS)]

    booked, refused, crashed = _race([(r, session) for r in referrals], secretary)

    assert crashed == []
    assert len(booked) == PLACES
    assert len(refused) == THREADS - PLACES
    assert all(isinstance(error, SessionFull) for error in refused)
    assert all("complète" in error.message for error in refused)
    assert session.bookings.filter(status=BookingStatus.BOOKED).count() == PLACES
    assert Referral.objects.filter(status=Status.SCHEDULED).count() == PLACES
    # Each patient got a distinct slot: no two procedures at the same time.
    times = list(session.bookings.values_list("start_time", flat=True))
    assert len(set(times)) == PLACES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_patient_booked_from_two_desks_at_once_gets_one_booking(secretary: User) -> None:
    patient = PatientFactory()
    day = next_weekday(timezone.localdate() + timedelta(days=2), 1)
    first = accepted_referral(patient=patient)
    second = accepted_referral(patient=patient, levels=("T9",))
    sessions = [day_session(day, room="Salle 1"), day_session(day, room="Salle 2")]

    booked, refused, crashed = _race([(first, sessions[0]), (second, sessions[1])], secretary)

    assert crashed == []
    assert len(booked) == 1
    assert len(refused) == 1
    assert isinstance(refused[0], PatientAlreadyBooked)
    assert Booking.objects.filter(patient=patient).count() == 1
