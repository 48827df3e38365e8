"""Checklist row 24, for dates: every date a page reads (in its URL or in a form) answers the
earliest and latest dates a date can hold, and text that is no date, without a server error. The
page comes back saying what to fix, or shows today with a message.

The test client re-raises what a view lets through, so a 500 fails the test."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.choices import Status
from tests.conftest import client_for
from tests.factories import RadiologistFactory, ReferralFactory
from tests.referrals.form_data import level, referral_data

pytestmark = pytest.mark.usefixtures("frozen")

ABSURD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "31/12/9999",
    "-2026-01-01",
    "99999-01-01",
    "2026-12-04T25:00",
    "é" * 50,
]


@pytest.mark.parametrize("raw", ABSURD_DATES)
def test_the_day_view_shows_today_for_a_date_it_cannot_show(
    secretary_client: Client, raw: str
) -> None:
    response = secretary_client.get(reverse("scheduling:day"), {"date": raw}, follow=True)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Date illisible" in page or "Date hors du planning" in page


@pytest.mark.parametrize("raw", ABSURD_DATES)
def test_the_session_form_prefilled_with_any_date_opens(secretary_client: Client, raw: str) -> None:
    assert secretary_client.get(reverse("scheduling:session_new"), {"date": raw}).status_code == 200


@pytest.mark.parametrize("raw", ABSURD_DATES)
def test_a_session_on_an_absurd_date_is_refused_with_a_message(
    secretary_client: Client, raw: str
) -> None:
    radiologist = RadiologistFactory()
    data = {
        "date": raw,
        "room": "Salle 1",
        "radiologist": radiologist.pk,
        "start_time": "08:00",
        "end_time": "12:00",
        "procedure_minutes": "240",
        "day_places": "4",
        "overnight_beds": "1",
    }
    response = secretary_client.post(reverse("scheduling:session_new"), data)

    assert response.status_code == 200  # the form again, with its error
    assert "is-invalid" in response.content.decode()


@pytest.mark.parametrize("raw", ABSURD_DATES)
def test_a_weekly_template_over_absurd_dates_is_refused_with_a_message(
    secretary_client: Client, raw: str
) -> None:
    radiologist = RadiologistFactory()
    data = {
        "first_day": raw,
        "last_day": raw,
        "weekdays": ["1"],
        "room": "Salle 1",
        "radiologist": radiologist.pk,
        "start_time": "08:00",
        "end_time": "12:00",
        "procedure_minutes": "240",
        "day_places": "4",
        "overnight_beds": "1",
    }
    response = secretary_client.post(reverse("scheduling:session_template"), data)

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


@pytest.mark.parametrize("raw", ABSURD_DATES)
def test_an_imaging_appointment_on_an_absurd_date_is_refused(
    secretary_client: Client, gp: User, raw: str
) -> None:
    referral = ReferralFactory(gp=gp, status=Status.SUBMITTED, mri_available=False)
    data = {"modality": "mri", "day": raw, "time": "10:00", "place": "IRM"}
    response = secretary_client.post(reverse("scheduling:imaging", args=[referral.pk]), data)

    assert response.status_code == 200
    assert not referral.imaging_appointments.exists()


@pytest.mark.parametrize("raw", ABSURD_DATES)
@pytest.mark.parametrize(
    "field", ["patient-birth_date", "levels-0-fracture_date", "facts-ct_date", "facts-mri_date"]
)
def test_the_referral_form_refuses_an_absurd_date_and_keeps_what_was_typed(
    gp_client: Client, field: str, raw: str
) -> None:
    data = referral_data(levels=[level(0)], action="save") | {field: raw}
    response = gp_client.post(reverse("referrals:gp_referral_new"), data)

    assert response.status_code == 200
    assert "Rousseau" in response.content.decode()  # nothing typed is lost


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("secretary", "/secretariat/journee/?date=%00"),
        ("admin_user", "/admin/clinic/user/?role__exact=%00"),
        ("gp", "/medecin/?page=%00"),
    ],
)
def test_a_nul_character_in_a_url_is_a_bad_request_not_a_server_error(
    who: str, url: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    response = client_for(user).get(url)

    assert response.status_code == 400


@pytest.mark.parametrize("raw", [*ABSURD_DATES, "\x00"])
def test_the_referral_form_refuses_a_posted_nul_or_absurd_birth_date(
    gp_client: Client, raw: str
) -> None:
    data = referral_data(levels=[level(0)], action="save") | {"patient-birth_date": raw}
    response = gp_client.post(reverse("referrals:gp_referral_new"), data)

    assert response.status_code == 200
