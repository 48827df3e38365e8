"""Facts and decisions out, as JSON-ready dicts (``io.py`` reads facts in)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .facts import ReferralFacts
from .labels import VERDICT_LABELS
from .results import Decision, PlanEntry
from .rulebase import is_english

RED_FLAG_KEYS = ("active_infection", "uncorrectable_coagulopathy", "cement_allergy",
                 "neurological_deficit", "high_energy_trauma", "cannot_lie_prone")  # fmt: skip


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _value(member: Any) -> Any:
    return None if member is None else member.value


def facts_to_dict(facts: ReferralFacts) -> dict[str, Any]:
    """The JSON form of ``facts``, every key written out; ``facts_from_dict`` reads it back."""
    patient, imaging, labs = facts.patient, facts.imaging, facts.labs
    return {
        "as_of": facts.as_of.isoformat(),
        "patient": {
            "birth_date": _iso(patient.birth_date),
            "sex": _value(patient.sex),
            "pregnant": patient.pregnant,
            "osteoporosis_treatment": patient.osteoporosis_treatment,
        },
        "levels": [
            {
                "level": lv.level,
                "fracture_date": _iso(lv.fracture_date),
                "cause": lv.cause.value,
                "posterior_arch_involved": lv.posterior_arch_involved,
                "posterior_wall_involved": lv.posterior_wall_involved,
                "sacral_pattern": _value(lv.sacral_pattern),
                "mri_oedema": lv.mri_oedema,
                "retropulsion": lv.retropulsion,
                "tender_on_percussion": lv.tender_on_percussion,
            }
            for lv in facts.levels
        ],
        "imaging": {
            "ct": imaging.ct,
            "mri": imaging.mri,
            "mri_contraindicated": imaging.mri_contraindicated,
            "alternative": _value(imaging.alternative),
        },
        "pain": {
            "nrs": facts.pain.nrs,
            "analgesics_failed": facts.pain.analgesics_failed,
            "opioids_failed": facts.pain.opioids_failed,
        },
        "red_flags": {key: getattr(facts.red_flags, key) for key in RED_FLAG_KEYS},
        "allergies": [allergy.value for allergy in facts.allergies],
        "labs": {
            "platelets": labs.platelets,
            "inr": labs.inr,
            "creatinine_clearance": labs.creatinine_clearance,
        },
        "antithrombotics": [drug.value for drug in facts.antithrombotics],
        "vka_bridging": facts.vka_bridging,
        "anaesthesia": facts.anaesthesia.value,
    }


def plan_to_list(plan: tuple[PlanEntry, ...]) -> list[dict[str, Any]]:
    """The medication plan: days relative to J; a VKA entry also has the INR check."""
    entries = []
    for e in plan:
        entry: dict[str, Any] = {
            "drug": e.drug,
            "rule": e.rule,
            "last_dose_day": e.last_dose_day,
            "last_dose_time": e.last_dose_time,
            "resume_day": e.resume_day,
            "resume_time": e.resume_time,
            "optional": e.optional,
        }
        if e.inr_check_day is not None:
            entry["inr_check_day"] = e.inr_check_day
            entry["inr_max"] = e.inr_max
        entries.append(entry)
    return entries


def decision_to_dict(decision: Decision, *, lang: str = "fr") -> dict[str, Any]:
    """The documented output keys (plus ``as_of``, ``verdict_label``, ``holds``), JSON-ready."""
    code = "en" if is_english(lang) else "fr"
    return {
        "ruleset": decision.ruleset,
        "as_of": decision.as_of.isoformat(),
        "verdict": decision.verdict.value,
        "verdict_label": VERDICT_LABELS[decision.verdict][code],
        "urgent": decision.urgent,
        "levels": [
            {
                "level": ld.level,
                "verdict": ld.verdict.value,
                "fracture_age_days": ld.fracture_age_days,
                "age_at_earliest_days": ld.age_at_earliest_days,
                "ideal_until": _iso(ld.ideal_until),
                "latest_until": _iso(ld.latest_until),
            }
            for ld in decision.levels
        ],
        "findings": [
            {
                "rule": f.rule,
                "level": f.level,
                "effect": str(f.effect),
                "message": f.message_en if code == "en" else f.message_fr,
                "source": f.source,
                "actions": list(f.actions),
            }
            for f in decision.findings
        ],
        "actions": list(decision.actions),
        "medication_plan": plan_to_list(decision.medication_plan),
        "preparation": [{"kind": p.kind, "latest_day": p.latest_day} for p in decision.preparation],
        "holds": [{"action": h.action, "days": h.days} for h in decision.holds],
        "procedure": {
            "levels_to_treat": list(decision.procedure.levels_to_treat),
            "duration_minutes": decision.procedure.duration_minutes,
            "act_label": decision.procedure.act_label,
        },
        "earliest_procedure_date": decision.earliest_procedure_date.isoformat(),
        "target_before": _iso(decision.target_before),
        "options": [
            {
                "id": o.id,
                "verdict": o.verdict.value,
                "verdict_label": VERDICT_LABELS[o.verdict][code],
                "earliest_procedure_date": o.earliest_procedure_date.isoformat(),
                "target_before": _iso(o.target_before),
                "medication_plan": plan_to_list(o.medication_plan),
            }
            for o in decision.options
        ],
    }
