"""Role × view for the scheduling pages: only the secretary works the planning; a GP reaches only
their own patient's convocation (tested in test_convocation.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.models import Referral
from scheduling.models import Booking, ImagingAppointment
from scheduling.services.bookings import booking_create
from scheduling.services.imaging import imaging_appointment_create
from tests.conftest import client_for
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen", "imaging")

PAGES = [
    ("home_secretary", None),
    ("scheduling:sessions", None),
    ("scheduling:session_new", None),
    ("scheduling:session_template", None),
    ("scheduling:session_edit", "session"),
    ("scheduling:day", None),
    ("scheduling:referral", "referral"),
    ("scheduling:book", "accepted"),
    ("scheduling:imaging", "referral"),
    ("scheduling:imaging_change", "imaging"),
    ("scheduling:imaging_cancel", "imaging"),
    ("scheduling:reschedule", "booking"),
    ("scheduling:cancel", "booking"),
]
ACTIONS = ["scheduling:arrived", "scheduling:done", "scheduling:no_show"]


@pytest.fixture
def booking(secretary: User) -> Booking:
    return booking_create(
        referral=accepted_referral(mri_available=False),
        session=day_session(date(2026, 12, 8)),
        by=secretary,
    )


@pytest.fixture
def waiting(db: None) -> Referral:
    return accepted_referral()


@pytest.fixture
def imaging(booking: Booking, secretary: User) -> ImagingAppointment:
    return imaging_appointment_create(
        referral=booking.referral,
        modality="mri",
        at=timezone.make_aware(datetime(2026, 12, 7, 15, 0)),
        place="Centre, IRM",
        by=secretary,
    )


def _url(name: str, kind: str | None, booking: Booking, waiting: Referral) -> str:
    obj = {
        "session": booking.session,
        "referral": booking.referral,
        "booking": booking,
        "accepted": waiting,
        "imaging": booking.referral.imaging_appointments.get(),
    }
    return reverse(name, args=[obj[kind].pk]) if kind else reverse(name)


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_secretary_opens_every_planning_page(
    secretary_client: Client, booking: Booking, waiting: Referral, name: str, kind: str | None
) -> None:
    assert secretary_client.get(_url(name, kind, booking, waiting)).status_code == 200


@pytest.mark.parametrize("persona", ["gp", "radiologist", "admin_user"], indirect=True)
def test_other_roles_are_refused_every_planning_page_and_action(
    persona: User, booking: Booking, waiting: Referral
) -> None:
    client = client_for(persona)
    for name, kind in PAGES:
        assert client.get(_url(name, kind, booking, waiting)).status_code == 403, name
    for name in ACTIONS:
        response = client.post(reverse(name, args=[booking.pk]))
        assert response.status_code == 403, name
    exam = booking.referral.imaging_appointments.get()
    change = {"day": "2026-12-09", "time": "10:00", "place": "Ailleurs", "reason": "Essai"}
    for name in ("scheduling:imaging_change", "scheduling:imaging_cancel"):
        assert client.post(reverse(name, args=[exam.pk]), change).status_code == 403, name
    assert Booking.objects.get(pk=booking.pk).status == "booked"
    exam.refresh_from_db()
    assert (exam.place, exam.cancelled_at) == ("Centre, IRM", None)


def test_unknown_booking_is_a_404(secretary_client: Client) -> None:
    assert secretary_client.get(reverse("scheduling:cancel", args=[999])).status_code == 404
    assert secretary_client.get(reverse("scheduling:convocation", args=[999])).status_code == 404
    for name in ("scheduling:imaging_change", "scheduling:imaging_cancel"):
        assert secretary_client.get(reverse(name, args=[999])).status_code == 404
