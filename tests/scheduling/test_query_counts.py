"""The secretary's list pages run the same number of queries whatever their length: day view and
sessions list (the home page has its own test in test_pages.py)."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import User
from scheduling.services.bookings import booking_create
from tests.scheduling.helpers import accepted_referral, day_session

FRI_4 = date(2026, 12, 4)  # today
TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)

pytestmark = pytest.mark.usefixtures("frozen")


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _book(day: date, count: int, secretary: User, room: str) -> None:
    session = day_session(day, room=room, start=time(8, 0), end=time(13, 0), day_places=6)
    for _ in range(count):
        booking_create(referral=accepted_referral(), session=session, by=secretary)


def test_day_view_runs_the_same_queries_for_one_or_many_patients(
    secretary_client: Client, secretary: User
) -> None:
    url = f"{reverse('scheduling:day')}?date={TUE_8.isoformat()}"
    _book(TUE_8, 1, secretary, "Salle 1")
    few, _ = _queries(secretary_client, url)

    _book(TUE_8, 4, secretary, "Salle 2")
    many, page = _queries(secretary_client, url)

    assert page.count("Salle ") >= 2 and page.count("min</td>") == 5
    assert many == few


def test_todays_view_offers_the_accepted_referrals_once_in_the_same_queries(
    secretary_client: Client,
) -> None:
    """Today (or a past day) notes who came: one form for the day, its sessions to choose from
    and the referrals listed once, in the same queries however many sessions it has."""
    url = f"{reverse('scheduling:day')}?date={FRI_4.isoformat()}"
    waiting = [accepted_referral(), accepted_referral()]
    day_session(FRI_4, room="Salle 1", start=time(8, 0), end=time(13, 0))
    few, _ = _queries(secretary_client, url)

    for room in ("Salle 2", "Salle 3"):
        day_session(FRI_4, room=room, start=time(8, 0), end=time(13, 0))
    many, page = _queries(secretary_client, url)

    assert page.count("Noter un patient venu") == 1
    assert page.count('name="session"') == 1 and "Salle 3" in page
    for referral in waiting:
        assert page.count(f"demande n° {referral.pk}</option>") == 1
    assert many == few


def test_sessions_list_runs_the_same_queries_for_one_or_many_sessions(
    secretary_client: Client, secretary: User
) -> None:
    url = reverse("scheduling:sessions")
    _book(TUE_8, 1, secretary, "Salle 1")
    few, _ = _queries(secretary_client, url)

    _book(THU_10, 2, secretary, "Salle 1")
    for room in ("Salle 2", "Salle 3"):
        _book(TUE_8, 1, secretary, room)
    many, page = _queries(secretary_client, url)

    assert page.count("Salle 3") == 1
    assert many == few
