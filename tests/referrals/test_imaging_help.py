"""What the pages say happens after an examination done at the centre: the report reaches the
radiologist and the GP; the GP does not complete a referral they can no longer edit."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.choices import Status
from tests.factories import FractureLevelFactory, ReferralFactory


def test_the_gp_form_says_who_does_a_missing_exam_and_who_gets_the_report(
    gp_client: Client,
) -> None:
    page = gp_client.get(reverse("referrals:gp_referral_new")).content.decode()
    assert "le centre le réalise, le secrétariat donne le rendez-vous au patient" in page
    assert "Vous n’aurez pas à compléter la demande, sauf si le radiologue vous le demande" in page


def test_the_desk_is_not_told_that_the_gp_completes_the_referral_after_the_exam(
    secretary_client: Client, gp: User
) -> None:
    referral = ReferralFactory(gp=gp, status=Status.SUBMITTED, mri_available=False)
    FractureLevelFactory(referral=referral)
    page = secretary_client.get(reverse("scheduling:imaging", args=[referral.pk])).content
    text = page.decode()
    assert "il complète la demande" not in text
    assert "Le compte rendu de l’examen est transmis au radiologue et au médecin adresseur" in text
