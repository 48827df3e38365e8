"""Radiologist decisions: each transition, who may take it and from where, overrides that need a
justification, traceability (facts, engine output, ruleset, who, when) and immutable history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.append_only import AppendOnlyError
from clinic.errors import DomainError
from clinic.models import User
from referrals.choices import DecisionKind, Status, Stay
from referrals.models import Decision, EligibilitySnapshot, Referral
from referrals.services.decisions import (
    accept_referral,
    decline_referral,
    redirect_to_surgery,
    request_information,
)
from referrals.services.evaluation import referral_evaluate
from tests.factories import GPFactory, RadiologistFactory
from tests.referrals.radiology import submitted_referral

ACCEPT = {"levels_to_treat": ["L1"], "stay": Stay.DAY_HOSPITAL, "anaesthesia": "local"}


def _url(name: str, referral: Referral) -> str:
    return reverse(f"referrals:{name}", args=[referral.pk])


def _post(client: Client, name: str, referral: Referral, data: dict[str, Any]) -> Any:
    referral.refresh_from_db()
    return client.post(
        _url(name, referral), {"based_on": referral.current_decision_id or "", **data}
    )


# --- Accept ---------------------------------------------------------------------------------


def test_radiologist_accepts_an_eligible_referral_and_the_decision_is_traceable(
    radiologist_client: Client, radiologist: User
) -> None:
    referral = submitted_referral()
    moment = (timezone.now() + timedelta(minutes=2)).replace(microsecond=0)

    with time_machine.travel(moment, tick=False):
        response = _post(radiologist_client, "accept", referral, ACCEPT)

    assert response.status_code == 302
    assert response["Location"] == _url("radiology_referral", referral)
    referral.refresh_from_db()
    decision = referral.current_decision
    assert referral.status == Status.ACCEPTED
    assert decision is not None and decision.kind == DecisionKind.ACCEPT
    assert decision.radiologist == radiologist
    assert decision.decided_at == moment
    assert decision.levels_to_treat == ["L1"]
    assert decision.stay == Stay.DAY_HOSPITAL
    assert decision.engine_verdict == "eligible_ideal"
    assert decision.ruleset_version == decision.engine_output["ruleset"]
    assert decision.facts["levels"][0]["level"] == "L1"
    assert [f["rule"] for f in decision.engine_output["findings"]][:2] == [
        "B-LEVEL-SPINE",
        "B-AGE-IDEAL",
    ]
    # The evaluation the decision was made on is stored like any other.
    snapshot = EligibilitySnapshot.objects.filter(referral=referral).first()  # the latest
    assert snapshot is not None and snapshot.reason == "decision"
    assert snapshot.facts == decision.facts
    event = referral.events.get(action="referral.accepted")
    assert event.actor == radiologist
    assert event.data["decision_id"] == decision.pk
    assert event.data["against_engine"] is False


def test_accept_form_offers_the_engines_levels_checked_and_the_gps_anaesthesia(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral(
        levels=[{"level": "T12", "age": 300, "mri_oedema": False}, {"level": "L1", "age": 5}],
        anaesthesia="sedation",
    )

    html = radiologist_client.get(_url("accept", referral)).content.decode()

    assert 'value="L1"  id="id_levels_to_treat_1" checked>' in html
    assert 'value="T12"  id="id_levels_to_treat_0">' in html
    assert "T12 (non retenu par le moteur)" in html
    assert 'value="sedation"  id="id_anaesthesia_1" required checked>' in html


def test_accepting_against_the_engine_requires_a_justification(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral(
        levels=[{"level": "L1", "age": 10, "posterior_wall_involved": True}]
    )
    assert referral.verdict == "needs_review"

    refused = _post(radiologist_client, "accept", referral, ACCEPT)

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Le moteur conclut « Avis du radiologue requis »" in html
    assert 'value="day_hospital"  id="id_stay_0" required checked>' in html
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED and not referral.decisions.exists()

    accepted = _post(
        radiologist_client,
        "accept",
        referral,
        {**ACCEPT, "justification": "Mur postérieur intact au scanner, relu."},
    )

    assert accepted.status_code == 302
    decision = Decision.objects.get(referral=referral)
    assert decision.justification == "Mur postérieur intact au scanner, relu."
    assert referral.events.get(action="referral.accepted").data["against_engine"] is True


def test_treating_a_level_the_engine_did_not_retain_requires_a_justification(
    radiologist: User,
) -> None:
    referral = submitted_referral(
        levels=[{"level": "T12", "age": 250, "mri_oedema": False}, {"level": "L1", "age": 5}]
    )
    assert referral.verdict == "eligible_ideal"

    with pytest.raises(DomainError) as error:
        accept_referral(
            referral=referral, by=radiologist, levels_to_treat=["T12", "L1"], stay="day_hospital",
            anaesthesia="local",
        )  # fmt: skip

    assert error.value.field == "justification"
    decision = accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1", "T12"],
        stay="overnight",
        anaesthesia="local",
        justification="Œdème persistant en T12 à l'IRM.",
    )
    assert decision.levels_to_treat == ["T12", "L1"]  # spine order


def test_accepting_levels_the_referral_does_not_have_is_refused(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral()

    response = _post(radiologist_client, "accept", referral, {**ACCEPT, "levels_to_treat": "L4"})

    assert "Le niveau L4 ne fait pas partie de cette demande." in response.content.decode()
    assert not referral.decisions.exists()


# --- Decline --------------------------------------------------------------------------------


def test_decline_needs_a_reason_and_keeps_what_was_typed(radiologist_client: Client) -> None:
    referral = submitted_referral(levels=[{"level": "L1", "age": 400, "mri_oedema": False}])
    assert referral.verdict == "not_eligible"

    response = _post(radiologist_client, "decline", referral, {"message_to_gp": "À revoir"})

    html = response.content.decode()
    assert "Indiquez le motif du refus : il est expliqué au médecin." in html
    assert "À revoir</textarea>" in html
    assert not referral.decisions.exists()


def test_declining_a_non_eligible_referral_needs_no_justification(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral(levels=[{"level": "L1", "age": 400, "mri_oedema": False}])

    response = _post(
        radiologist_client, "decline", referral, {"reason": "Fracture de plus de 6 mois."}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED
    assert referral.current_decision.reason == "Fracture de plus de 6 mois."  # type: ignore[union-attr]
    assert referral.events.filter(action="referral.declined").count() == 1


def test_declining_an_eligible_referral_requires_a_justification(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral()

    response = _post(radiologist_client, "decline", referral, {"reason": "Patient grabataire."})

    assert "Le moteur conclut « Indication probable — délai idéal »" in response.content.decode()
    assert not referral.decisions.exists()


# --- Request information --------------------------------------------------------------------


def test_request_information_sends_the_referral_back_to_the_gp(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral(mri_available=False)

    empty = _post(radiologist_client, "request_information", referral, {"message_to_gp": " "})
    assert "Écrivez au médecin ce qu’il doit préciser ou joindre." in empty.content.decode()

    response = _post(
        radiologist_client,
        "request_information",
        referral,
        {"message_to_gp": "Merci de joindre le compte rendu d'IRM."},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.INFO_REQUESTED
    assert referral.is_editable_by_gp
    decision = referral.current_decision
    assert decision is not None
    assert decision.message_to_gp == "Merci de joindre le compte rendu d'IRM."
    assert referral.events.filter(action="referral.information_requested").exists()


# --- Redirect to surgery --------------------------------------------------------------------


def test_redirect_for_posterior_arch_involvement_is_prefilled_and_needs_no_justification(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral(
        levels=[{"level": "L2", "age": 10, "posterior_arch_involved": True}]
    )
    assert referral.verdict == "surgical_referral"

    form = radiologist_client.get(_url("redirect_to_surgery", referral)).content.decode()
    assert "L2 : " in form and "arc postérieur" in form.lower()

    response = _post(
        radiologist_client,
        "redirect_to_surgery",
        referral,
        {"reason": "Atteinte de l'arc postérieur en L2 : stabilisation à discuter."},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.SURGERY
    assert referral.events.filter(action="referral.redirected_to_surgery").exists()


def test_redirecting_when_the_engine_did_not_advise_surgery_requires_a_justification(
    radiologist: User,
) -> None:
    referral = submitted_referral(levels=[{"level": "L1", "age": 10, "retropulsion": True}])
    assert referral.verdict == "needs_review"

    with pytest.raises(DomainError):
        redirect_to_surgery(referral=referral, by=radiologist, reason="Recul du mur.")
    decision = redirect_to_surgery(
        referral=referral,
        by=radiologist,
        reason="Recul du mur postérieur.",
        justification="Recul important : avis chirurgical préalable.",
    )
    assert decision.kind == DecisionKind.REDIRECT_SURGERY


# --- Who and from where ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["accept", "decline", "request_information", "redirect_to_surgery"]
)
def test_only_radiologists_decide(
    gp_client: Client, secretary_client: Client, gp: User, name: str
) -> None:
    referral = submitted_referral(gp=gp)

    assert gp_client.post(_url(name, referral), {"reason": "x"}).status_code == 403
    assert secretary_client.post(_url(name, referral), {"reason": "x"}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED and not referral.decisions.exists()


def test_a_gp_cannot_decide_through_the_service_either(gp: User) -> None:
    referral = submitted_referral(gp=gp)

    with pytest.raises(PermissionDenied):
        decline_referral(referral=referral, by=gp, reason="x")
    assert not referral.decisions.exists()


def test_a_draft_cannot_be_decided(radiologist_client: Client) -> None:
    referral = submitted_referral(status=Status.DRAFT)

    assert _post(radiologist_client, "accept", referral, ACCEPT).status_code == 404
    assert not referral.decisions.exists()


def test_a_scheduled_referral_cannot_be_decided_before_its_booking_is_cancelled(
    radiologist_client: Client, radiologist: User
) -> None:
    referral = submitted_referral(status=Status.SCHEDULED)

    page = radiologist_client.get(_url("radiology_referral", referral)).content.decode()
    response = _post(radiologist_client, "decline", referral, {"reason": "x", "justification": "y"})

    assert "annulez d’abord le rendez-vous" in page
    assert _url("decline", referral) not in page
    assert response.status_code == 403
    with pytest.raises(DomainError, match="annulez d’abord le rendez-vous"):
        decline_referral(referral=referral, by=radiologist, reason="x", justification="y")
    referral.refresh_from_db()
    assert referral.status == Status.SCHEDULED and not referral.decisions.exists()


def test_declining_twice_is_refused_with_a_message(radiologist_client: Client) -> None:
    referral = submitted_referral(levels=[{"level": "L1", "age": 400, "mri_oedema": False}])
    _post(radiologist_client, "decline", referral, {"reason": "Trop ancienne."})

    response = _post(radiologist_client, "decline", referral, {"reason": "Encore."})
    page = radiologist_client.get(response["Location"]).content.decode()

    assert "La demande est déjà dans l’état « Indication refusée »." in page
    assert referral.decisions.count() == 1


def test_a_decision_made_meanwhile_by_a_colleague_is_not_silently_superseded(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral()
    colleague = RadiologistFactory(username="dr-collegue")
    shown = radiologist_client.get(_url("accept", referral))
    assert shown.status_code == 200
    request_information(referral=referral, by=colleague, message_to_gp="IRM ?")

    response = radiologist_client.post(_url("accept", referral), {**ACCEPT, "based_on": ""})

    assert "Une autre décision a été enregistrée sur cette demande" in response.content.decode()
    assert referral.decisions.count() == 1


# --- History --------------------------------------------------------------------------------


def test_a_new_decision_supersedes_the_previous_one_and_history_stays_visible(
    radiologist_client: Client, radiologist: User
) -> None:
    referral = submitted_referral()
    first = request_information(referral=referral, by=radiologist, message_to_gp="IRM ?")
    second = accept_referral(
        referral=referral, by=radiologist, levels_to_treat=["L1"], stay="day_hospital",
        anaesthesia="local", based_on=first.pk,
    )  # fmt: skip

    referral.refresh_from_db()
    assert referral.current_decision == second
    assert second.supersedes == first
    html = radiologist_client.get(_url("radiology_referral", referral)).content.decode()
    history = html[html.index('id="decisions-title"') :]
    assert history.index("Indication acceptée") < history.index("Informations demandées")
    assert "en vigueur" in history and "remplacée" in history
    assert "Remplacée par la décision du" in history


def test_decisions_are_never_edited_nor_deleted(radiologist: User) -> None:
    referral = submitted_referral()
    decision = decline_referral(
        referral=referral, by=radiologist, reason="Motif", justification="Écart"
    )

    decision.reason = "Réécrit"
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        decision.delete()
    assert Decision.objects.get(pk=decision.pk).reason == "Motif"


# --- The referral page ----------------------------------------------------------------------


def test_referral_page_shows_findings_grouped_by_level_with_rule_and_source(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral(
        levels=[{"level": "T12", "age": 300, "mri_oedema": False}, {"level": "L1", "age": 5}],
        antithrombotics=["vka"],
    )

    html = radiologist_client.get(_url("radiology_referral", referral)).content.decode()

    t12 = html.index("Niveau T12")
    l1 = html.index("Niveau L1")
    meds = html.index("Traitements et anesthésie")
    assert t12 < html.index("B-AGE-OVER") < l1 < html.index("B-AGE-IDEAL") < meds
    assert meds < html.index("B-VKA")
    assert "Source : Brochure du centre" in html


def test_referral_page_shows_levels_imaging_and_timeline(radiologist_client: Client) -> None:
    referral = submitted_referral(
        levels=[{"level": "S", "age": 5, "sacral_pattern": "H"}], mri_available=False
    )

    html = radiologist_client.get(_url("radiology_referral", referral)).content.decode()

    assert "Sacrum" in html and "En H" in html
    assert "non réalisée" in html
    assert "Demande adressée à la clinique" in html


def test_hostile_free_text_is_shown_as_text(radiologist_client: Client, radiologist: User) -> None:
    hostile = "<script>alert(1)</script> {{ x }}"
    referral = submitted_referral(clinical_note=hostile)
    decline_referral(referral=referral, by=radiologist, reason=hostile, justification=hostile)

    html = radiologist_client.get(_url("radiology_referral", referral)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }}" in html


def test_facts_changed_by_the_gp_after_a_decision_are_shown(
    radiologist_client: Client, radiologist: User
) -> None:
    referral = submitted_referral(mri_available=False, pain_nrs=6)
    request_information(referral=referral, by=radiologist, message_to_gp="IRM ?")
    # The GP completes the referral and resubmits it: the engine runs again.
    Referral.objects.filter(pk=referral.pk).update(
        mri_available=True, pain_nrs=8, status=Status.SUBMITTED
    )
    level = referral.levels.get()
    level.fracture_date = level.fracture_date - timedelta(days=2)  # type: ignore[operator]
    level.save()
    referral.refresh_from_db()
    referral_evaluate(referral=referral, reason="resubmitted")

    html = radiologist_client.get(_url("radiology_referral", referral)).content.decode()

    assert "Le médecin a modifié la demande depuis la décision du" in html
    assert "IRM réalisée" in html
    assert "Douleur (EN 0–10)" in html
    assert "L1 — date de la fracture" in html
    assert "Avis du moteur à la décision : Dossier incomplet" in html


def test_no_change_is_reported_when_the_facts_are_those_of_the_decision(
    radiologist_client: Client, radiologist: User
) -> None:
    referral = submitted_referral()
    request_information(referral=referral, by=radiologist, message_to_gp="IRM ?")

    html = radiologist_client.get(_url("radiology_referral", referral)).content.decode()

    assert "Le médecin a modifié la demande" not in html


def test_another_gps_referral_is_visible_to_every_radiologist(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral(gp=GPFactory(username="dr-ailleurs"))

    assert radiologist_client.get(_url("radiology_referral", referral)).status_code == 200


def test_the_form_warns_before_typing_that_a_justification_will_be_needed(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral()

    decline = radiologist_client.get(_url("decline", referral)).content.decode()
    accept = radiologist_client.get(_url("accept", referral)).content.decode()

    assert "cette décision s’en écarte, justifiez-la ci-dessous" in decline
    assert "cette décision s’en écarte" not in accept
