"""The closed loop: the radiologist asks for information, the GP sees the question, answers,
edits and resubmits; the engine runs again and the timeline says what changed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.choices import DecisionKind, Status
from referrals.models import Decision, EligibilitySnapshot, Referral
from tests.referrals.form_data import level, pdf, referral_data

QUESTION = "Pouvez-vous joindre le compte rendu de l'IRM et préciser la date du scanner ?"


@pytest.fixture
def asked(gp_client: Client, radiologist: User) -> Referral:
    """A submitted referral on which the radiologist requested information."""
    gp_client.post(reverse("referrals:gp_referral_new"), referral_data(facts__mri_available=None))
    referral = Referral.objects.get()
    snapshot = EligibilitySnapshot.objects.get(referral=referral)
    decision = Decision.objects.create(
        referral=referral,
        kind=DecisionKind.REQUEST_INFORMATION,
        radiologist=radiologist,
        decided_at=timezone.now(),
        ruleset_version=snapshot.ruleset_version,
        engine_verdict=snapshot.verdict,
        facts=snapshot.facts,
        engine_output=snapshot.output,
        message_to_gp=QUESTION,
    )
    referral.status = Status.INFO_REQUESTED
    referral.current_decision = decision
    referral.save(update_fields=["status", "current_decision"])
    return referral


def _edit(referral: Referral) -> str:
    return reverse("referrals:gp_referral_edit", args=[referral.pk])


def test_the_gp_sees_the_question_on_home_page_and_referral_page(
    gp_client: Client, asked: Referral
) -> None:
    home = gp_client.get(reverse("home_gp")).content.decode()
    assert "Le radiologue attend votre réponse sur 1 demande" in home
    assert "Répondre au radiologue et renvoyer" in home
    page = gp_client.get(reverse("referrals:gp_referral_detail", args=[asked.pk]))
    text = page.content.decode()
    assert "Le radiologue vous demande des informations" in text
    assert "Pouvez-vous joindre le compte rendu de l&#x27;IRM" in text
    assert "Dr Hélène Lefèvre" in text
    assert _edit(asked) in text


def test_the_edit_form_shows_the_question_and_only_offers_to_resubmit(
    gp_client: Client, asked: Referral
) -> None:
    page = gp_client.get(_edit(asked)).content.decode()
    assert "Pouvez-vous joindre le compte rendu de l&#x27;IRM" in page
    assert "Votre réponse au radiologue" in page
    assert "Renvoyer la demande complétée" in page
    assert "Enregistrer le brouillon" not in page
    assert 'value="Rousseau"' in page  # the stored referral comes back for editing


def test_the_gp_answers_completes_and_resubmits(gp_client: Client, asked: Referral) -> None:
    data = referral_data(
        levels=[level(0, "L1"), level(1, "T12", days_ago=12)],
        initial_levels=1,
        facts__ct_date="2026-01-10",
        facts__mri_available=None,
        reply__reply="Compte rendu joint ; scanner fait en ville.",
    ) | {"files-mri_report": pdf("irm.pdf")}
    response = gp_client.post(_edit(asked), data)
    assert response["Location"] == reverse("referrals:gp_referral_detail", args=[asked.pk])
    asked.refresh_from_db()
    assert asked.status == "submitted"
    assert asked.mri_available is True and asked.ct_date is not None  # the report proves it
    assert asked.attachments.count() == 1
    latest = asked.snapshots.order_by("-created_at", "-id").first()
    assert asked.snapshots.count() == 2
    assert latest.reason == "facts_changed"
    assert [lv["level"] for lv in latest.facts["levels"]] == ["T12", "L1"]
    events = {e.action: e.data for e in asked.events.all()}
    assert "referral.draft_saved" not in events  # not a draft: the resubmission tells it all
    # The MRI's report attached proves the MRI: the referral is complete now.
    assert events["referral.facts_changed"] == {"from": "incomplete", "to": "eligible_ideal"}
    assert (
        events["referral.resubmitted"]["message"] == "Compte rendu joint ; scanner fait en ville."
    )
    page = gp_client.get(response["Location"]).content.decode()
    assert "Demande complétée et renvoyée au radiologue." in page
    assert "Données cliniques modifiées, éligibilité recalculée" in page
    assert "Compte rendu joint ; scanner fait en ville." in page
    assert "Le radiologue vous demande des informations" not in page


def test_changing_a_fact_that_changes_the_verdict_is_recorded(
    gp_client: Client, asked: Referral
) -> None:
    data = referral_data(levels=[level(0, "L1")], initial_levels=1)  # MRI now done
    gp_client.post(_edit(asked), data)
    asked.refresh_from_db()
    assert asked.verdict == "eligible_ideal"
    change = asked.events.get(action="referral.facts_changed")
    assert change.data == {"from": "incomplete", "to": "eligible_ideal"}


def test_resubmitting_unchanged_facts_says_so(gp_client: Client, asked: Referral) -> None:
    data = referral_data(
        levels=[level(0, "L1")], initial_levels=1, facts__mri_available=None, reply__reply="Non."
    )
    gp_client.post(_edit(asked), data)
    asked.refresh_from_db()
    assert asked.status == "submitted"
    assert asked.snapshots.order_by("-created_at", "-id").first().reason == "resubmitted"
    assert not asked.events.filter(action="referral.facts_changed").exists()
    assert asked.events.get(action="referral.resubmitted").data["facts_changed"] is False


def test_sending_back_without_a_reply_or_a_change_is_refused_and_says_why(
    gp_client: Client, asked: Referral
) -> None:
    data = referral_data(
        levels=[level(0, "L1")], initial_levels=1, facts__mri_available=None, reply__reply="  "
    )

    response = gp_client.post(_edit(asked), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Répondez à la question du radiologue, ou complétez la demande" in page
    asked.refresh_from_db()
    assert asked.status == "info_requested"
    assert asked.snapshots.count() == 1
    assert not asked.events.filter(action="referral.resubmitted").exists()


def test_after_sending_back_the_page_says_what_the_gp_did(
    gp_client: Client, asked: Referral
) -> None:
    """Only a change, no reply: the page does not claim the GP replied."""
    data = referral_data(levels=[level(0, "L1")], initial_levels=1)  # the MRI is now done

    response = gp_client.post(_edit(asked), data)

    page = gp_client.get(response["Location"]).content.decode()
    assert "Vous avez renvoyé la demande complétée" in page
    assert "Vous avez répondu" not in page


def test_a_resubmission_with_errors_keeps_the_question_open(
    gp_client: Client, asked: Referral
) -> None:
    data = referral_data(levels=[], initial_levels=1)
    page = gp_client.post(_edit(asked), data).content.decode()
    assert "Indiquez au moins un niveau fracturé pour adresser la demande." in page
    asked.refresh_from_db()
    assert asked.status == "info_requested"
    assert asked.levels.count() == 1


def test_saving_without_resubmitting_is_not_possible_once_submitted(
    gp_client: Client, asked: Referral
) -> None:
    """Facts of a referral the clinic holds change only with a new evaluation."""
    gp_client.post(_edit(asked), referral_data(action="save", levels=[level(0, "T12")]))
    asked.refresh_from_db()
    assert asked.status == "submitted"
    assert asked.snapshots.order_by("-created_at", "-id").first().facts["levels"][0]["level"] == (
        "T12"
    )


def test_another_gp_cannot_answer(other_gp_client: Client, asked: Referral) -> None:
    assert other_gp_client.post(_edit(asked), referral_data()).status_code == 404
    asked.refresh_from_db()
    assert asked.status == "info_requested"


def test_the_worklist_level_filter_follows_the_levels_the_gp_changed(
    gp_client: Client, asked: Referral, radiologist_client: Client
) -> None:
    worklist = reverse("home_radiologist")

    def listed(code: str) -> bool:
        page = radiologist_client.get(worklist, {"level": code}).content.decode()
        return reverse("referrals:radiology_referral", args=[asked.pk]) in page

    assert listed("L1") and not listed("T12")
    data = referral_data(
        levels=[level(0, "L1", DELETE="on"), level(1, "T12", days_ago=12)],
        initial_levels=1,
        reply__reply="Le niveau est T12, pas L1.",
    )
    gp_client.post(_edit(asked), data)

    asked.refresh_from_db()
    assert asked.status == "submitted"
    assert listed("T12") and not listed("L1")
    assert not listed("T1")  # a code is never found inside another one (T12)
