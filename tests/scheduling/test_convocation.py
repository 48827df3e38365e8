"""The patient's convocation: the date, the place, what to bring and this patient's own
instructions (read back from the PDF), the .ics file, and who may download them."""

from __future__ import annotations

import io
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
    assert "pièce d’identité" in text
    assert "liste de vos médicaments" in text
    assert booking.referral.patient.full_name in text
    # After the procedure (brochure).
    assert "remarcher 2 heures après le geste" in text
    assert "rentrerez chez vous le jour même" in text
    assert "2 fois par jour" in text
    assert "2 à 4 semaines" in text and "kinésithérapie" in text
    assert "anesthésie locale" in text


def _book_on(secretary: User, day: date, **referral: object) -> Booking:
    return booking_create(
        referral=accepted_referral(**referral), session=day_session(day), by=secretary
    )


def test_vka_patient_gets_the_last_dose_day_the_inr_check_and_the_resume_day(
    secretary: User, secretary_client: Client
) -> None:
    # 2027.1 (B-VKA): last dose on J−6 — 2026.1's « à partir du J−5 » told patients to stop on
    # the day after that; INR on J−1 at most 1,5; resume on J+1 in the evening.
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["vka"]))
    assert "Dernière prise le vendredi 4 décembre 2026, puis plus rien jusqu’au geste" in text
    assert "reprise le vendredi 11 décembre 2026 au soir (J+1)" in text
    assert "contrôler l’INR le mercredi 9 décembre 2026" in text
    assert "inférieur ou égal à 1,5" in text
    assert "relais par une héparine" in text
    assert "à partir du" not in text


def test_vka_bridging_gives_the_last_injection_on_the_day_before_in_the_morning(
    secretary: User, secretary_client: Client
) -> None:
    booking = _book(secretary, antithrombotics=["vka"], vka_bridging=True)
    text = _pdf_text(secretary_client, booking)
    assert "dernière piqûre d’héparine du relais le mercredi 9 décembre 2026 au matin" in text
    assert "Votre médecin traitant organise le relais par une héparine" in text


def test_an_inr_check_due_on_a_sunday_moves_to_the_friday_before(
    secretary: User, secretary_client: Client
) -> None:
    # J is Monday 14 December: J−1 is a Sunday, J−2 a Saturday, not a working day either.
    text = _pdf_text(
        secretary_client, _book_on(secretary, date(2026, 12, 14), antithrombotics=["vka"])
    )
    assert "contrôler l’INR le vendredi 11 décembre 2026" in text
    assert "samedi 12 décembre" not in text
    assert "Dernière prise le mardi 8 décembre 2026" in text


def test_clopidogrel_patient_is_told_the_last_dose_day_when_possible(
    secretary: User, secretary_client: Client
) -> None:
    # B-CLOPIDOGREL: last dose on J−6 (« 5 jours avant » the brochure's way), when possible.
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["clopidogrel"]))
    assert (
        "Si c’est possible, dernière prise le vendredi 4 décembre 2026, puis plus rien "
        "jusqu’au geste ; reprise le vendredi 11 décembre 2026 (J+1)" in text
    )
    assert "AVK" not in text


def test_dabigatran_with_low_clearance_stops_on_j_minus_5_and_resumes_on_j_plus_2(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(
        secretary_client,
        _book(secretary, antithrombotics=["dabigatran"], creatinine_clearance=40),
    )
    assert "Dabigatran (Pradaxa)" in text
    assert "Dernière prise le samedi 5 décembre 2026" in text
    assert "reprise le samedi 12 décembre 2026 (J+2)" in text


def test_an_anticoagulant_without_a_hold_rule_sends_the_patient_to_the_radiologist(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["fondaparinux"]))
    assert "Fondaparinux (Arixtra)" in text
    assert "Le radiologue vous précisera quand prendre la dernière dose" in text


def test_aspirin_patient_is_told_to_keep_taking_it(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["aspirin"]))
    assert "Continuez à prendre votre aspirine (Kardégic) normalement : ne l’arrêtez pas" in text
    assert "Dernière prise" not in text


def test_dual_antiplatelet_patient_is_sent_to_the_cardiologist_first(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, antithrombotics=["aspirin", "clopidogrel"]))
    assert "N’arrêtez aucun d’eux sans l’accord de votre cardiologue" in text
    assert "Seulement si votre cardiologue est d’accord : si c’est possible, dernière prise" in text


def test_general_anaesthesia_brings_the_consultation_and_fasting(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, anaesthesia="general"))
    assert "anesthésie générale" in text
    assert "consultation avec l’anesthésiste est obligatoire, au plus tard le mardi 8 décembre" in (
        text
    )
    assert "Venir à jeun" in text
    assert "Ne mangez plus rien à partir de minuit, la veille au soir." in text
    assert "jusqu’à 5 h 00" in text  # clear fluids until 2 hours before the 7 h 00 arrival
    assert "anesthésie locale" not in text


def test_an_anaesthesia_consultation_due_on_a_saturday_moves_to_the_friday(
    secretary: User, secretary_client: Client
) -> None:
    # J is Monday 14 December: J−2 is a Saturday, not a working day.
    text = _pdf_text(
        secretary_client, _book_on(secretary, date(2026, 12, 14), anaesthesia="general")
    )
    assert "au plus tard le vendredi 11 décembre 2026" in text


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
    # A name no calendar word can hold (Faker's names were once « Paris » or « Mary »).
    patient = booking.referral.patient
    patient.birth_name, patient.first_names = "Quimperlezec", "Anselmine"
    patient.save(update_fields=["birth_name", "first_names"])
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
    assert "quimperlezec" not in body and "anselmine" not in body


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
    booking_cancel(booking=booking, by=secretary, reason_kind="patient", reason="Erreur de date")
    assert (
        secretary_client.get(reverse("scheduling:convocation", args=[booking.pk])).status_code
        == 404
    )
