"""Security row 29: nothing a GP types changes the clinic's patient record. A second GP who
refers (or only drafts) the same person never fills the record's blanks, never changes what the
first GP's documents print; staff confirm the record, and only then does the convocation (which
the patient receives) print its address."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from clinic.models import User
from referrals.models import Patient, Referral
from scheduling.models import Booking
from scheduling.services.bookings import booking_create
from tests.factories import PatientFactory
from tests.referrals.form_data import referral_data
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")

NEW = reverse("referrals:gp_referral_new")
B_DETAILS = ("07 99 88 77 66", "intrus@example.invalid", "99 avenue du Second Médecin")


def _pdf(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def _a_booked(other_gp: User, secretary: User, *, confirmed: bool = False) -> Booking:
    """GP A's patient, known to the clinic without phone, e-mail or address, accepted and
    booked; the record is confirmed or not."""
    patient = PatientFactory(
        birth_name="Rousseau",
        first_names="Jeanne Marie",
        birth_date=date(1941, 3, 2),
        phone="",
        email="",
        address="",
        confirmed_at=None,
    )
    referral = accepted_referral(patient=patient, gp=other_gp)
    if confirmed:
        Patient.objects.filter(pk=patient.pk).update(confirmed_at=referral.submitted_at)
    return booking_create(referral=referral, session=day_session(date(2026, 12, 10)), by=secretary)


def _b_drafts_the_same_person(gp_client: Client) -> Referral:
    response = gp_client.post(
        NEW,
        referral_data(
            action="save",
            patient__nir=None,
            patient__phone=B_DETAILS[0],
            patient__email=B_DETAILS[1],
            patient__address=B_DETAILS[2],
        ),
    )
    assert response.status_code == 302
    return Referral.objects.get(gp__username="dr-gp")


def test_a_second_gps_draft_fills_no_blank_of_the_clinic_record_even_once_deleted(
    gp_client: Client, other_gp: User, secretary: User
) -> None:
    booking = _a_booked(other_gp, secretary)
    draft = _b_drafts_the_same_person(gp_client)
    assert draft.patient_id == booking.referral.patient_id  # the clinic knows one person
    patient = Patient.objects.get(pk=draft.patient_id)
    assert (patient.phone, patient.email, patient.address) == ("", "", "")
    assert draft.identity_as_entered["address"] == B_DETAILS[2]  # kept with B's referral
    gp_client.post(reverse("referrals:gp_referral_discard", args=[draft.pk]))
    patient.refresh_from_db()
    assert (patient.phone, patient.email, patient.address) == ("", "", "")


def test_the_first_gps_documents_never_print_the_second_gps_entries(
    gp_client: Client, other_gp: User, secretary: User
) -> None:
    booking = _a_booked(other_gp, secretary)
    _b_drafts_the_same_person(gp_client)
    a_client = Client()
    a_client.force_login(other_gp)
    decision = booking.referral.current_decision
    assert decision is not None
    for url in (
        reverse("scheduling:convocation", args=[booking.pk]),
        reverse("reports:decision_letter", args=[decision.pk]),
    ):
        text = _pdf(a_client, url)
        assert "ROUSSEAU" in text.upper()
        for detail in B_DETAILS:
            assert detail not in text, (url, detail)


def test_the_second_gps_letters_print_what_they_typed_not_the_first_gps(
    gp: User, gp_client: Client, other_gp: User
) -> None:
    known = PatientFactory(
        birth_name="Rousseau",
        used_name="Usage-De-A",
        first_names="Jeanne Marie",
        birth_date=date(1941, 3, 2),
        confirmed_at=None,
    )
    accepted_referral(patient=known, gp=other_gp)
    theirs = accepted_referral(patient=known, gp=gp)
    theirs.identity_as_entered = {**theirs.identity_as_entered, "used_name": ""}
    theirs.save(update_fields=["identity_as_entered"])
    assert theirs.current_decision is not None
    text = _pdf(gp_client, reverse("reports:decision_letter", args=[theirs.current_decision.pk]))
    assert "ROUSSEAU" in text.upper() and "Usage-De-A".upper() not in text.upper()


def test_staff_confirm_the_record_and_only_then_the_convocation_prints_the_address(
    gp_client: Client, other_gp: User, secretary: User, secretary_client: Client
) -> None:
    booking = _a_booked(other_gp, secretary)
    draft = _b_drafts_the_same_person(gp_client)
    convocation = reverse("scheduling:convocation", args=[booking.pk])
    assert B_DETAILS[2] not in _pdf(secretary_client, convocation)
    page = reverse("scheduling:referral", args=[booking.referral.pk])
    assert "Dossier patient à confirmer" in secretary_client.get(page).content.decode()

    # The secretary, having called the patient, copies the address B typed onto the record.
    response = secretary_client.post(
        reverse("referrals:patient_confirmed", args=[draft.pk]),
        {"copy": ["address"], "next": page},
    )
    assert response.status_code == 404  # a draft is not the clinic's: nothing to confirm there
    target = accepted_referral(
        patient=booking.referral.patient, gp=User.objects.get(pk=draft.gp_id)
    )
    target.identity_as_entered = draft.identity_as_entered
    target.save(update_fields=["identity_as_entered"])
    response = secretary_client.post(
        reverse("referrals:patient_confirmed", args=[target.pk]),
        {"copy": ["address"], "next": page},
        follow=True,
    )
    assert "Dossier patient confirmé" in response.content.decode()
    patient = Patient.objects.get(pk=booking.referral.patient_id)
    assert patient.address == B_DETAILS[2] and patient.confirmed_by == secretary
    assert patient.phone == ""  # not ticked, not copied
    event = target.events.get(action="referral.patient_confirmed")
    assert event.actor == secretary and event.data["copied"] == ["address"]
    assert B_DETAILS[2] in _pdf(secretary_client, convocation)


def test_a_gp_cannot_confirm_a_patient_record(gp_client: Client, gp: User) -> None:
    referral = accepted_referral(gp=gp, patient=PatientFactory(confirmed_at=None))
    response = gp_client.post(reverse("referrals:patient_confirmed", args=[referral.pk]))
    assert response.status_code == 403
    referral.patient.refresh_from_db()
    assert referral.patient.confirmed_at is None
