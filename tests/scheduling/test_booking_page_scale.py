"""The booking page of a network with many rooms: sessions come thirty at a time, soonest first,
and a session from a later page books like any other (docs/performance.md)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from referrals.choices import Status
from scheduling.models import Booking
from scheduling.selectors import PROPOSALS_PER_PAGE
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")
FIRST = date(2026, 12, 7)  # a Monday, after the frozen Friday


def _offered(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="session" id="session-(\d+)"', html)]


def _sessions(count: int) -> list[int]:
    # Three rooms a day on weekdays, as a network of clinics would plan them.
    made: list[int] = []
    day = FIRST
    while len(made) < count:
        if day.weekday() < 5:
            for room in ("Salle 1", "Salle 2", "Salle 3")[: count - len(made)]:
                made.append(day_session(day, room=room).pk)
        day += timedelta(days=1)
    return made


def test_the_page_offers_the_soonest_sessions_and_links_to_the_next_ones(
    secretary_client: Client,
) -> None:
    sessions = _sessions(PROPOSALS_PER_PAGE + 5)
    url = reverse("scheduling:book", args=[accepted_referral().pk])

    first = secretary_client.get(url).content.decode()
    second = secretary_client.get(url, {"page": 2}).content.decode()

    assert _offered(first) == sessions[:PROPOSALS_PER_PAGE]
    assert f"Séances 1 à {PROPOSALS_PER_PAGE} sur {PROPOSALS_PER_PAGE + 5}" in first
    assert 'href="?page=2">Séances suivantes</a>' in first
    assert _offered(second) == sessions[PROPOSALS_PER_PAGE:]
    assert 'href="?page=1">Séances plus proches</a>' in second


def test_a_session_from_the_second_page_is_booked(secretary_client: Client) -> None:
    sessions = _sessions(PROPOSALS_PER_PAGE + 2)
    referral = accepted_referral(fracture_age_days=2)
    url = reverse("scheduling:book", args=[referral.pk])

    response = secretary_client.post(
        f"{url}?page=2",
        {"session": sessions[-1], "confirm_outside_ideal": "on", "contact_channel": "none"},
    )

    assert response.status_code == 302
    assert Booking.objects.get(referral=referral).session_id == sessions[-1]
    referral.refresh_from_db()
    assert referral.status == Status.SCHEDULED


def test_few_sessions_show_no_page_links(secretary_client: Client) -> None:
    _sessions(3)
    url = reverse("scheduling:book", args=[accepted_referral().pk])

    page = secretary_client.get(url).content.decode()

    assert len(_offered(page)) == 3
    assert "Séances suivantes" not in page
