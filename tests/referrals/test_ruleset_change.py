"""A new ruleset (2027.1): a referral not yet treated is evaluated again when opened (or by
manage.py reevaluate_referrals) and its timeline says so; a decision keeps the verdict and
findings it was made on, but booking never reads the holds stored under the old ruleset."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from clinic.models import User
from eligibility.engine import RULESET_VERSION
from referrals.choices import Status
from referrals.models import Decision, EligibilitySnapshot, Referral
from referrals.services.decisions import accept_referral
from scheduling.plan import decision_plan
from tests.referrals.radiology import submitted_referral
from tests.scheduling.helpers import accepted_referral


@pytest.fixture
def frozen_friday() -> object:
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False) as traveller:
        yield traveller


def _as_if_2026(referral: Referral) -> None:
    """The latest evaluation as 2026.1 stored it (append-only rows: a new one on top)."""
    latest = referral.snapshots.first()
    assert latest is not None
    EligibilitySnapshot.objects.create(
        referral=referral,
        reason="submitted",
        ruleset_version="2026.1",
        verdict="eligible",
        facts=latest.facts,
        output={**latest.output, "ruleset": "2026.1"},
    )


def test_opening_a_referral_evaluated_under_2026_1_evaluates_it_again_and_says_so(
    radiologist_client: Client,
) -> None:
    referral = submitted_referral()
    _as_if_2026(referral)
    page = radiologist_client.get(reverse("referrals:radiology_referral", args=[referral.pk]))
    assert page.status_code == 200
    assert referral.snapshots.first().ruleset_version == RULESET_VERSION  # type: ignore[union-attr]
    event = referral.events.get(action="referral.ruleset_changed")
    assert event.data["from"] == "2026.1" and event.data["to"] == RULESET_VERSION
    assert "Éligibilité recalculée selon les nouvelles règles" in page.content.decode()
    # Opening it again changes nothing more.
    radiologist_client.get(reverse("referrals:radiology_referral", args=[referral.pk]))
    assert referral.events.filter(action="referral.ruleset_changed").count() == 1


def test_the_command_evaluates_again_every_referral_not_yet_treated_once(db: None) -> None:
    waiting, current = submitted_referral(), submitted_referral()
    _as_if_2026(waiting)
    out = io.StringIO()
    call_command("reevaluate_referrals", stdout=out)
    assert "1 referral(s)" in out.getvalue()
    assert waiting.events.filter(action="referral.ruleset_changed").count() == 1
    assert not current.events.filter(action="referral.ruleset_changed").exists()
    call_command("reevaluate_referrals", stdout=io.StringIO())
    assert waiting.events.filter(action="referral.ruleset_changed").count() == 1


def test_a_decision_under_2026_1_keeps_its_verdict_but_booking_uses_the_2027_1_plan(
    frozen_friday: object, db: None
) -> None:
    referral = accepted_referral(antithrombotics=["dabigatran"], creatinine_clearance=40)
    decision = referral.current_decision
    assert decision is not None
    # As 2026.1 stored it: a DOAC « 2 days » hold and no medication plan.
    old_output = {
        key: value
        for key, value in decision.engine_output.items()
        if key not in ("medication_plan", "preparation", "options")
    }
    old_output |= {"ruleset": "2026.1", "holds": [{"action": "doac_hold", "days": 2}]}
    # Decision rows are append-only: the 2026.1 decision is built beside the stored one.
    old = Decision(
        referral=referral,
        kind=decision.kind,
        facts=decision.facts,
        engine_output=old_output,
        ruleset_version="2026.1",
        engine_verdict="eligible_ideal",
        anaesthesia="local",
    )
    plan = decision_plan(old, today=date(2026, 12, 4))
    assert plan.source == "recomputed"
    assert plan.holds() == {"dabigatran": 5}  # below 50 mL/min: last dose J−5, not 2026.1's J−2
    assert old.engine_verdict == "eligible_ideal"  # what was decided stays as it was


def test_the_gp_opening_a_referral_evaluated_under_2026_1_evaluates_it_again_once(
    gp: User, gp_client: Client
) -> None:
    referral = submitted_referral(gp=gp)
    _as_if_2026(referral)
    url = reverse("referrals:gp_referral_detail", args=[referral.pk])
    html = gp_client.get(url).content.decode()
    assert referral.snapshots.first().ruleset_version == RULESET_VERSION  # type: ignore[union-attr]
    assert "Éligibilité recalculée selon les nouvelles règles" in html
    # The event names the verdict it reached, not the ruleset's number as a verdict.
    assert "Non évalué" not in html
    gp_client.get(url)
    assert referral.events.filter(action="referral.ruleset_changed").count() == 1


def test_the_gp_opening_the_form_of_a_question_evaluates_it_again(
    gp: User, gp_client: Client
) -> None:
    referral = submitted_referral(gp=gp, status=Status.INFO_REQUESTED)
    _as_if_2026(referral)
    assert (
        gp_client.get(reverse("referrals:gp_referral_edit", args=[referral.pk])).status_code == 200
    )
    assert referral.events.filter(action="referral.ruleset_changed").count() == 1


def test_a_decided_referral_keeps_the_evaluation_it_was_decided_on(
    gp: User, gp_client: Client, radiologist_client: Client
) -> None:
    referral = submitted_referral(gp=gp, status=Status.DECLINED)
    _as_if_2026(referral)
    gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))
    radiologist_client.get(reverse("referrals:radiology_referral", args=[referral.pk]))
    assert referral.snapshots.first().ruleset_version == "2026.1"  # type: ignore[union-attr]
    assert not referral.events.filter(action="referral.ruleset_changed").exists()


def test_a_decision_on_a_referral_evaluated_under_2026_1_says_the_ruleset_changed(
    radiologist: User,
) -> None:
    referral = submitted_referral()
    _as_if_2026(referral)
    accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1"],
        stay="day_hospital",
        anaesthesia="local",
    )
    event = referral.events.get(action="referral.ruleset_changed")
    assert event.data["reason"] == "decision"
    assert referral.current_decision.ruleset_version == RULESET_VERSION  # type: ignore[union-attr]
