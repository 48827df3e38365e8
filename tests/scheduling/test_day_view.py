"""The day view of a network's rooms: each booking's links lead to that booking, and its labels
read in the reader's language (its links and labels are looked up once a page,
docs/performance.md)."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from clinic.models import User
from referrals.choices import Anaesthesia
from referrals.models import Decision
from scheduling.models import Booking, BookingStatus
from scheduling.services.bookings import booking_create
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")
TUE_8 = date(2026, 12, 8)
DAY = f"{reverse('scheduling:day')}?date={TUE_8.isoformat()}"


def _two_bookings(secretary: User) -> list[Booking]:
    session = day_session(TUE_8, room="Salle 1", start=time(8, 0), end=time(13, 0), day_places=6)
    return [
        booking_create(
            referral=accepted_referral(anaesthesia=anaesthesia), session=session, by=secretary
        )
        for anaesthesia in (Anaesthesia.LOCAL, Anaesthesia.GENERAL)
    ]


def _row_of(html: str, booking: Booking) -> str:
    rows = [
        row for row in html.split("<tr") if f"/secretariat/demandes/{booking.referral_id}/" in row
    ]
    assert len(rows) == 1
    return rows[0]


def test_each_row_links_to_its_own_booking_and_referral(
    secretary_client: Client, secretary: User
) -> None:
    bookings = _two_bookings(secretary)

    html = secretary_client.get(DAY).content.decode()

    for booking in bookings:
        row = _row_of(html, booking)
        assert f'href="{reverse("scheduling:referral", args=[booking.referral_id])}"' in row
        for name in ("convocation", "reschedule", "cancel"):
            assert f'href="{reverse(f"scheduling:{name}", args=[booking.pk])}"' in row
        other = next(b for b in bookings if b.pk != booking.pk)
        assert not re.search(rf"/rendez-vous/{other.pk}/", row)


@pytest.mark.parametrize(
    ("language", "booked", "general"),
    [("fr", "Programmé", "Anesthésie générale"), ("en", "Booked", "General anaesthesia")],
)
def test_statuses_and_anaesthesia_read_in_the_readers_language(
    secretary_client: Client, secretary: User, language: str, booked: str, general: str
) -> None:
    bookings = _two_bookings(secretary)
    secretary_client.post(reverse("set_language"), {"language": language, "next": "/"})

    html = secretary_client.get(DAY).content.decode()

    row = _row_of(html, bookings[1])
    assert f">{booked}</span>" in row
    assert re.search(rf'<td data-label="[^"]+">{general}</td>', row)  # a card line on a phone


def test_labels_are_those_of_the_choices_for_every_value() -> None:
    for language in ("fr", "en"):
        with translation.override(language):
            for value, label in BookingStatus.choices:
                assert Booking(status=value).get_status_display() == str(label)
            for value, label in Anaesthesia.choices:
                assert Decision(anaesthesia=value).get_anaesthesia_display() == str(label)
            assert Decision(anaesthesia="").get_anaesthesia_display() == ""


@pytest.mark.parametrize(
    ("language", "label"), [("fr", "Minutes de geste :"), ("en", "Procedure minutes:")]
)
def test_labels_end_with_the_colon_of_the_readers_language(
    secretary_client: Client, secretary: User, language: str, label: str
) -> None:
    _two_bookings(secretary)
    secretary_client.post(reverse("set_language"), {"language": language, "next": "/"})

    html = secretary_client.get(DAY).content.decode()

    assert f'<span class="text-body-secondary">{label}</span>' in html
    if language == "en":
        assert " :</span>" not in html  # no French space before an English colon
