"""Reschedule, cancel, arrived, done, no-show: each moves the booking and the referral and leaves
a timeline event; impossible moves are refused with a French reason."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.choices import Status
from scheduling.errors import InvalidTransition, SchedulingError, SessionFull
from scheduling.models import Booking, BookingStatus
from scheduling.services.bookings import (
    booking_cancel,
    booking_create,
    booking_mark_arrived,
    booking_mark_done,
    booking_mark_no_show,
    booking_reschedule,
)
from tests.conftest import client_for
from tests.procedures.helpers import done_after_checklist
from tests.scheduling.helpers import accepted_referral, day_session

TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)


@pytest.fixture
def booking(frozen: time_machine.Coordinates, secretary: User) -> Booking:
    return booking_create(referral=accepted_referral(), session=day_session(TUE_8), by=secretary)


def _events(booking: Booking) -> list[str]:
    return list(booking.referral.events.values_list("action", flat=True))


def test_reschedule_moves_the_patient_and_frees_the_old_place(
    booking: Booking, secretary: User
) -> None:
    thursday = day_session(THU_10, day_places=1)
    new = booking_reschedule(
        booking=booking,
        session=thursday,
        by=secretary,
        reason_kind="patient",
        reason="Indisponible mardi",
    )
    old = Booking.objects.get(pk=booking.pk)
    assert old.status == BookingStatus.RESCHEDULED
    assert new.rescheduled_from == old
    assert new.session == thursday
    assert new.status == BookingStatus.BOOKED
    new.referral.refresh_from_db()
    assert new.referral.status == Status.SCHEDULED
    event = new.referral.events.get(action="booking.rescheduled")
    assert (event.data["from_date"], event.data["date"]) == ("2026-12-08", "2026-12-10")
    assert event.data["reason"] == "Demande du patient : Indisponible mardi"
    assert (old.change_reason, event.data["reason_kind"]) == ("patient", "patient")


def test_reschedule_into_a_full_session_leaves_the_patient_where_they_were(
    booking: Booking, secretary: User
) -> None:
    full = day_session(THU_10, day_places=1)
    booking_create(referral=accepted_referral(), session=full, by=secretary)
    with pytest.raises(SessionFull):
        booking_reschedule(booking=booking, session=full, by=secretary, reason_kind="clinic")
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
    assert "booking.rescheduled" not in _events(booking)


def test_cancel_needs_a_reason_and_sends_the_referral_back_to_booking(
    booking: Booking, secretary: User
) -> None:
    with pytest.raises(SchedulingError, match="raison de l’annulation"):
        booking_cancel(booking=booking, by=secretary, reason_kind="", reason="Hospitalisé")
    booking_cancel(
        booking=booking, by=secretary, reason_kind="medical", reason="Patient hospitalisé ailleurs"
    )
    booking.refresh_from_db()
    booking.referral.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.change_reason == "medical"
    assert booking.cancel_reason == "Patient hospitalisé ailleurs"
    assert booking.referral.status == Status.ACCEPTED
    event = booking.referral.events.get(action="booking.cancelled")
    assert event.data["reason_kind"] == "medical"
    assert event.data["reason"] == "Raison médicale : Patient hospitalisé ailleurs"


def test_arrival_cannot_be_noted_before_the_day(booking: Booking, secretary: User) -> None:
    with pytest.raises(InvalidTransition, match="qu’à partir de ce jour"):
        booking_mark_arrived(booking=booking, by=secretary)


def test_arrived_then_done_closes_the_referral(
    booking: Booking, secretary: User, frozen: time_machine.Coordinates
) -> None:
    frozen.move_to("2026-12-08 07:40 +01:00")
    with pytest.raises(InvalidTransition):
        booking_mark_done(booking=booking, by=secretary)  # not arrived yet
    booking_mark_arrived(booking=booking, by=secretary)
    done_after_checklist(booking=booking, by=secretary)
    booking.refresh_from_db()
    booking.referral.refresh_from_db()
    assert booking.status == BookingStatus.DONE
    assert booking.referral.status == Status.DONE
    assert _events(booking)[-3:] == [
        "booking.arrived",
        "procedure.checklist_completed",
        "booking.done",
    ]


def test_no_show_frees_the_referral_for_a_new_date(
    booking: Booking, secretary: User, frozen: time_machine.Coordinates
) -> None:
    frozen.move_to("2026-12-08 12:00 +01:00")
    booking_mark_no_show(booking=booking, by=secretary)
    booking.refresh_from_db()
    booking.referral.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    assert booking.referral.status == Status.ACCEPTED
    assert "booking.no_show" in _events(booking)
    # The patient can be booked again.
    again = booking_create(
        referral=booking.referral, session=day_session(date(2026, 12, 10)), by=secretary
    )
    assert again.status == BookingStatus.BOOKED


def test_a_cancelled_booking_cannot_be_marked_arrived(
    booking: Booking, secretary: User, frozen: time_machine.Coordinates
) -> None:
    booking_cancel(booking=booking, by=secretary, reason_kind="patient", reason="Erreur")
    frozen.move_to("2026-12-08 08:00 +01:00")
    with pytest.raises(InvalidTransition, match="Annulé"):
        booking_mark_arrived(booking=booking, by=secretary)


def test_secretary_cancels_through_the_page_and_sees_the_referral_to_rebook(
    booking: Booking, secretary_client: Client
) -> None:
    url = reverse("scheduling:cancel", args=[booking.pk])
    empty = secretary_client.post(url, {"reason": "Il a appelé"})
    assert "Indiquez la raison de l’annulation" in empty.content.decode()
    assert "Il a appelé" in empty.content.decode()  # what was typed stays
    response = secretary_client.post(
        url, {"reason_kind": "patient", "reason": "Il a appelé"}, follow=True
    )
    page = response.content.decode()
    assert "annulé : le patient est à reprogrammer" in page
    assert reverse("scheduling:book", args=[booking.referral_id]) in page
    assert "Demande du patient : Il a appelé" in page  # the bookings' history


def test_secretary_marks_arrival_from_the_day_view(
    booking: Booking, secretary: User, frozen: time_machine.Coordinates
) -> None:
    frozen.move_to("2026-12-08 07:35 +01:00")
    secretary_client = client_for(secretary)  # logged in on the day (sessions expire)
    day_url = f"{reverse('scheduling:day')}?date=2026-12-08"
    assert "Arrivé" in secretary_client.get(day_url).content.decode()
    response = secretary_client.post(
        reverse("scheduling:arrived", args=[booking.pk]), {"next": day_url}
    )
    assert response["Location"] == day_url
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.ARRIVED
    # Said of the arrival, not of the person (« Arrivé » did not fit a woman).
    page = secretary_client.get(day_url).content.decode()
    assert "Arrivée notée" in page
    assert "Patient arrivé" not in page


def test_status_actions_accept_only_post(booking: Booking, secretary_client: Client) -> None:
    assert secretary_client.get(reverse("scheduling:arrived", args=[booking.pk])).status_code == 405


def test_reschedule_page_moves_the_booking(
    booking: Booking, secretary_client: Client, secretary: User
) -> None:
    thursday = day_session(THU_10, start=time(14), end=time(18))
    url = reverse("scheduling:reschedule", args=[booking.pk])
    page = secretary_client.get(url).content.decode()
    assert "Jeudi 10 décembre 2026" in page
    refused = secretary_client.post(url, {"session": thursday.pk, "reason": "Il part"})
    assert "Indiquez la raison du déplacement" in refused.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
    response = secretary_client.post(
        url, {"session": thursday.pk, "reason_kind": "clinic", "reason": ""}, follow=True
    )
    # « 13 h 00 » stays on one line (no-break spaces).
    assert "Rendez-vous programmé le 10 décembre 2026, arrivée à 13\u00a0h\u00a000" in (
        response.content.decode()
    )


def test_the_booking_message_tells_the_time_in_english(
    booking: Booking, secretary_client: Client
) -> None:
    thursday = day_session(THU_10, start=time(14), end=time(18))
    secretary_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = secretary_client.post(
        reverse("scheduling:reschedule", args=[booking.pk]),
        {"session": thursday.pk, "reason_kind": "patient", "reason": ""},
        follow=True,
    )

    page = response.content.decode()
    assert "10 December 2026, arrival at 13:00" in page
    assert " h 00" not in page
