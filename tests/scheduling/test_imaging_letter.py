"""The patient's letter and .ics for an imaging examination at the centre (CT, MRI, bone scan):
what they say (read back from the PDF), who downloads them and from where."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from clinic.models import User
from referrals.choices import Status
from referrals.models import Referral
from scheduling.models import ImagingAppointment
from scheduling.services.imaging import imaging_appointment_cancel, imaging_appointment_create
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory

pytestmark = pytest.mark.usefixtures("frozen")  # Friday 4 December 2026, 9:00

PARIS = ZoneInfo("Europe/Paris")
WED_9_AT_10 = timezone.make_aware(datetime(2026, 12, 9, 10, 30))
PLACE = "Centre d'imagerie, IRM niveau -1"


def _referral(gp: User, sex: str = "F", **fields: object) -> Referral:
    patient = PatientFactory(sex=sex, birth_date=date(1950, 6, 1))
    referral = ReferralFactory(gp=gp, patient=patient, status=Status.SUBMITTED, **fields)
    FractureLevelFactory(referral=referral)
    return referral


def _exam(secretary: User, referral: Referral, modality: str) -> ImagingAppointment:
    return imaging_appointment_create(
        referral=referral, modality=modality, at=WED_9_AT_10, place=PLACE, by=secretary
    )


def _letter(client: Client, exam: ImagingAppointment) -> str:
    response = client.get(reverse("scheduling:imaging_letter", args=[exam.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1  # one sheet the patient takes along
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_an_mri_letter_gives_the_day_time_place_and_what_to_check_first(
    gp: User, secretary: User, secretary_client: Client
) -> None:
    exam = _exam(secretary, _referral(gp, mri_available=False), "mri")

    text = _letter(secretary_client, exam)

    assert "Votre rendez-vous : IRM" in text
    assert "Mercredi 9 décembre 2026" in text and "10 h 30" in text
    assert PLACE in text
    assert "stimulateur cardiaque (pacemaker)" in text
    assert "née le 01/06/1950" in text and "Madame," in text
    assert "Si vous êtes enceinte ou pourriez l’être" in text
    assert "carte Vitale" in text


def test_a_mans_ct_letter_agrees_and_asks_nothing_about_pregnancy(
    gp: User, secretary: User, secretary_client: Client
) -> None:
    exam = _exam(secretary, _referral(gp, "M", ct_available=False), "ct")

    text = _letter(secretary_client, exam)

    assert "Votre rendez-vous : Scanner" in text
    assert "né le 01/06/1950" in text and "Monsieur," in text
    assert "enceinte" not in text and "née" not in text


def test_a_bone_scan_is_booked_when_mri_is_contraindicated_and_its_letter_says_half_a_day(
    gp: User, secretary: User, secretary_client: Client
) -> None:
    referral = _referral(gp, "", mri_available=False, mri_contraindicated=True)
    page = secretary_client.get(reverse("scheduling:referral", args=[referral.pk]))
    assert "scintigraphie osseuse (IRM contre-indiquée)" in page.content.decode()

    text = _letter(secretary_client, _exam(secretary, referral, "bone_scan"))

    assert "Votre rendez-vous : Scintigraphie osseuse" in text
    assert "faiblement radioactif" in text and "demi-journée" in text
    assert "date de naissance : 01/06/1950" in text and "Madame, Monsieur," in text
    assert "si vous allaitez" in text


def test_the_ics_matches_the_letter_and_names_no_examination(
    gp: User, secretary: User, secretary_client: Client
) -> None:
    exam = _exam(secretary, _referral(gp, mri_available=False), "mri")

    response = secretary_client.get(reverse("scheduling:imaging_ics", args=[exam.pk]))

    assert response["Content-Disposition"] == (
        'attachment; filename="rendez-vous-imagerie-2026-12-09.ics"'
    )
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 12, 9, 10, 30, tzinfo=PARIS)
    assert str(event["LOCATION"]) == PLACE
    assert "10 h 30" in str(event["DESCRIPTION"])
    assert "IRM" not in str(event["SUMMARY"]) + str(event["DESCRIPTION"])


def test_the_desk_and_the_referring_gp_find_the_letter_next_to_the_appointment(
    gp: User, gp_client: Client, other_gp_client: Client, secretary: User, secretary_client: Client
) -> None:
    referral = _referral(gp, mri_available=False)
    exam = _exam(secretary, referral, "mri")
    letter = reverse("scheduling:imaging_letter", args=[exam.pk])
    ics = reverse("scheduling:imaging_ics", args=[exam.pk])

    desk = secretary_client.get(reverse("scheduling:referral", args=[referral.pk]))
    gp_page = gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))

    for page in (desk, gp_page):
        assert letter in page.content.decode() and ics in page.content.decode()
    assert gp_client.get(letter).status_code == 200
    assert other_gp_client.get(letter).status_code == 404
    assert other_gp_client.get(ics).status_code == 404


def test_a_cancelled_examination_has_no_letter(
    gp: User, secretary: User, secretary_client: Client
) -> None:
    exam = _exam(secretary, _referral(gp, mri_available=False), "mri")
    imaging_appointment_cancel(appointment=exam, reason="Demande du patient", by=secretary)

    for name in ("scheduling:imaging_letter", "scheduling:imaging_ics"):
        assert secretary_client.get(reverse(name, args=[exam.pk])).status_code == 404
