"""What each referral document shows: the indication report (radiologist's file), the decision
letter to the GP and the surgical referral letter. Context builders only read; they never write.

The engine output a document shows is the one the decision was made on (Decision.engine_output),
or, before any decision, the latest stored evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from eligibility.engine import ACT_LABELS, RULES_BY_ID
from eligibility.engine.evaluate import DURATION_MINUTES
from eligibility.engine.labels import ACT_ONE_OR_TWO, ACT_THREE_OR_MORE
from referrals.choices import Antithrombotic, DecisionKind, Verdict
from referrals.models import Decision, FractureLevel, Patient, Referral
from referrals.pages.clinical_facts import clinical_fact_rows
from referrals.pages.presentation import action_label, age_on, group_findings, verdict_label
from referrals.selectors import decisions_of, latest_snapshot
from referrals.services.patients import patient_for_letter
from reports.words import duration, elapsed, person_words
from scheduling.plan import decision_plan, plan_lines

RED_FLAG_FIELDS = (
    "active_infection",
    "uncorrectable_coagulopathy",
    "cement_allergy",
    "neurological_deficit",
    "high_energy_trauma",
    "pregnant",
    "cannot_lie_prone",
)


@dataclass(frozen=True)
class LevelRow:
    level: FractureLevel
    age_days: int | None
    verdict: str

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict) if self.verdict else ""

    @property
    def age_said(self) -> str:
        """The fracture's age as a letter says it: « 12 jours », « 10 mois »."""
        return elapsed(self.age_days) if self.age_days is not None else ""


def act_label_for(levels: list[str], fallback: str | None) -> str:
    """The national insurance act for the number of levels decided (the engine's own label when
    nothing was decided yet)."""
    if not levels:
        return fallback or ""
    label = ACT_ONE_OR_TWO if len(levels) <= 2 else ACT_THREE_OR_MORE
    return ACT_LABELS[label]["fr"]


def duration_for(levels: list[str]) -> int | None:
    """Brochure: prone 30 minutes, up to 1 h 30 for several vertebrae."""
    return DURATION_MINUTES[min(len(levels), 3) - 1] if levels else None


def _facts(
    referral: Referral, output: dict[str, Any] | None, today: date, *, patient: Patient | None
) -> dict[str, Any]:
    level_verdicts = {lv["level"]: lv["verdict"] for lv in (output or {}).get("levels", [])}
    antithrombotics = dict(Antithrombotic.choices)
    return {
        "referral": referral,
        "patient": patient,
        "gp": referral.gp,
        "age": age_on(patient.birth_date if patient else None, today),
        "level_rows": [
            LevelRow(
                lv,
                (today - lv.fracture_date).days if lv.fracture_date else None,
                level_verdicts.get(lv.level, ""),
            )
            for lv in referral.levels_in_order()
        ],
        "red_flags": [
            str(getattr(Referral._meta.get_field(name), "verbose_name", name))
            for name in RED_FLAG_FIELDS
            if getattr(referral, name)
        ],
        "antithrombotic_labels": [
            str(antithrombotics.get(a, a)) for a in referral.antithrombotics or []
        ],
        "clinical_facts": clinical_fact_rows(referral),
        "today": today,
    }


def _engine(output: dict[str, Any] | None) -> dict[str, Any]:
    output = output or {}
    return {
        "output": output,
        "engine_verdict_label": verdict_label(output.get("verdict", "")),
        "groups": group_findings(output),
        "engine_actions": [action_label(a) for a in output.get("actions", [])],
        "medication_plan": plan_lines(output.get("medication_plan") or []),
        "as_of": date.fromisoformat(output["as_of"]) if output.get("as_of") else None,
    }


def report_context(referral: Referral, *, today: date) -> dict[str, Any]:
    """The indication report: everything the decision rests on, for the radiologist's file."""
    history = list(decisions_of(referral))
    decision = next((d for d in history if d.pk == referral.current_decision_id), None)
    snapshot = latest_snapshot(referral)
    output = decision.engine_output if decision else (snapshot.output if snapshot else None)
    procedure = (output or {}).get("procedure", {})
    # The act is the one decided; before any decision, the engine's proposal; none otherwise.
    if decision is None:
        levels = list(procedure.get("levels_to_treat", []))
        act_label = procedure.get("act_label") or ""
    elif decision.kind == DecisionKind.ACCEPT:
        levels = list(decision.levels_to_treat)
        act_label = act_label_for(levels, procedure.get("act_label"))
    else:
        levels, act_label = [], ""
    return {
        # The radiologist's working file, never given to a GP: the clinic's record.
        **_facts(referral, output, today, patient=referral.patient),
        **_engine(output),
        "decision": decision,
        "history": history,
        "ruleset_version": (decision.ruleset_version if decision else None)
        or (output or {}).get("ruleset", ""),
        "act_label": act_label,
        "levels_to_treat": levels,
        "duration_minutes": duration_for(levels),
        "signer": decision.radiologist if decision else None,
    }


def _medication_findings(output: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f
        for f in output.get("findings", [])
        if f.get("level") is None
        and f.get("effect") == "action"
        and getattr(RULES_BY_ID.get(f["rule"]), "scope", None) == "medication"
    ]


def letter_context(decision: Decision, *, today: date) -> dict[str, Any]:
    """The decision letter to the GP, for any kind of decision."""
    referral = decision.referral
    output = decision.engine_output or {}
    procedure = output.get("procedure", {})
    plan: list[dict[str, Any]] = []
    if decision.kind == DecisionKind.ACCEPT:
        # The plan the booking follows: the radiologist's, the option chosen, or the engine's.
        plan = list(decision_plan(decision, today=today).medication)
    planned_rules = {e.get("rule") for e in output.get("medication_plan") or []}
    patient = patient_for_letter(referral)
    minutes = duration_for(list(decision.levels_to_treat))
    return {
        # The GP downloads it: confirmed data or what this GP typed (security row 29).
        **_facts(referral, output, today, patient=patient),
        "words": person_words(patient),
        "decision": decision,
        "prone_for": duration(minutes) if minutes else "",
        "is_current": decision.pk == referral.current_decision_id,
        "act_label": act_label_for(decision.levels_to_treat, procedure.get("act_label")),
        "medication_plan": plan_lines(plan),
        "plan_reason": decision.plan_reason if decision.medication_plan is not None else "",
        "preparation": [
            f for f in _medication_findings(output) if not plan or f["rule"] not in planned_rules
        ],
        "signer": decision.radiologist,
        "ruleset_version": decision.ruleset_version,
    }


def surgical_letter_context(decision: Decision, *, today: date) -> dict[str, Any]:
    """The letter the patient takes to the spine surgeon."""
    output = decision.engine_output or {}
    return {
        **letter_context(decision, today=today),
        **_engine(output),
        # G-NEURO: the engine marks the referral urgent; the letter says so first.
        "urgent": bool(output.get("urgent")),
        "surgical_findings": [
            f for f in output.get("findings", []) if f.get("effect") == Verdict.SURGICAL_REFERRAL
        ],
    }


__all__ = [
    "act_label_for",
    "letter_context",
    "report_context",
    "surgical_letter_context",
]
