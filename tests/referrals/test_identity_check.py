"""Staff close the identity loop: the identity a GP typed is shown beside the clinic's record when
its NIR belongs to another patient, staff confirm it (« Identité vérifiée »), and contact details
typed that differ from a shared record are shown so the secretary calls the right number."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Referral
from referrals.validators import format_nir
from tests.factories import PatientFactory, ReferralFactory, fictional_nir
from tests.referrals.form_data import referral_data

NEW = reverse("referrals:gp_referral_new")
NIR = fictional_nir("F", 1941, 3, 1)


def _flagged_referral(gp_client: Client) -> Referral:
    """A submitted referral whose typed NIR belongs to another patient."""
    PatientFactory(birth_name="Autre", first_names="Personne", birth_date="1941-03-09", nir=NIR)
    gp_client.post(NEW, referral_data(patient__birth_name="Martin", patient__first_names="Claire"))
    referral = Referral.objects.get(gp__username="dr-gp")
    assert referral.status == "submitted" and referral.identity_to_check
    return referral


def _checked(referral: Referral) -> str:
    return reverse("referrals:identity_checked", args=[referral.pk])


def test_the_secretary_sees_the_typed_identity_beside_the_record(
    gp_client: Client, secretary_client: Client
) -> None:
    referral = _flagged_referral(gp_client)
    page = secretary_client.get(reverse("scheduling:referral", args=[referral.pk]))
    text = page.content.decode()
    assert "Saisie du médecin" in text and "Patient qui détient ce NIR" in text
    assert format_nir(NIR) in text  # typed by the GP, held by « Autre », grouped
    assert "MARTIN" in text or "Martin" in text
    assert "Autre" in text
    assert "02/03/1941" in text and "09/03/1941" in text
    assert _checked(referral) in text and "Identité vérifiée" in text


def test_the_secretary_clears_the_flag_and_the_timeline_says_so(
    gp_client: Client, secretary_client: Client, secretary: User
) -> None:
    referral = _flagged_referral(gp_client)
    page_url = reverse("scheduling:referral", args=[referral.pk])
    response = secretary_client.post(_checked(referral), {"next": page_url}, follow=True)
    assert response.redirect_chain[-1][0] == page_url
    text = response.content.decode()
    assert "Identité vérifiée : l’alerte est levée" in text
    assert "Saisie du médecin" not in text and "Identité à vérifier" not in text
    referral.refresh_from_db()
    assert not referral.identity_to_check
    event = referral.events.get(action="referral.identity_checked")
    assert event.actor == secretary


def test_the_radiologist_sees_the_typed_identity_and_clears_the_flag(
    gp_client: Client, radiologist_client: Client, radiologist: User
) -> None:
    referral = _flagged_referral(gp_client)
    page_url = reverse("referrals:radiology_referral", args=[referral.pk])
    assert "Saisie du médecin" in radiologist_client.get(page_url).content.decode()
    response = radiologist_client.post(_checked(referral))  # no `next`: back to their page
    assert response.status_code == 302 and response["Location"] == page_url
    referral.refresh_from_db()
    assert not referral.identity_to_check
    assert referral.events.get(action="referral.identity_checked").actor == radiologist


def test_an_outside_next_is_not_followed(gp_client: Client, secretary_client: Client) -> None:
    referral = _flagged_referral(gp_client)
    response = secretary_client.post(_checked(referral), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("scheduling:referral", args=[referral.pk])


def test_a_gp_cannot_clear_the_identity_check(gp_client: Client, other_gp_client: Client) -> None:
    referral = _flagged_referral(gp_client)
    assert gp_client.post(_checked(referral)).status_code == 403
    assert other_gp_client.post(_checked(referral)).status_code == 403
    referral.refresh_from_db()
    assert referral.identity_to_check
    assert not referral.events.filter(action="referral.identity_checked").exists()
    page = gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))
    assert "Identité vérifiée" not in page.content.decode()


def test_clearing_twice_says_it_is_already_done(
    gp_client: Client, secretary_client: Client
) -> None:
    referral = _flagged_referral(gp_client)
    secretary_client.post(_checked(referral))
    response = secretary_client.post(_checked(referral), follow=True)
    assert "L’identité de ce patient a déjà été vérifiée." in response.content.decode()
    assert referral.events.filter(action="referral.identity_checked").count() == 1


def test_no_identity_panel_without_a_flag(gp_client: Client, secretary_client: Client) -> None:
    gp_client.post(NEW, referral_data())
    referral = Referral.objects.get()
    text = secretary_client.get(reverse("scheduling:referral", args=[referral.pk])).content
    assert b"Saisie du m" not in text and b"Coordonn" not in text


def test_the_secretary_sees_the_phone_the_gp_typed_when_it_differs_from_the_record(
    gp_client: Client, other_gp: User, secretary_client: Client, radiologist_client: Client
) -> None:
    known = PatientFactory(
        birth_name="Rousseau",
        first_names="Jeanne Marie",
        birth_date="1941-03-02",
        nir=NIR,
        phone="01 23 45 67 89",
        email="jeanne@example.invalid",
    )
    ReferralFactory(gp=other_gp, patient=known)
    gp_client.post(NEW, referral_data(patient__phone="06 98 76 54 32"))
    referral = Referral.objects.get(gp__username="dr-gp")
    assert referral.patient == known
    note = "Coordonnées saisies par le médecin différentes du dossier : téléphone</h2>"
    for client, name in (
        (secretary_client, "scheduling:referral"),
        (radiologist_client, "referrals:radiology_referral"),
    ):
        text = client.get(reverse(name, args=[referral.pk])).content.decode()
        assert note in text
        assert "<strong>06 98 76 54 32</strong>" in text and "01 23 45 67 89" in text


def test_the_contact_note_goes_once_the_record_matches(
    gp_client: Client, other_gp: User, secretary_client: Client
) -> None:
    known = PatientFactory(
        birth_name="Rousseau",
        first_names="Jeanne Marie",
        birth_date="1941-03-02",
        nir=NIR,
        email="jeanne@example.invalid",  # as the GP types it: only the phone differs
    )
    known.phone = "01 23 45 67 89"
    known.save()
    ReferralFactory(gp=other_gp, patient=known)
    gp_client.post(NEW, referral_data(patient__phone="06 98 76 54 32"))
    referral = Referral.objects.get(gp__username="dr-gp")
    known.phone = "06 98 76 54 32"  # the secretary called and updated the record
    known.save()
    text = secretary_client.get(reverse("scheduling:referral", args=[referral.pk])).content
    assert "Coordonnées saisies par le médecin".encode() not in text
