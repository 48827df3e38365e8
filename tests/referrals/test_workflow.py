"""The workflow table (referrals/workflow.py): its diagram, its refusals, and the steps this table
added (arrival, procedure, no-show and the desk's closing of an accepted referral)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from clinic.errors import DomainError
from clinic.models import User
from referrals import workflow
from referrals.choices import Status
from referrals.models import Referral
from tests.factories import ReferralFactory

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_the_workflow_page_draws_the_table() -> None:
    assert f"```mermaid\n{workflow.mermaid()}```" in DOC.read_text(), (
        "docs/workflow.md is out of date: paste `manage.py workflow_diagram` in its block"
    )


def test_every_status_is_reached_by_a_transition_but_the_first() -> None:
    targets = {t.target for t in workflow.TRANSITIONS.values()}
    assert set(Status.values) - targets == {Status.DRAFT}


def test_every_transition_has_an_event_label_and_a_refusal() -> None:
    from referrals.choices import TimelineAction

    for transition in workflow.TRANSITIONS.values():
        assert transition.event in TimelineAction.values, transition.name
        assert str(transition.label) and str(transition.refusal), transition.name


@pytest.mark.django_db
def test_a_refusal_names_the_status_and_what_to_do(secretary: User) -> None:
    referral = ReferralFactory(status=Status.SCHEDULED)

    with pytest.raises(DomainError, match="annulez d’abord le rendez-vous"):
        workflow.apply_transition(referral=referral, name="close", by=secretary)
    referral.refresh_from_db()
    assert referral.status == Status.SCHEDULED
    assert not referral.events.exists()


@pytest.mark.django_db
def test_a_role_the_table_does_not_name_is_denied(gp: User, radiologist: User) -> None:
    referral = ReferralFactory(status=Status.ACCEPTED)

    with pytest.raises(PermissionDenied):
        workflow.apply_transition(referral=referral, name="close", by=radiologist)
    another_gps = ReferralFactory(status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):  # another GP's referral, even in the right status
        workflow.apply_transition(referral=another_gps, name="withdraw", by=gp)


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_status_and_a_pain_score_of_14() -> None:
    referral = ReferralFactory(status=Status.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status="lost")
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(pain_nrs=14)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(submitted_at=None)
