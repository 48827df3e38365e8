"""The patient search of the GP's list, the worklist and the desk: by name (with or without
accents), birth date or NIR (with or without spaces), within what each user's lists show, each
search written to the access log."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from clinic.models import AccessLog, User
from referrals.choices import Status
from referrals.models import Patient
from referrals.models.patient import search_text
from referrals.selectors import PatientQuery, parse_patient_query
from tests.factories import PatientFactory, ReferralFactory

URL = reverse("referrals:search")


def test_search_text_drops_accents_case_and_punctuation() -> None:
    assert search_text("Lefèvre-D'Aubigné  ZOÉ") == "lefevre d aubigne zoe"
    assert search_text("Œuvray Cœur") == "oeuvray coeur"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2 50 02 75 123 456 78", PatientQuery(nir="2500275123456")),
        ("2500275123456", PatientQuery(nir="2500275123456")),
        ("1 45 03 2A 123 456", PatientQuery(nir="145032A123456")),
        ("dupont 03/02/1950", PatientQuery(birth_date=date(1950, 2, 3), words=("dupont",))),
        ("1950-02-03", PatientQuery(birth_date=date(1950, 2, 3))),
        ("Zoé Lefèvre", PatientQuery(words=("zoe", "lefevre"))),
        ("a", PatientQuery()),  # one letter matches half the clinic
        ("31/02/1950", PatientQuery(unreadable_date="31/02/1950")),  # no such day
    ],
)
def test_what_a_search_box_text_asks(typed: str, expected: PatientQuery) -> None:
    assert parse_patient_query(typed) == expected


@pytest.fixture
def zoe(gp: User) -> Patient:
    patient = PatientFactory(
        birth_name="Lefèvre", first_names="Zoé", birth_date=date(1948, 5, 17), nir=""
    )
    ReferralFactory(gp=gp, patient=patient, status=Status.SUBMITTED)
    return patient


def _found(client: Client, q: str) -> str:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return strip_tags(response.content.decode())


@pytest.mark.parametrize("q", ["lefevre", "LEFÈVRE zoe", "zoé", "17/05/1948", "lefe 17/05/1948"])
def test_a_gp_finds_their_patient_with_or_without_accents(
    gp_client: Client, zoe: Patient, q: str
) -> None:
    assert "LEFÈVRE Zoé" in _found(gp_client, q)


def test_a_nir_is_found_typed_with_spaces(secretary_client: Client, gp: User) -> None:
    patient = PatientFactory(birth_name="Marchal", first_names="Odile")
    ReferralFactory(gp=gp, patient=patient, status=Status.ACCEPTED)
    spaced = " ".join(patient.nir[i : i + 2] for i in range(0, 15, 2))

    assert "MARCHAL Odile" in _found(secretary_client, spaced)


def test_a_date_of_no_day_is_explained(gp_client: Client) -> None:
    page = _found(gp_client, "31/02/1950")
    assert "La date « 31/02/1950 » n’existe pas" in page


def test_a_gp_never_finds_another_gps_patient(
    other_gp_client: Client, gp_client: Client, zoe: Patient
) -> None:
    page = _found(other_gp_client, "lefevre")
    assert "LEFÈVRE" not in page and "Aucune demande pour « lefevre »" in page
    assert "LEFÈVRE" not in _found(other_gp_client, "17/05/1948")


def test_staff_find_referrals_sent_but_never_a_gps_draft(
    radiologist_client: Client, secretary_client: Client, gp: User, zoe: Patient
) -> None:
    draft_patient = PatientFactory(birth_name="Brouillon", first_names="Anne")
    ReferralFactory(gp=gp, patient=draft_patient, status=Status.DRAFT)

    for client in (radiologist_client, secretary_client):
        assert "LEFÈVRE Zoé" in _found(client, "lefevre")
        assert "BROUILLON" not in _found(client, "brouillon")


def test_each_role_opens_the_referral_on_its_own_page(
    gp_client: Client, radiologist_client: Client, secretary_client: Client, zoe: Patient
) -> None:
    referral = zoe.referrals.get()
    for client, name in (
        (gp_client, "referrals:gp_referral_detail"),
        (radiologist_client, "referrals:radiology_referral"),
        (secretary_client, "scheduling:referral"),
    ):
        page = client.get(URL, {"q": "lefevre"}).content.decode()
        assert f'href="{reverse(name, args=[referral.pk])}"' in page


def test_each_search_is_written_to_the_access_log(
    gp_client: Client, gp: User, zoe: Patient
) -> None:
    _found(gp_client, "lefevre")
    _found(gp_client, "nobody")

    found = AccessLog.objects.get(what="patient.search", search="lefevre")
    assert found.user == gp and found.patient_id == zoe.pk
    missed = AccessLog.objects.get(what="patient.search", search="nobody")
    assert missed.patient_id is None


def test_an_administrator_has_no_patient_search(admin_user: User) -> None:
    from tests.conftest import client_for

    assert client_for(admin_user).get(URL, {"q": "lefevre"}).status_code == 403


def test_renaming_a_patient_keeps_the_search_column_up_to_date(zoe: Patient) -> None:
    zoe.used_name = "Martin"
    zoe.save(update_fields=["used_name"])
    assert Patient.objects.get(pk=zoe.pk).search_name == "lefevre martin zoe"
