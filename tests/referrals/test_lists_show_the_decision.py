"""Once a radiologist has decided, the GP's list and the worklist show the decision, not the
engine's verdict (which stays for referrals still waiting for one)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Referral
from referrals.services.decisions import accept_referral
from tests.referrals.radiology import submitted_referral


def _accepted_though_incomplete(gp: User, radiologist: User) -> Referral:
    # No MRI: the engine says « Dossier incomplet »; the radiologist accepts anyway.
    referral = submitted_referral(gp=gp, mri_available=False)
    assert referral.verdict == "incomplete"
    accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1"],
        stay="day_hospital",
        anaesthesia="local",
        justification="IRM faite au centre le jour du geste.",
    )
    return referral


def _row(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</tr>", start)]


def test_the_gp_list_shows_the_decision_once_taken(
    gp_client: Client, gp: User, radiologist: User
) -> None:
    accepted = _accepted_though_incomplete(gp, radiologist)
    waiting = submitted_referral(gp=gp, patient={"birth_name": "ATTENTE"})
    page = gp_client.get(reverse("home_gp")).content.decode()
    row = _row(page, f"Demande n° {accepted.pk} ")
    assert "Radiologue : Indication acceptée" in row
    assert "Dossier incomplet" not in row
    row = _row(page, f"Demande n° {waiting.pk} ")
    assert "Moteur : " in row


def test_the_worklist_history_shows_the_decision_once_taken(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    accepted = _accepted_though_incomplete(gp, radiologist)
    page = radiologist_client.get(reverse("home_radiologist") + "?status=accepted")
    row = _row(page.content.decode(), f"demande n° {accepted.pk}<")
    assert "Indication acceptée" in row
    assert "Dossier incomplet" not in row
