"""The engine run on a stored referral: a snapshot of facts, output and ruleset, and the verdict
and dates copied onto the referral for lists."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from eligibility.adapter import evaluate_facts, facts_for_referral
from eligibility.engine import decision_to_dict, facts_to_dict
from referrals.models import (
    EligibilitySnapshot,
    Referral,
)


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
    return snapshot


# --- Referrals --------------------------------------------------------------------------------
