"""The demo leaves one accepted referral for the secretary to book, idempotently."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from clinic.demo import seed_users
from referrals.choices import DecisionKind, Status
from referrals.demo_decisions import seed_decisions
from referrals.models import Decision, Referral
from tests.referrals.radiology import submitted_referral


def test_seeding_decisions_without_referrals_does_nothing(db: None) -> None:
    seed_decisions(seed_users())

    assert not Decision.objects.exists()


def test_one_retained_demo_referral_is_accepted_once(db: None) -> None:
    users = seed_users()
    submitted_referral(gp=users["medecin"], levels=[{"level": "L1", "age": 400}])
    retained = submitted_referral(gp=users["medecin"], levels=[{"level": "T11", "age": 12}])

    seed_decisions(users)
    seed_decisions(users)

    decision = Decision.objects.get()
    assert decision.referral == retained
    assert decision.kind == DecisionKind.ACCEPT
    assert decision.levels_to_treat == ["T11"]
    assert decision.radiologist == users["radiologue"]
    assert Referral.objects.get(pk=retained.pk).status == Status.ACCEPTED


def test_seed_demo_leaves_an_accepted_referral(db: None, settings: Any) -> None:
    settings.DEBUG = True

    call_command("seed_demo", quiet_logins=True)
    decisions = Decision.objects.count()
    call_command("seed_demo", quiet_logins=True)

    assert Decision.objects.count() == decisions  # nothing more the second time
    # Besides the demo's history (procedures done, today's session: procedures/demo.py), one
    # referral is left for the desk to book by hand (the scheduling demo books another).
    assert Referral.objects.filter(status=Status.ACCEPTED).count() == 1
