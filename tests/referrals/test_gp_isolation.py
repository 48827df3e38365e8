"""A GP sees only their own referrals, patients and documents: another GP's ids are 404s and
change nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Referral
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory
from tests.referrals.form_data import referral_data


@pytest.fixture
def others_draft(other_gp: User) -> Referral:
    referral = ReferralFactory(gp=other_gp, patient=PatientFactory(birth_name="Secret"))
    FractureLevelFactory(referral=referral)
    return referral


@pytest.mark.parametrize("url_name", ["gp_referral_detail", "gp_referral_edit"])
def test_a_gp_cannot_open_another_gps_referral(
    gp_client: Client, others_draft: Referral, url_name: str
) -> None:
    response = gp_client.get(reverse(f"referrals:{url_name}", args=[others_draft.pk]))
    assert response.status_code == 404
    assert "Secret" not in response.content.decode().upper().title()


def test_a_gp_cannot_change_another_gps_draft(gp_client: Client, others_draft: Referral) -> None:
    url = reverse("referrals:gp_referral_edit", args=[others_draft.pk])
    response = gp_client.post(url, referral_data(patient__birth_name="Pirate"))
    assert response.status_code == 404
    others_draft.refresh_from_db()
    assert others_draft.status == "draft"
    assert others_draft.patient.birth_name == "Secret"
    assert not others_draft.events.exists()


def test_an_unknown_id_looks_like_another_gps(gp_client: Client) -> None:
    response = gp_client.get(reverse("referrals:gp_referral_detail", args=[999999]))
    assert response.status_code == 404


def test_the_home_page_lists_only_the_gps_own_referrals(
    gp_client: Client, gp: User, others_draft: Referral
) -> None:
    mine = ReferralFactory(gp=gp, patient=PatientFactory(birth_name="Mienne"))
    page = gp_client.get(reverse("home_gp")).content.decode()
    assert "MIENNE" in page
    assert "SECRET" not in page
    assert reverse("referrals:gp_referral_detail", args=[mine.pk]) in page
    assert reverse("referrals:gp_referral_detail", args=[others_draft.pk]) not in page


@pytest.mark.parametrize(
    "url_name",
    ["gp_referral_new", "gp_referral_preview", "gp_level_row"],
)
def test_clinic_staff_cannot_use_the_gp_form(
    radiologist_client: Client, secretary_client: Client, url_name: str
) -> None:
    url = reverse(f"referrals:{url_name}")
    for client in (radiologist_client, secretary_client):
        assert client.get(url).status_code in (403, 405)
        assert client.post(url, referral_data()).status_code in (403, 405)
    assert not Referral.objects.exists()


def test_the_gp_referral_page_is_for_gps(radiologist_client: Client, gp: User) -> None:
    referral = ReferralFactory(gp=gp, status="submitted")
    url = reverse("referrals:gp_referral_detail", args=[referral.pk])
    assert radiologist_client.get(url).status_code == 403
