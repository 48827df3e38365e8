"""« Dossiers incomplets : imagerie manquante » lists every referral that lacks an exam before its
procedure (sent, accepted, booked), and the booking page warns of the missing exam."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from clinic.models import User
from referrals.choices import Status
from scheduling.models import ImagingAppointment, Modality
from scheduling.services.bookings import booking_create
from tests.factories import ReferralFactory
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")
TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)
TUE_15 = date(2026, 12, 15)


def _card(client: Client) -> str:
    page = client.get(reverse("home_secretary")).content.decode()
    start = page.index('id="imaging-title"')
    return strip_tags(page[start : page.index("</section>", start)])


def test_accepted_and_booked_referrals_lacking_an_exam_are_listed(
    secretary_client: Client, secretary: User
) -> None:
    sent = ReferralFactory(status=Status.SUBMITTED, ct_available=False)
    accepted = accepted_referral(ct_available=False)
    booked = accepted_referral(mri_available=False)
    booking_create(referral=booked, session=day_session(THU_10), by=secretary)
    complete = accepted_referral(ct_available=True, mri_available=True)
    contraindicated = accepted_referral(
        mri_available=False, mri_contraindicated=True, mri_alternative="ct_myelo"
    )

    card = _card(secretary_client)

    assert str(sent.patient) in card
    assert str(accepted.patient) in card and "Scanner : manque, aucun rendez-vous" in card
    assert str(booked.patient) in card and "Geste le 10/12/2026" in card
    assert "IRM : manque, aucun rendez-vous" in card
    assert str(complete.patient) not in card
    assert str(contraindicated.patient) not in card  # something was done instead of the MRI


def test_an_exam_booked_after_the_procedure_is_flagged(
    secretary_client: Client, secretary: User
) -> None:
    booked = accepted_referral(ct_available=False)
    booking_create(referral=booked, session=day_session(THU_10), by=secretary)
    ImagingAppointment.objects.create(
        referral=booked,
        modality=Modality.CT,
        at=timezone.make_aware(datetime.combine(TUE_15, time(9, 0))),
        place="Centre",
        created_by=secretary,
    )

    card = _card(secretary_client)

    assert "Scanner : rendez-vous le 15/12/2026 09:00 — après le geste" in card


def test_the_booking_page_warns_of_the_missing_exam_and_marks_sessions_before_it(
    secretary_client: Client, secretary: User
) -> None:
    referral = accepted_referral(ct_available=False, fracture_age_days=3)
    before = day_session(TUE_8)
    after = day_session(TUE_15)
    ImagingAppointment.objects.create(
        referral=referral,
        modality=Modality.CT,
        at=timezone.make_aware(datetime.combine(THU_10, time(11, 0))),
        place="Centre",
        created_by=secretary,
    )

    page = secretary_client.get(reverse("scheduling:book", args=[referral.pk])).content.decode()

    text = strip_tags(page)
    assert "Imagerie manquante : le geste ne peut avoir lieu qu’après ces examens" in text
    assert "Scanner : rendez-vous le jeudi 10 décembre 2026 à 11:00" in text
    item_before = page[page.index(f'id="session-{before.pk}"') :]
    item_before = item_before[: item_before.index(f'id="session-{before.pk}-info"')]
    assert "Avant l’examen manquant" in item_before
    item_after = page[page.index(f'id="session-{after.pk}"') :]
    item_after = item_after[: item_after.index(f'id="session-{after.pk}-info"')]
    assert "Avant l’examen manquant" not in item_after


def test_the_booking_page_says_nothing_of_imaging_when_none_is_missing(
    secretary_client: Client,
) -> None:
    referral = accepted_referral(ct_available=True, mri_available=True)
    day_session(TUE_8)

    page = secretary_client.get(reverse("scheduling:book", args=[referral.pk])).content.decode()

    assert "Imagerie manquante" not in page
