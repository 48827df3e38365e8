"""Accepted referrals and sessions for scheduling tests, without going through the radiologist's
pages (built by another work item): the engine evaluates the referral, then an accept Decision is
written the way referrals/services/decisions.py writes it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from clinic.models import User
from referrals.choices import DecisionKind, Status, Stay
from referrals.models import Decision, Patient, Referral
from referrals.services.evaluation import referral_evaluate
from scheduling.models import DaySession
from tests.factories import FractureLevelFactory, RadiologistFactory, ReferralFactory


def accepted_referral(
    *,
    levels: Iterable[str] = ("L1",),
    fracture_age_days: int = 10,
    antithrombotics: Iterable[str] = (),
    anaesthesia: str = "local",
    stay: str = Stay.DAY_HOSPITAL,
    radiologist: User | None = None,
    patient: Patient | None = None,
    gp: User | None = None,
    **referral_fields: Any,
) -> Referral:
    """A referral the engine evaluated today and a radiologist accepted just now."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "status": Status.SUBMITTED,
        "antithrombotics": list(antithrombotics),
        "anaesthesia": anaesthesia,
        "submitted_at": now,
        **referral_fields,
    }
    if patient is not None:
        fields["patient"] = patient
    if gp is not None:
        fields["gp"] = gp
    referral = ReferralFactory(**fields)
    fracture_date = timezone.localdate() - timedelta(days=fracture_age_days)
    level_list = list(levels)
    for level in level_list:
        FractureLevelFactory(referral=referral, level=level, fracture_date=fracture_date)
    snapshot = referral_evaluate(referral=referral, reason="submitted")
    assert snapshot is not None
    decision = Decision.objects.create(
        referral=referral,
        kind=DecisionKind.ACCEPT,
        radiologist=radiologist or RadiologistFactory(),
        decided_at=now,
        ruleset_version=snapshot.ruleset_version,
        engine_verdict=snapshot.verdict,
        facts=snapshot.facts,
        engine_output=snapshot.output,
        levels_to_treat=level_list,
        stay=stay,
        anaesthesia=anaesthesia,
    )
    referral.status = Status.ACCEPTED
    referral.current_decision = decision
    referral.save(update_fields=["status", "current_decision", "updated_at"])
    return referral


def day_session(
    day: date,
    *,
    radiologist: User | None = None,
    room: str = "Salle 1",
    start: time = time(8, 0),
    end: time = time(13, 0),
    procedure_minutes: int = 240,
    day_places: int = 4,
    overnight_beds: int = 1,
) -> DaySession:
    radiologist = radiologist or RadiologistFactory()
    return DaySession.objects.create(
        date=day,
        room=room,
        radiologist=radiologist,
        start_time=start,
        end_time=end,
        procedure_minutes=procedure_minutes,
        day_places=day_places,
        overnight_beds=overnight_beds,
        created_by=radiologist,
    )


def next_weekday(start: date, weekday: int) -> date:
    """The first `weekday` (0 = Monday) on or after `start`."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)
