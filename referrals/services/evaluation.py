"""The engine run on a stored referral: a snapshot of facts, output and ruleset, and the verdict
and dates copied onto the referral for lists."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from eligibility.adapter import evaluate_facts, facts_for_referral
from eligibility.engine import RULESET_VERSION, decision_to_dict, facts_to_dict
from referrals.choices import Status
from referrals.models import (
    EligibilitySnapshot,
    Referral,
)
from referrals.services.timeline import log_event

# Referrals not yet treated: their dates and plan follow the current ruleset. A decision already
# taken keeps the verdict and findings it was made on (Decision rows are never rewritten).
NOT_YET_TREATED = (Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED, Status.SCHEDULED)
RULESET_CHANGED = "referral.ruleset_changed"


@transaction.atomic
def referral_evaluate(*, referral: Referral, reason: str) -> EligibilitySnapshot | None:
    """Run the engine on the referral's stored facts, store the snapshot (facts, output, ruleset
    version) and copy the verdict and dates onto the referral for lists.

    Returns None when the referral has no level (nothing to evaluate)."""
    facts = facts_for_referral(referral, as_of=timezone.localdate())
    decision = evaluate_facts(facts)
    if decision is None:
        return None
    output = decision_to_dict(decision, lang="fr")
    previous = (
        EligibilitySnapshot.objects.filter(referral=referral)
        .order_by("-created_at", "-id")
        .values("ruleset_version", "verdict")
        .first()
    )
    snapshot = EligibilitySnapshot.objects.create(
        referral=referral,
        reason=reason,
        ruleset_version=decision.ruleset,
        verdict=str(decision.verdict),
        facts=facts_to_dict(facts),
        output=output,
    )
    treatable = [lv for lv in decision.levels if lv.level in decision.procedure.levels_to_treat]
    candidates = treatable or list(decision.levels)
    ideal = [lv.ideal_until for lv in candidates if lv.ideal_until]
    latest = [lv.latest_until for lv in candidates if lv.latest_until]
    referral.verdict = str(decision.verdict)
    referral.ideal_until = min(ideal) if ideal else None
    referral.latest_until = min(latest) if latest else None
    referral.target_before = decision.target_before
    referral.earliest_procedure_date = decision.earliest_procedure_date
    referral.urgent = decision.urgent
    referral.save(
        update_fields=[
            "verdict",
            "urgent",
            "ideal_until",
            "latest_until",
            "target_before",
            "earliest_procedure_date",
            "updated_at",
        ]
    )
    if previous is not None and previous["ruleset_version"] != decision.ruleset:
        # The timeline says why the advice may have changed without the facts changing.
        log_event(
            referral=referral,
            action=RULESET_CHANGED,
            actor=None,
            data={
                "from": previous["ruleset_version"],
                "to": decision.ruleset,
                "verdict_before": previous["verdict"],
                "verdict_after": str(decision.verdict),
                "reason": reason,
            },
        )
    return snapshot


def referral_follow_ruleset(*, referral: Referral) -> EligibilitySnapshot | None:
    """Evaluate a referral not yet treated again when its latest evaluation was made under
    another ruleset (when it is opened, or by ``manage.py reevaluate_referrals``); None when
    nothing had to be done."""
    if referral.status not in NOT_YET_TREATED:
        return None
    latest = (
        EligibilitySnapshot.objects.filter(referral=referral)
        .order_by("-created_at", "-id")
        .values_list("ruleset_version", flat=True)
        .first()
    )
    if latest is None or latest == RULESET_VERSION:
        return None
    return referral_evaluate(referral=referral, reason="ruleset_changed")


# --- Referrals --------------------------------------------------------------------------------
