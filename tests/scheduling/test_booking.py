"""Booking takes the minutes the levels need and a place or a bed, never more than the session
has; one patient holds one active booking; the referral becomes « scheduled » with an event."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import IntegrityError, transaction

from clinic.models import User
from referrals.choices import Status, Stay
from scheduling.errors import NotBookable, PatientAlreadyBooked, SessionFull
from scheduling.models import Booking, BookingStatus
from scheduling.selectors import sessions_between
from scheduling.services.bookings import booking_cancel, booking_create
from tests.factories import PatientFactory
from tests.scheduling.helpers import accepted_referral, day_session

TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.mark.parametrize(
    ("levels", "minutes"),
    [(("L1",), 30), (("L1", "L2"), 60), (("T12", "L1", "L2"), 90)],
)
def test_booking_takes_thirty_minutes_per_level_up_to_ninety(
    secretary: User, levels: tuple[str, ...], minutes: int
) -> None:
    session = day_session(TUE_8)
    booking = booking_create(
        referral=accepted_referral(levels=levels), session=session, by=secretary
    )
    assert booking.minutes == minutes
    assert sessions_between(TUE_8, TUE_8).get().remaining_minutes == 240 - minutes


def test_bookings_follow_each_other_and_the_patient_arrives_an_hour_before(
    secretary: User,
) -> None:
    session = day_session(TUE_8, start=time(8, 30))
    first = booking_create(
        referral=accepted_referral(levels=("L1", "L2")), session=session, by=secretary
    )
    second = booking_create(referral=accepted_referral(), session=session, by=secretary)
    assert (first.start_time, first.arrival_time) == (time(8, 30), time(7, 30))
    assert (second.start_time, second.arrival_time) == (time(9, 30), time(8, 30))


def test_booking_marks_the_referral_scheduled_with_a_timeline_event(secretary: User) -> None:
    referral = accepted_referral()
    booking = booking_create(referral=referral, session=day_session(TUE_8), by=secretary)
    referral.refresh_from_db()
    assert referral.status == Status.SCHEDULED
    event = referral.events.get(action="booking.created")
    assert event.actor == secretary
    assert event.data["booking"] == booking.pk
    assert event.data["date"] == "2026-12-08"


def test_a_full_session_says_so_and_books_nothing(secretary: User) -> None:
    session = day_session(TUE_8, day_places=1)
    booking_create(referral=accepted_referral(), session=session, by=secretary)
    late = accepted_referral()
    with pytest.raises(SessionFull, match="complète : plus aucune place d’hôpital de jour"):
        booking_create(referral=late, session=session, by=secretary)
    late.refresh_from_db()
    assert late.status == Status.ACCEPTED
    assert not late.events.filter(action="booking.created").exists()


@pytest.mark.parametrize(
    ("booked_minutes", "said"),
    [
        (120, "il ne reste aucune minute de geste, il en faut 30"),
        (119, "il reste 1 minute de geste, il en faut 30"),
    ],
)
def test_the_minutes_left_are_said_in_good_french(
    secretary: User, booked_minutes: int, said: str
) -> None:
    """Not « il reste 0 minutes » (issue 22): none and one take the singular."""
    session = day_session(TUE_8, procedure_minutes=120, day_places=4)
    first = booking_create(referral=accepted_referral(), session=session, by=secretary)
    Booking.objects.filter(pk=first.pk).update(minutes=booked_minutes)
    with pytest.raises(SessionFull, match=said):
        booking_create(referral=accepted_referral(), session=session, by=secretary)


def test_minutes_run_out_before_places(secretary: User) -> None:
    session = day_session(TUE_8, procedure_minutes=90, day_places=4)
    booking_create(referral=accepted_referral(levels=("L1", "L2")), session=session, by=secretary)
    with pytest.raises(SessionFull, match="il reste 30 minutes de geste, il en faut 60"):
        booking_create(
            referral=accepted_referral(levels=("L3", "L4")), session=session, by=secretary
        )
    assert booking_create(referral=accepted_referral(), session=session, by=secretary)


def test_an_overnight_stay_takes_a_bed_not_a_day_place(secretary: User) -> None:
    session = day_session(TUE_8, day_places=1, overnight_beds=1)
    booking_create(referral=accepted_referral(stay=Stay.OVERNIGHT), session=session, by=secretary)
    with pytest.raises(SessionFull, match="plus aucun lit"):
        booking_create(
            referral=accepted_referral(stay=Stay.OVERNIGHT), session=session, by=secretary
        )
    booking_create(referral=accepted_referral(), session=session, by=secretary)
    occupancy = sessions_between(TUE_8, TUE_8).get()
    assert (occupancy.used_day_places, occupancy.used_overnight_beds) == (1, 1)


def test_a_patient_with_two_referrals_cannot_hold_two_bookings(secretary: User) -> None:
    patient = PatientFactory()
    first = accepted_referral(patient=patient)
    second = accepted_referral(patient=patient, levels=("T8",))
    booking_create(referral=first, session=day_session(TUE_8), by=secretary)
    with pytest.raises(PatientAlreadyBooked, match="déjà un rendez-vous le 8 décembre 2026"):
        booking_create(referral=second, session=day_session(THU_10), by=secretary)
    assert Booking.objects.filter(patient=patient).count() == 1


def test_the_database_refuses_a_second_active_booking_for_one_patient(secretary: User) -> None:
    referral = accepted_referral()
    booking = booking_create(referral=referral, session=day_session(TUE_8), by=secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            referral=referral,
            patient=referral.patient,
            session=day_session(THU_10),
            minutes=30,
            stay=Stay.DAY_HOSPITAL,
            start_time=time(8),
            arrival_time=time(7),
            booked_by=secretary,
            booked_at=booking.booked_at,
        )


def test_a_scheduled_referral_cannot_be_booked_twice(secretary: User) -> None:
    referral = accepted_referral()
    booking_create(referral=referral, session=day_session(TUE_8), by=secretary)
    with pytest.raises(NotBookable, match="Programmée"):
        booking_create(referral=referral, session=day_session(THU_10), by=secretary)


def test_a_cancelled_booking_frees_its_slot_for_the_next_patient(secretary: User) -> None:
    session = day_session(TUE_8, day_places=1)
    booking = booking_create(referral=accepted_referral(), session=session, by=secretary)
    booking_cancel(
        booking=booking, by=secretary, reason_kind="patient", reason="Demande du patient"
    )
    other = booking_create(referral=accepted_referral(), session=session, by=secretary)
    assert other.start_time == time(8, 0)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
