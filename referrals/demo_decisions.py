"""Fictional demo decisions (seed_demo), run after the demo referrals are seeded.

One submitted demo referral that the engine retains is accepted by the demo radiologist, so the
secretary has someone to book. Idempotent: once a demo referral has been accepted, nothing more is
done; with no referral yet, nothing is done either."""

from __future__ import annotations

from django.utils import timezone

from clinic.models import Role, User
from referrals.choices import DecisionKind, Status
from referrals.models import Decision, Referral
from referrals.selectors import WorklistFilters, worklist_referrals
from referrals.services.decisions import PROCEED_VERDICTS, accept_referral, engine_basis


def seed_decisions(users: dict[str, User]) -> None:
    radiologist = next((u for u in users.values() if u.role == Role.RADIOLOGIST), None)
    gps = [u for u in users.values() if u.role == Role.GP]
    if radiologist is None or not gps:
        return
    if Decision.objects.filter(referral__gp__in=gps, kind=DecisionKind.ACCEPT).exists():
        return
    today = timezone.localdate()
    candidates = worklist_referrals(filters=WorklistFilters(status=Status.SUBMITTED), today=today)
    referral: Referral | None = candidates.filter(gp__in=gps, verdict__in=PROCEED_VERDICTS).first()
    if referral is None:
        return
    basis = engine_basis(referral, as_of=today)
    if basis is None or not basis.levels_to_treat:
        return
    accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=basis.levels_to_treat,
        stay="day_hospital",
        anaesthesia=referral.anaesthesia,
        message_to_gp="Patiente vue en staff : indication retenue, convocation à suivre.",
        notify_gp=False,  # the demo mails nobody
    )
