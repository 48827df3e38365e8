"""After a refusal for lack of room, the full session is no longer selected, is marked full, and
the message says which sessions still have room."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from clinic.models import User
from scheduling.models import Booking
from scheduling.services.bookings import booking_create
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")
TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)


def test_a_refused_full_session_is_unselected_and_the_message_names_sessions_with_room(
    secretary_client: Client, secretary: User
) -> None:
    # 60 minutes, two 30-minute bookings leave a gap of 30 minutes in the middle after one is
    # cancelled: the counts say it fits a 30-minute booking; a 60-minute one is refused.
    tight = day_session(TUE_8, start=time(8, 0), end=time(9, 0), procedure_minutes=60)
    roomy = day_session(THU_10, room="Salle 2")
    referral = accepted_referral(levels=("L1", "L2"))  # 60 minutes
    booking_create(referral=accepted_referral(), session=tight, by=secretary)  # 30 left
    url = reverse("scheduling:book", args=[referral.pk])

    page = secretary_client.post(
        url, {"session": tight.pk, "contact_channel": "none"}
    ).content.decode()

    text = strip_tags(page)
    assert "est complète" in text
    assert "il reste 30 minutes de geste, il en faut 60" in text
    assert "Séances avec de la place : Jeudi 10 décembre 2026 à 08:00 (Salle 2)." in text
    assert f'id="session-{tight.pk}" value="{tight.pk}" disabled' in page
    assert f'value="{tight.pk}" disabled aria-describedby' in page  # not checked
    assert f'id="session-{roomy.pk}" value="{roomy.pk}" aria-describedby' in page
    assert not Booking.objects.filter(referral=referral).exists()


def test_a_session_with_no_gap_long_enough_is_marked_full_after_the_refusal(
    secretary_client: Client, secretary: User
) -> None:
    # Two 30-minute gaps, 60 minutes free in all: the counts say a 60-minute booking fits.
    gappy = day_session(TUE_8, start=time(8, 0), end=time(10, 0), procedure_minutes=120)
    first, second = accepted_referral(), accepted_referral()
    keep_a, keep_b = accepted_referral(), accepted_referral()
    booking_create(referral=first, session=gappy, by=secretary)  # 08:00
    booking_create(referral=keep_a, session=gappy, by=secretary)  # 08:30
    booking_create(referral=second, session=gappy, by=secretary)  # 09:00
    booking_create(referral=keep_b, session=gappy, by=secretary)  # 09:30
    for booking in Booking.objects.filter(referral__in=(first, second)):
        booking.status = "cancelled"
        booking.save(update_fields=["status"])
    referral = accepted_referral(levels=("L1", "L2"))

    page = secretary_client.post(
        reverse("scheduling:book", args=[referral.pk]),
        {"session": gappy.pk, "contact_channel": "none"},
    ).content.decode()

    assert "plus de créneau continu de 60 minutes" in strip_tags(page)
    assert f'value="{gappy.pk}" disabled aria-describedby' in page
    assert "plus de créneau assez long" in page
    assert "Aucune séance de cette page n’a de place" in page
