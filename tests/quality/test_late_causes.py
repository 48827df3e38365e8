"""Why the ideal window was missed, recorded where the desk decides (booking or moving a patient
past the target date) and counted by the dashboard."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from clinic.models import User
from quality import selectors
from quality.periods import month_period
from referrals.models import Referral
from scheduling.models import Booking, BookingStatus
from scheduling.services.bookings import booking_create, booking_mark_arrived
from tests.conftest import client_for
from tests.procedures.helpers import complete_checklist, report_input
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.django_db
TUE_8 = date(2026, 12, 8)  # within the window: fracture on 24 November, ideal until 15 December
THU_17 = date(2026, 12, 17)  # past it
DECEMBER = month_period("2026-12")


def _booked(secretary: User) -> Booking:
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False):
        return booking_create(
            referral=accepted_referral(), session=day_session(TUE_8), by=secretary
        )


def _move(secretary: User, booking: Booking, **post: str) -> str:
    """The desk's « Déplacer » page posted on Friday 4 December 2026: the page again (a
    refusal) or an empty string (moved)."""
    with time_machine.travel("2026-12-04 10:00 +01:00", tick=False):
        response = client_for(secretary).post(
            reverse("scheduling:reschedule", args=[booking.pk]), post
        )
    if response.status_code == 200:
        return response.content.decode()
    assert response["Location"] == reverse("scheduling:referral", args=[booking.referral_id])
    return ""


def _treat(booking: Booking, *, secretary: User, radiologist: User) -> None:
    from procedures.services.report import report_sign

    day = booking.session.date
    with time_machine.travel(f"{day.isoformat()} 08:30 +01:00", tick=False):
        booking_mark_arrived(booking=booking, by=secretary, today=day)
        complete_checklist(booking, secretary)
        referral = Referral.objects.get(pk=booking.referral_id)
        report_sign(referral=referral, by=radiologist, data=report_input(), today=day)


def test_a_move_past_the_target_asks_why_and_the_dashboard_counts_it(
    secretary: User, radiologist: User
) -> None:
    booking = _booked(secretary)
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False):
        late = day_session(THU_17)
    moving = {"session": str(late.pk), "reason_kind": "patient", "confirm_outside_ideal": "on"}

    refused = _move(secretary, booking, **moving)
    assert "Indiquez pourquoi le patient n’est pas programmé plus tôt" in refused
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED

    assert _move(secretary, booking, **moving, late_cause="patient") == ""
    old = Booking.objects.get(pk=booking.pk)
    new = Booking.objects.get(rescheduled_from=old)
    assert (old.change_reason, new.late_cause) == ("patient", "patient")

    _treat(new, secretary=secretary, radiologist=radiologist)
    assert DECEMBER is not None
    causes = selectors.missed_window_causes(selectors.treated_in(DECEMBER))
    assert (causes["missed"], causes["patient"], causes["unrecorded"]) == (1, 1, 0)
    assert causes["no_room"] == causes["clinic_change"] == 0


def test_a_move_by_the_clinic_for_lack_of_room_counts_under_both_causes(
    secretary: User, radiologist: User
) -> None:
    booking = _booked(secretary)
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False):
        late = day_session(THU_17)
    moved = _move(
        secretary,
        booking,
        session=str(late.pk),
        reason_kind="clinic",
        confirm_outside_ideal="on",
        late_cause="no_room",
    )
    assert moved == ""
    new = Booking.objects.get(rescheduled_from=booking.pk)
    _treat(new, secretary=secretary, radiologist=radiologist)
    assert DECEMBER is not None
    causes = selectors.missed_window_causes(selectors.treated_in(DECEMBER))
    assert (causes["missed"], causes["clinic_change"], causes["no_room"]) == (1, 1, 1)
    assert causes["patient"] == causes["unrecorded"] == 0


def test_a_move_within_the_window_needs_no_late_cause(secretary: User) -> None:
    booking = _booked(secretary)
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False):
        thursday = day_session(date(2026, 12, 10))
    assert _move(secretary, booking, session=str(thursday.pk), reason_kind="clinic") == ""
    assert Booking.objects.get(rescheduled_from=booking.pk).late_cause == ""


def test_a_session_the_clinic_moves_past_the_target_counts_as_the_clinics_change(
    secretary: User, radiologist: User
) -> None:
    from scheduling.services.session_move import session_move

    booking = _booked(secretary)
    with time_machine.travel("2026-12-04 10:00 +01:00", tick=False):
        session_move(
            session=booking.session,
            day=THU_17,
            by=secretary,
            confirm_outside_ideal=True,
            today=date(2026, 12, 4),
        )
    booking.refresh_from_db()
    _treat(booking, secretary=secretary, radiologist=radiologist)
    assert DECEMBER is not None
    causes = selectors.missed_window_causes(selectors.treated_in(DECEMBER))
    assert (causes["missed"], causes["clinic_change"], causes["unrecorded"]) == (1, 1, 0)
