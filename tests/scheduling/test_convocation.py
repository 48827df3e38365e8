"""The patient's convocation: the date, the place, what to bring and this patient's own
instructions (read back from the PDF), the .ics file, and who may download them."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from clinic.models import User
from scheduling.models import Booking
from scheduling.services.bookings import booking_cancel, booking_create
from tests.conftest import client_for
from tests.scheduling.helpers import accepted_referral, day_session

THU_10 = date(2026, 12, 10)
PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.usefixtures("frozen")


def _book(secretary: User, **referral: object) -> Booking:
    return booking_create(
        referral=accepted_referral(**referral), session=day_session(THU_10), by=secretary
    )


def _pdf_text(client: Client, booking: Booking) -> str:
    response = client.get(reverse("scheduling:convocation", args=[booking.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_convocation_gives_date_arrival_place_and_what_to_bring(
    secretary: User, secretary_client: Client
) -> None:
    booking = _book(secretary)
    text = _pdf_text(secretary_client, booking)
    assert "Jeudi 10 décembre 2026" in text
    assert "Arrivée 7 h 00" in text
    assert settings.CLINIC_ADDRESS in text
    assert "carte Vitale" in text
    assert "comptes rendus de votre scanner et de votre IRM" in text
    assert "pièce d'identité" in text
    assert "liste de vos médicaments" in text
    assert booking.referral.patient.full_name in text
    # After the procedure (brochure).
    assert "remarcher 2 heures après le geste" in text
    assert "rentrerez chez vous le jour même" in text
    assert "2 fois par jour" in text
    assert "2 à 4 semaines" in text and "kinésithérapie" in text
    assert "anesthésie locale" in text


def test_vka_patient_is_told_to_stop_with_heparin_bridging_and_an_inr(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["vka"]))
    assert "Ne prenez plus votre AVK à partir du samedi 5 décembre 2026" in text
    assert "relais par une héparine" in text
    assert "contrôler l'INR" in text


def test_clopidogrel_patient_is_told_to_stop_five_days_before_when_possible(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["clopidogrel"]))
    assert (
        "Si c'est possible, ne prenez plus de clopidogrel (Plavix) à partir du samedi "
        "5 décembre 2026" in text
    )
    assert "AVK" not in text


def test_aspirin_patient_is_told_to_keep_taking_it(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["aspirin"]))
    assert "Continuez à prendre votre aspirine (Kardégic) normalement : ne l'arrêtez pas" in text
    assert "Ne prenez plus" not in text


def test_dual_antiplatelet_patient_is_sent_to_the_cardiologist_first(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["aspirin", "clopidogrel"]))
    assert "N'arrêtez aucun d'eux sans l'accord de votre cardiologue" in text
    assert "Seulement si votre cardiologue est d'accord : si c'est possible" in text


def test_general_anaesthesia_brings_the_consultation_and_fasting(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, anaesthesia="general"))
    assert "anesthésie générale" in text
    assert "consultation avec l'anesthésiste est obligatoire, au plus tard le mardi 8 décembre" in (
        text
    )
    assert "Venir à jeun" in text
    assert "Ne mangez plus rien à partir de minuit, la veille au soir." in text
    assert "jusqu'à 5 h 00" in text  # clear fluids until 2 hours before the 7 h 00 arrival
    assert "anesthésie locale" not in text


def test_no_antithrombotic_means_no_medication_section(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary))
    assert "fluidifient le sang" not in text


def test_downloads_are_attachments_never_cached_and_named_without_identity(
    secretary: User, secretary_client: Client
) -> None:
    booking = _book(secretary)
    for name in ("scheduling:convocation", "scheduling:convocation_ics"):
        response = secretary_client.get(reverse(name, args=[booking.pk]))
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "2026-12-10" in disposition
        assert booking.referral.patient.birth_name.lower() not in disposition.lower()
        assert response["Cache-Control"] == "no-store"


def test_ics_parses_with_the_arrival_time_and_no_health_data(
    secretary: User, secretary_client: Client
) -> None:
    booking = _book(secretary, antithrombotics=["vka"])
    response = secretary_client.get(reverse("scheduling:convocation_ics", args=[booking.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Rendez-vous — {settings.CLINIC_NAME}"
    assert event.decoded("DTSTART") == datetime(2026, 12, 10, 7, 0, tzinfo=PARIS)
    assert event.decoded("DTEND") == datetime(2026, 12, 10, 8, 30, tzinfo=PARIS)
    assert settings.CLINIC_ADDRESS in str(event["LOCATION"])
    body = response.content.decode().lower()
    for secret in ("AVK", "L1", "cimentoplastie"):
        assert secret.lower() not in body
    # The name word by word: Faker's « Mary » is inside « SUMMARY », which names no one.
    words = set(re.findall(r"[^\W\d_]+", body))
    for name in re.findall(r"[^\W\d_]+", booking.referral.patient.birth_name.lower()):
        assert name not in words


def test_the_referring_gp_downloads_their_patients_convocation(
    secretary: User, gp: User, gp_client: Client, other_gp_client: Client
) -> None:
    booking = _book(secretary, gp=gp)
    url = reverse("scheduling:convocation", args=[booking.pk])
    assert gp_client.get(url).status_code == 200
    assert other_gp_client.get(url).status_code == 404
    assert (
        other_gp_client.get(reverse("scheduling:convocation_ics", args=[booking.pk])).status_code
        == 404
    )


def test_radiologist_and_admin_get_no_convocation(
    secretary: User, radiologist: User, admin_user: User
) -> None:
    booking = _book(secretary)
    for user in (radiologist, admin_user):
        response = client_for(user).get(reverse("scheduling:convocation", args=[booking.pk]))
        assert response.status_code == 403


def test_a_cancelled_booking_has_no_convocation(
    secretary: User, secretary_client: Client, frozen: time_machine.Coordinates
) -> None:
    booking = _book(secretary)
    booking_cancel(booking=booking, by=secretary, reason="Erreur de date")
    assert (
        secretary_client.get(reverse("scheduling:convocation", args=[booking.pk])).status_code
        == 404
    )
