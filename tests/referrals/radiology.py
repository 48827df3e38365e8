"""Submitted referrals for the radiologist's tests, built with the factories and evaluated by the
engine the way a GP's submission is (referral_evaluate)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from clinic.models import User
from referrals.choices import Status
from referrals.models import Referral
from referrals.services.evaluation import referral_evaluate
from referrals.services.timeline import log_event
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory


def submitted_referral(
    *,
    gp: User | None = None,
    levels: Sequence[dict[str, Any]] = ({"level": "L1", "age": 10},),
    submitted_days_ago: int = 1,
    patient: dict[str, Any] | None = None,
    **fields: Any,
) -> Referral:
    """A referral as the GP submitted it: levels with fracture ages in days, then evaluated."""
    today = timezone.localdate()
    if gp is not None:
        fields["gp"] = gp
    fields.setdefault("status", Status.SUBMITTED)
    sent = fields["status"] not in (Status.DRAFT, Status.DISCARDED)
    referral = ReferralFactory(
        submitted_at=timezone.now() - timedelta(days=submitted_days_ago) if sent else None,
        patient=PatientFactory(**(patient or {})),
        **fields,
    )
    for spec in levels:
        spec = dict(spec)
        age = spec.pop("age", 10)
        FractureLevelFactory(
            referral=referral,
            fracture_date=None if age is None else today - timedelta(days=age),
            **spec,
        )
    log_event(referral=referral, action="referral.submitted", actor=referral.gp)
    referral_evaluate(referral=referral, reason="submitted")
    referral.refresh_from_db()
    return referral
