"""The day's steps (arrival, procedure, no-show) move the referral through the workflow, and the
desk closes an accepted referral the patient gave up, with a reason."""

from __future__ import annotations

import html
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from clinic.errors import DomainError
from clinic.models import User
from referrals.choices import Status
from referrals.models import Referral
from referrals.services.closing import referral_close
from scheduling.models import Booking, BookingStatus
from scheduling.services.bookings import (
    booking_cancel,
    booking_create,
    booking_mark_arrived,
    booking_mark_done,
    booking_mark_no_show,
)
from tests.conftest import client_for
from tests.procedures.helpers import done_after_checklist
from tests.scheduling.helpers import accepted_referral, day_session

TUE_8 = date(2026, 12, 8)


@pytest.fixture
def booking(frozen: time_machine.Coordinates, secretary: User) -> Booking:
    return booking_create(referral=accepted_referral(), session=day_session(TUE_8), by=secretary)


def _status(referral_id: int) -> str:
    return Referral.objects.get(pk=referral_id).status


# --- the day: arrival, procedure, no-show -----------------------------------------------------


def test_arrival_then_procedure_move_the_referral_to_arrived_then_done(
    booking: Booking, secretary: User
) -> None:
    booking_mark_arrived(booking=booking, by=secretary, today=TUE_8)
    assert _status(booking.referral_id) == Status.ARRIVED
    done_after_checklist(booking=booking, by=secretary, today=TUE_8)
    assert _status(booking.referral_id) == Status.DONE
    events = booking.referral.events.order_by("id").values_list("action", flat=True)
    assert list(events)[-3:] == [
        "booking.arrived",
        "procedure.checklist_completed",
        "booking.done",
    ]


def test_a_no_show_frees_the_place_and_the_referral_waits_to_be_booked_again(
    booking: Booking, secretary: User
) -> None:
    booking_mark_no_show(booking=booking, by=secretary, today=TUE_8)
    booking.refresh_from_db()
    assert _status(booking.referral_id) == Status.ACCEPTED
    assert booking.status == BookingStatus.NO_SHOW


def test_cancelling_an_arrived_patients_booking_returns_the_referral_to_accepted(
    booking: Booking, secretary: User
) -> None:
    booking_mark_arrived(booking=booking, by=secretary, today=TUE_8)

    booking_cancel(
        booking=booking, by=secretary, reason_kind="patient", reason="Malaise, geste reporté"
    )
    assert _status(booking.referral_id) == Status.ACCEPTED


def test_the_procedure_cannot_be_recorded_before_the_arrival(
    booking: Booking, secretary: User
) -> None:
    with pytest.raises(DomainError):
        booking_mark_done(booking=booking, by=secretary, today=TUE_8)
    assert _status(booking.referral_id) == Status.SCHEDULED


# --- the desk closes an accepted referral ------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_the_desk_closes_an_accepted_referral_with_a_reason(
    secretary_client: Client, secretary: User
) -> None:
    referral = accepted_referral()
    page = secretary_client.get(reverse("scheduling:referral", args=[referral.pk]))
    assert "Clore la demande" in page.content.decode()

    response = secretary_client.post(
        reverse("scheduling:close", args=[referral.pk]),
        {"reason": "Le patient renonce au geste."},
        follow=True,
    )

    referral.refresh_from_db()
    assert referral.status == Status.CLOSED
    assert "Demande close" in response.content.decode()
    event = referral.events.get(action="referral.closed")
    assert event.actor == secretary
    assert event.data == {"reason": "Le patient renonce au geste."}


@pytest.mark.usefixtures("frozen")
def test_closing_without_a_reason_says_so_and_keeps_the_referral(
    secretary_client: Client,
) -> None:
    referral = accepted_referral()

    response = secretary_client.post(
        reverse("scheduling:close", args=[referral.pk]), {"reason": "  "}
    )

    assert response.status_code == 200
    assert "Indiquez le motif de la clôture" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_a_booked_referral_cannot_be_closed_before_its_booking_is_cancelled(
    booking: Booking, secretary_client: Client, secretary: User
) -> None:
    url = reverse("scheduling:close", args=[booking.referral_id])
    page = html.unescape(secretary_client.get(url).content.decode())
    with pytest.raises(DomainError, match="annulez d’abord le rendez-vous"):
        referral_close(referral=booking.referral, by=secretary, reason="Renonce")

    assert "annulez d’abord le rendez-vous" in page
    assert 'name="reason"' not in page
    assert _status(booking.referral_id) == Status.SCHEDULED


def test_the_day_view_offers_the_steps_the_table_allows(booking: Booking, secretary: User) -> None:
    day = reverse("scheduling:day") + "?date=2026-12-08"
    with time_machine.travel("2026-12-08 08:00 +01:00", tick=False):
        secretary_client = client_for(secretary)
        before = secretary_client.get(day).content.decode()
        booking_mark_arrived(booking=booking, by=secretary, today=TUE_8)
        after = secretary_client.get(day).content.decode()

    assert reverse("scheduling:arrived", args=[booking.pk]) in before
    assert reverse("scheduling:no_show", args=[booking.pk]) in before
    assert reverse("scheduling:done", args=[booking.pk]) not in before
    assert reverse("scheduling:done", args=[booking.pk]) in after
    assert reverse("scheduling:arrived", args=[booking.pk]) not in after


@pytest.mark.usefixtures("frozen")
def test_the_gp_reads_why_the_clinic_closed_their_referral(gp: User, secretary: User) -> None:
    referral = accepted_referral(gp=gp)
    referral_close(referral=referral, by=secretary, reason="Le patient renonce au geste.")

    page = client_for(gp).get(reverse("referrals:gp_referral_detail", args=[referral.pk]))

    text = html.unescape(page.content.decode())
    assert "Demande close par la clinique" in text
    assert "Le patient renonce au geste." in text
