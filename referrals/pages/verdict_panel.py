"""The context of templates/eligibility/_verdict_panel.html, from engine output (a live evaluation
of the form being typed, or a stored snapshot). Any page can include the panel:

    {% include "eligibility/_verdict_panel.html" with panel=panel %}

with `panel = verdict_panel(output)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import get_language

from eligibility.adapter import evaluate_facts, facts_for_referral
from eligibility.engine import OPTION_LABELS, decision_to_dict
from referrals.models import FractureLevel, Patient, Referral
from referrals.pages.presentation import VERDICT_BADGES, action_label, group_findings, verdict_label
from scheduling.plan import plan_lines

# Actions that say what the file lacks (shown as "à compléter"); the others are next steps.
MISSING_ACTIONS = ("book_ct", "book_mri", "date_fracture")
# What the engine says of a level without a date: wrong when the GP typed one the form refused.
UNDATED_RULES = ("B-AGE-UNKNOWN", "B-AGE-UNKNOWN-OEDEMA")


def _lang() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def verdict_panel(
    output: dict[str, Any] | None,
    *,
    live: bool = False,
    errors: Sequence[dict[str, str]] = (),
    refused_dates: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the panel shows: verdict, findings by level, what is missing, next steps.

    `errors` (live only): the values typed that the engine does not see, each with the label of
    its field; `refused_dates`: level → why its typed fracture date was refused (the engine,
    seeing no date, would say it is unknown)."""
    if not output:
        return {"empty": True, "live": live, "errors": list(errors)}
    actions = list(output.get("actions") or [])
    procedure = output.get("procedure") or {}
    groups = group_findings(output)
    for group in groups:
        refusal = (refused_dates or {}).get(group.level or "")
        if refusal:
            group.findings = [
                {**f, "message": refusal, "refused": True} if f.get("rule") in UNDATED_RULES else f
                for f in group.findings
            ]
    return {
        "empty": False,
        "live": live,
        "errors": list(errors),
        "verdict": output["verdict"],
        "verdict_label": verdict_label(output["verdict"]),
        "badge": VERDICT_BADGES.get(output["verdict"], "text-bg-secondary"),
        "groups": groups,
        "missing": [action_label(a) for a in actions if a in MISSING_ACTIONS],
        "next_steps": [action_label(a) for a in actions if a not in MISSING_ACTIONS],
        # A procedure date means nothing while surgery comes first or nothing is indicated.
        "shows_dates": output["verdict"] not in ("surgical_referral", "not_eligible"),
        "levels_to_treat": procedure.get("levels_to_treat") or [],
        "duration_minutes": procedure.get("duration_minutes"),
        "act_label": procedure.get("act_label"),
        "earliest_procedure_date": _as_date(output.get("earliest_procedure_date")),
        "target_before": _as_date(output.get("target_before")),
        "medication_plan": plan_lines(output.get("medication_plan") or []),
        # Why the ideal window is missed: the holds put the first possible day past it.
        "ideal_missed": [
            f for f in output.get("findings") or [] if f.get("rule") == "B-IDEAL-MISSED"
        ],
        "options": [
            {
                "label": OPTION_LABELS.get(o.get("id"), {}).get(_lang(), o.get("id")),
                "verdict_label": verdict_label(o.get("verdict", "")),
                "earliest_procedure_date": _as_date(o.get("earliest_procedure_date")),
            }
            for o in output.get("options") or []
        ],
        "urgent": bool(output.get("urgent")),
        "ruleset": output.get("ruleset", ""),
        "as_of": _as_date(output.get("as_of")),
    }


def evaluate_unsaved(
    referral: Referral, *, levels: list[FractureLevel], patient: Patient | None, as_of: date
) -> dict[str, Any] | None:
    """The engine's output on facts not saved yet (the form as typed), in the active language."""
    facts = facts_for_referral(referral, as_of=as_of, levels=levels, patient=patient)
    decision = evaluate_facts(facts)
    if decision is None:
        return None
    lang = "en" if (get_language() or "fr").startswith("en") else "fr"
    return decision_to_dict(decision, lang=lang)


def evaluate_stored(referral: Referral, *, as_of: date) -> dict[str, Any] | None:
    """The engine's output on a draft's stored facts (no snapshot is written for drafts)."""
    lang = "en" if (get_language() or "fr").startswith("en") else "fr"
    decision = evaluate_facts(facts_for_referral(referral, as_of=as_of))
    return decision_to_dict(decision, lang=lang) if decision is not None else None
