"""Patient identity (INS traits): NIR checked with its key, known patients reused, never merged
with someone else, and drafts that do not multiply patients."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Patient, Referral
from tests.factories import PatientFactory, ReferralFactory, fictional_nir
from tests.referrals.form_data import referral_data

NEW = reverse("referrals:gp_referral_new")
NIR = fictional_nir("F", 1941, 3, 1)


def _wrong_key(nir: str) -> str:
    return nir[:13] + f"{(int(nir[13:]) + 1) % 100:02d}"


def test_a_nir_with_a_wrong_key_is_refused_with_a_clear_message(gp_client: Client) -> None:
    page = gp_client.post(NEW, referral_data(patient__nir=_wrong_key(NIR))).content.decode()
    assert "La clé du NIR (les 2 derniers chiffres) ne correspond pas au numéro" in page
    assert not Referral.objects.exists() and not Patient.objects.exists()


def test_a_nir_is_accepted_with_spaces_and_stored_compact(gp_client: Client) -> None:
    spaced = " ".join([NIR[0], NIR[1:3], NIR[3:5], NIR[5:7], NIR[7:10], NIR[10:13], NIR[13:]])
    gp_client.post(NEW, referral_data(patient__nir=spaced))
    assert Patient.objects.get().nir == NIR


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2410399999001", "Le NIR compte 15 caractères, clé comprise (vous en avez saisi 13)"),
        ("2410399999ABC21", "Le NIR ne contient que des chiffres"),
    ],
)
def test_a_malformed_nir_says_what_is_wrong(gp_client: Client, typed: str, message: str) -> None:
    page = gp_client.post(NEW, referral_data(patient__nir=typed)).content.decode()
    assert message in page


def test_a_nir_contradicting_the_sex_or_birth_year_is_refused(gp_client: Client) -> None:
    man = fictional_nir("M", 1941, 3, 1)
    page = gp_client.post(NEW, referral_data(patient__nir=man)).content.decode()
    assert "Le NIR commence par 1 (homme) alors que le sexe indiqué est femme" in page
    other_year = fictional_nir("F", 1951, 3, 1)
    page = gp_client.post(NEW, referral_data(patient__nir=other_year)).content.decode()
    assert "Le NIR indique une naissance en 51" in page
    assert not Referral.objects.exists()


def test_birth_date_in_the_future_or_a_typo_century_is_refused(gp_client: Client) -> None:
    page = gp_client.post(NEW, referral_data(patient__birth_date="2999-01-01", patient__nir=None))
    assert "La date de naissance est dans le futur" in page.content.decode()
    page = gp_client.post(NEW, referral_data(patient__birth_date="1041-03-02", patient__nir=None))
    assert "vérifiez l’année (par exemple 1941 et non 1041)" in page.content.decode()


def test_phone_and_insee_code_are_normalised_or_explained(gp_client: Client) -> None:
    gp_client.post(
        NEW, referral_data(patient__phone="+33 6.12.34.56.78", patient__birth_place_insee="2a004")
    )
    patient = Patient.objects.get()
    assert patient.phone == "06 12 34 56 78"
    assert patient.birth_place_insee == "2A004"
    page = gp_client.post(NEW, referral_data(patient__phone="12")).content.decode()
    assert "Numéro de téléphone non reconnu" in page


def test_a_patient_known_by_nir_is_reused_not_duplicated(gp_client: Client, other_gp: User) -> None:
    known = PatientFactory(
        birth_name="Rousseau", first_names="Jeanne Marie", birth_date="1941-03-02", nir=NIR
    )
    ReferralFactory(gp=other_gp, patient=known)
    gp_client.post(NEW, referral_data(patient__first_names="Jeanne"))
    assert Patient.objects.count() == 1
    referral = Referral.objects.get(gp__username="dr-gp")
    assert referral.patient == known
    known.refresh_from_db()
    assert known.first_names == "Jeanne Marie"  # a shared record is never rewritten


def test_a_patient_known_by_name_and_birth_date_is_reused_ignoring_case_and_accents(
    gp_client: Client, other_gp: User
) -> None:
    known = PatientFactory(
        birth_name="Lefèvre-Dupont", first_names="Hélène", birth_date="1941-03-02", nir="", phone=""
    )
    ReferralFactory(gp=other_gp, patient=known)
    gp_client.post(
        NEW,
        referral_data(
            patient__birth_name="LEFEVRE DUPONT",
            patient__first_names="helene",
            patient__nir=None,
            patient__phone="06 98 76 54 32",
        ),
    )
    assert Patient.objects.count() == 1
    known.refresh_from_db()
    assert Referral.objects.get(gp__username="dr-gp").patient == known
    assert known.phone == ""  # not even a blank is filled: staff confirm (security row 29)
    assert known.birth_name == "Lefèvre-Dupont"


def test_a_known_nir_with_another_identity_is_not_merged_but_flagged_for_staff(
    gp_client: Client,
) -> None:
    other = PatientFactory(
        birth_name="Autre", first_names="Personne", birth_date="1941-03-09", nir=NIR
    )
    response = gp_client.post(NEW, referral_data())
    assert response.status_code == 302  # accepted: telling the GP would disclose a patient
    referral = Referral.objects.get()
    assert referral.patient != other and referral.patient.nir == ""
    assert referral.identity_as_entered["nir"] == NIR
    assert referral.identity_to_check
    other.refresh_from_db()
    assert other.birth_name == "Autre" and other.nir == NIR


def test_a_shared_patients_contact_details_are_kept_and_the_difference_noted(
    gp_client: Client, other_gp: User
) -> None:
    known = PatientFactory(
        birth_name="Rousseau",
        first_names="Jeanne Marie",
        birth_date="1941-03-02",
        nir=NIR,
        phone="01 23 45 67 89",
        email="",
    )
    ReferralFactory(gp=other_gp, patient=known)
    gp_client.post(NEW, referral_data(patient__phone="06 98 76 54 32", patient__email="j@x.fr"))
    known.refresh_from_db()
    assert known.phone == "01 23 45 67 89"  # never overwritten
    assert known.email == ""  # not even a blank is filled: staff confirm (security row 29)
    referral = Referral.objects.get(gp__username="dr-gp")
    assert referral.patient == known
    assert referral.identity_as_entered["phone"] == "06 98 76 54 32"
    event = referral.events.get(action="referral.created")
    assert event.data["contact_differs"] == ["phone", "email"]


def test_saving_a_draft_again_does_not_create_another_patient(gp_client: Client) -> None:
    gp_client.post(NEW, referral_data(action="save"))
    referral = Referral.objects.get()
    edit = reverse("referrals:gp_referral_edit", args=[referral.pk])
    gp_client.post(edit, referral_data(action="save", patient__phone="06 00 00 00 01"))
    gp_client.post(edit, referral_data(action="save", patient__first_names="Jeanne Marie Louise"))
    assert Patient.objects.count() == 1
    patient = Patient.objects.get()
    assert patient.phone == "06 12 34 56 78"
    assert patient.first_names == "Jeanne Marie Louise"  # this draft's own record: rewritten


def test_a_draft_that_turns_out_to_be_a_known_patient_is_merged_into_it(
    gp_client: Client, other_gp: User
) -> None:
    gp_client.post(NEW, referral_data(action="save", patient__nir=None, patient__first_names="J"))
    referral = Referral.objects.get()
    known = PatientFactory(
        birth_name="Rousseau", first_names="Jeanne Marie", birth_date="1941-03-02", nir=NIR
    )
    ReferralFactory(gp=other_gp, patient=known)
    gp_client.post(reverse("referrals:gp_referral_edit", args=[referral.pk]), referral_data())
    referral.refresh_from_db()
    assert referral.patient == known
    assert Patient.objects.count() == 1  # the draft's provisional record is gone


def test_correcting_a_shared_patients_identity_in_a_draft_leaves_the_other_referral_alone(
    gp_client: Client, gp: User
) -> None:
    known = PatientFactory(
        birth_name="Rousseau", first_names="Jeanne Marie", birth_date="1941-03-02", nir=""
    )
    ReferralFactory(gp=gp, patient=known, status="submitted")
    gp_client.post(NEW, referral_data(action="save", patient__nir=None))
    draft = Referral.objects.get(status="draft")
    assert draft.patient == known
    edit = reverse("referrals:gp_referral_edit", args=[draft.pk])
    gp_client.post(
        edit, referral_data(action="save", patient__nir=None, patient__first_names="Lou")
    )
    draft.refresh_from_db()
    known.refresh_from_db()
    assert known.first_names == "Jeanne Marie"
    assert draft.patient != known and draft.patient.first_names == "Lou"


def test_correcting_the_name_on_ones_own_draft_keeps_its_nir_and_raises_no_flag(
    gp_client: Client,
) -> None:
    gp_client.post(NEW, referral_data(action="save"))
    referral = Referral.objects.get()
    edit = reverse("referrals:gp_referral_edit", args=[referral.pk])
    gp_client.post(edit, referral_data(action="save", patient__birth_name="Rousseaux"))
    referral.refresh_from_db()
    assert not referral.identity_to_check
    assert referral.patient.nir == NIR and referral.patient.birth_name == "Rousseaux"
    assert Patient.objects.count() == 1
