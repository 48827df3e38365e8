"""Security row 5 across GPs: the clinic keeps one record per patient, but a GP only ever sees
the identity they typed themselves, never what another GP entered, and is never told that a
person is a patient of the clinic."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Patient, Referral
from tests.factories import fictional_nir
from tests.referrals.form_data import referral_data

NEW = reverse("referrals:gp_referral_new")
NIR_A = fictional_nir("F", 1941, 3, 1)
A_DETAILS = ("06 12 34 56 78", "jeanne@example.invalid", "10 rue Imaginaire")


def _a_refers(other_gp_client: Client) -> Referral:
    """GP A refers Jeanne Rousseau with her NIR and full contact details."""
    other_gp_client.post(NEW, referral_data())
    return Referral.objects.get(gp__username="dr-other")


def _b_refers_the_same_person(gp_client: Client, *, action: str = "submit") -> Referral:
    """GP B types the same birth name, first names and birth date, but no NIR and other
    contact details."""
    gp_client.post(
        NEW,
        referral_data(
            action=action,
            patient__birth_name="ROUSSEAU",
            patient__nir=None,
            patient__phone="07 11 22 33 44",
            patient__email=None,
            patient__address=None,
        ),
    )
    return Referral.objects.get(gp__username="dr-gp")


def _assert_shows_nothing_of_a(page: str) -> None:
    assert NIR_A not in page
    for detail in A_DETAILS:
        assert detail not in page


def test_a_gp_referring_another_gps_patient_sees_only_what_they_typed(
    gp_client: Client, other_gp_client: Client, gp: User, other_gp: User
) -> None:
    mine = _a_refers(other_gp_client)
    theirs = _b_refers_the_same_person(gp_client)
    assert Patient.objects.count() == 1  # the clinic still knows one patient
    assert theirs.patient_id == mine.patient_id

    page = gp_client.get(reverse("referrals:gp_referral_detail", args=[theirs.pk]))
    text = page.content.decode()
    assert "ROUSSEAU Jeanne Marie" in text
    assert "07 11 22 33 44" in text
    _assert_shows_nothing_of_a(text)
    _assert_shows_nothing_of_a(gp_client.get(reverse("home_gp")).content.decode())


def test_another_gps_details_never_reach_the_edit_form(
    gp_client: Client, other_gp_client: Client
) -> None:
    _a_refers(other_gp_client)
    draft = _b_refers_the_same_person(gp_client, action="save")
    text = gp_client.get(reverse("referrals:gp_referral_edit", args=[draft.pk])).content.decode()
    assert 'value="07 11 22 33 44"' in text
    _assert_shows_nothing_of_a(text)


def test_the_first_gps_contact_details_are_not_overwritten(
    gp_client: Client, other_gp_client: Client
) -> None:
    mine = _a_refers(other_gp_client)
    _b_refers_the_same_person(gp_client)
    patient = Patient.objects.get()
    assert (patient.nir, patient.phone, patient.email) == (NIR_A, *A_DETAILS[:2])
    text = other_gp_client.get(reverse("referrals:gp_referral_detail", args=[mine.pk]))
    assert "07 11 22 33 44" not in text.content.decode()  # nor does A see B's


def test_a_nir_held_by_another_identity_is_accepted_without_a_hint_and_flagged_for_staff(
    gp_client: Client, other_gp_client: Client, radiologist_client: Client
) -> None:
    mine = _a_refers(other_gp_client)
    response = gp_client.post(
        NEW,
        referral_data(
            patient__birth_name="Martin",
            patient__first_names="Claire",
            patient__birth_date="1941-03-05",
        ),
        follow=True,
    )
    text = response.content.decode()
    assert "Demande adressée à la clinique" in text
    assert "connu" not in text and "Identité à vérifier" not in text
    theirs = Referral.objects.get(gp__username="dr-gp")
    assert theirs.status == "submitted" and theirs.identity_to_check
    assert theirs.patient != mine.patient and theirs.patient.nir == ""
    assert Patient.objects.get(nir=NIR_A).birth_name == "Rousseau"  # never merged

    warning = "Identité à vérifier : NIR déjà attribué à un autre patient"
    page = radiologist_client.get(reverse("referrals:radiology_referral", args=[theirs.pk]))
    assert warning in page.content.decode()
    assert warning in radiologist_client.get(reverse("home_radiologist")).content.decode()
    page = radiologist_client.get(reverse("referrals:radiology_referral", args=[mine.pk]))
    assert warning not in page.content.decode()


def test_staff_still_see_the_clinic_record_and_the_export_holds_both_referrals(
    gp_client: Client, other_gp_client: Client, radiologist_client: Client
) -> None:
    _a_refers(other_gp_client)
    theirs = _b_refers_the_same_person(gp_client)
    page = radiologist_client.get(reverse("referrals:radiology_referral", args=[theirs.pk]))
    assert A_DETAILS[0] in page.content.decode()  # the clinic's record, for the care team
    out = io.StringIO()
    call_command("export_patient", str(theirs.patient_id), stdout=out)
    data = json.loads(out.getvalue())
    assert data["patient"]["nir"] == NIR_A
    assert len(data["referrals"]) == 2
