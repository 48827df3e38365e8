"""Sessions one by one or from a weekly template: holidays refused or skipped by name, hours and
capacities checked, no two sessions in one room at once, capacities never below bookings."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from scheduling.errors import SessionRefused
from scheduling.models import DaySession
from scheduling.services.bookings import booking_create
from scheduling.services.sessions import SessionSpec, session_create, session_update
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")


def _post(radiologist: User, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "date": "2026-12-08",
        "room": "Salle 1",
        "radiologist": radiologist.pk,
        "start_time": "08:00",
        "end_time": "13:00",
        "procedure_minutes": "240",
        "day_places": "4",
        "overnight_beds": "1",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_secretary_creates_a_session_and_sees_it_on_the_day(
    secretary_client: Client, radiologist: User
) -> None:
    response = secretary_client.post(
        reverse("scheduling:session_new"), _post(radiologist), follow=True
    )
    page = response.content.decode()
    assert "Séance du 8 décembre 2026 créée." in page
    assert "08:00–13:00 · Salle 1 · Dr Hélène Lefèvre" in page
    assert DaySession.objects.get().created_by.username == "secretaire"


def test_a_session_on_christmas_is_refused_naming_the_holiday(
    secretary_client: Client, radiologist: User
) -> None:
    response = secretary_client.post(
        reverse("scheduling:session_new"), _post(radiologist, date="2026-12-25", room="Salle 7")
    )
    page = response.content.decode()
    assert "Le 25 décembre 2026 est un jour férié (Noël)" in page
    assert 'value="Salle 7"' in page  # what was typed comes back
    assert not DaySession.objects.exists()


def test_the_service_refuses_a_holiday_too(radiologist: User, secretary: User) -> None:
    spec = SessionSpec("Salle 1", radiologist, time(8), time(13), 240, 4)
    with pytest.raises(SessionRefused, match="Lundi de Pâques"):
        session_create(day=date(2027, 3, 29), spec=spec, by=secretary)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"end_time": "08:00"},
            "L’heure de fin (08:00) doit être après l’heure de début",
        ),
        ({"procedure_minutes": "0"}, "Prévoyez au moins 1 minute de geste"),
        ({"day_places": "-1"}, "Saisissez un nombre positif."),
        ({"day_places": "0", "overnight_beds": "0"}, "au moins une place d’hôpital de jour"),
        ({"procedure_minutes": "400"}, "La séance dure 300 minutes"),
        ({"start_time": "8h"}, "Saisissez une heure au format HH:MM"),
        ({"date": "2026-10-01"}, "Une séance passée ne s’enregistre que dans les 31"),
    ],
)
def test_bad_session_input_is_explained(
    secretary_client: Client, radiologist: User, overrides: dict[str, str], message: str
) -> None:
    response = secretary_client.post(
        reverse("scheduling:session_new"), _post(radiologist, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DaySession.objects.exists()


def test_two_sessions_cannot_share_a_room_at_the_same_time(
    secretary_client: Client, radiologist: User
) -> None:
    day_session(date(2026, 12, 8), radiologist=radiologist, start=time(8), end=time(12))
    response = secretary_client.post(
        reverse("scheduling:session_new"), _post(radiologist, start_time="11:00", end_time="15:00")
    )
    assert "La salle « Salle 1 » est déjà réservée le 8 décembre 2026 de 08:00 à 12:00" in (
        response.content.decode()
    )
    other_room = secretary_client.post(
        reverse("scheduling:session_new"), _post(radiologist, room="Salle 2")
    )
    assert other_room.status_code == 302


def test_weekly_template_skips_holidays_and_says_which(
    secretary_client: Client, radiologist: User
) -> None:
    # Tuesdays and Fridays from 14/12/2026 to 01/01/2027: Christmas and New Year are Fridays.
    data = _post(radiologist, first_day="2026-12-14", last_day="2027-01-01", weekdays=["1", "4"])
    response = secretary_client.post(reverse("scheduling:session_template"), data, follow=True)
    page = response.content.decode()
    created = set(DaySession.objects.values_list("date", flat=True))
    assert created == {
        date(2026, 12, 15),
        date(2026, 12, 18),
        date(2026, 12, 22),
        date(2026, 12, 29),
    }
    assert "4 séances créées." in page
    assert (
        "Jours fériés sautés : 25 décembre 2026 (Noël), 1er janvier 2027 (Jour de l&#x27;an)."
        in page
    )
    # Running it again creates nothing and says the room is taken.
    again = secretary_client.post(reverse("scheduling:session_template"), data, follow=True)
    assert DaySession.objects.count() == 4
    assert "Salle déjà occupée, aucune séance ajoutée" in again.content.decode()


def test_weekly_template_needs_a_weekday(secretary_client: Client, radiologist: User) -> None:
    data = _post(radiologist, first_day="2026-12-14", last_day="2026-12-31")
    response = secretary_client.post(reverse("scheduling:session_template"), data)
    assert "Cochez au moins un jour de la semaine." in response.content.decode()


def test_capacity_cannot_be_lowered_below_the_bookings(secretary: User, radiologist: User) -> None:
    session = day_session(date(2026, 12, 8), radiologist=radiologist)
    booking_create(referral=accepted_referral(), session=session, by=secretary)
    booking_create(referral=accepted_referral(), session=session, by=secretary)
    spec = SessionSpec("Salle 1", radiologist, time(8), time(13), 240, 1, 1)
    with pytest.raises(SessionRefused, match="2 places d’hôpital de jour"):
        session_update(session=session, spec=spec, by=secretary)
    later_start = SessionSpec("Salle 1", radiologist, time(9), time(13), 240, 4, 1)
    with pytest.raises(SessionRefused, match="en dehors de ces nouveaux horaires"):
        session_update(session=session, spec=later_start, by=secretary)
    session_update(
        session=session,
        spec=SessionSpec("Salle 2", radiologist, time(8), time(13), 120, 2, 0),
        by=secretary,
    )
    session.refresh_from_db()
    assert (session.room, session.day_places) == ("Salle 2", 2)


def test_other_roles_cannot_manage_sessions(gp_client: Client, radiologist_client: Client) -> None:
    for client in (gp_client, radiologist_client):
        assert client.get(reverse("scheduling:session_new")).status_code == 403
        assert client.get(reverse("scheduling:sessions")).status_code == 403
        assert client.get(reverse("scheduling:day")).status_code == 403
        assert client.get(reverse("home_secretary")).status_code == 403
