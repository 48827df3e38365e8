"""The procedure report and the discharge letter (lettre de liaison, décret 2016-995) as PDF.
Context builders read and never write; every date of an antithrombotic's restart comes from
scheduling/plan.py (the plan's resume day, or the radiologist's on the report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from followups.models import FollowUp
from procedures.models import ProcedureReport
from referrals.models import Referral
from referrals.services.patients import patient_for_convocation, patient_for_letter
from reports.pdf import render_pdf
from reports.words import person_words
from scheduling.instructions import long_day
from scheduling.plan import decision_plan, drug_label


def resume_plan(referral: Referral) -> dict[str, int]:
    """The plan's resume day (J+n) of each antithrombotic the patient stopped."""
    decision = referral.current_decision
    if decision is None:
        return {}
    plan = decision_plan(decision, today=timezone.localdate())
    days: dict[str, int] = {}
    for entry in plan.medication:
        drug = str(entry.get("drug"))
        days[drug] = max(days.get(drug, 0), int(entry.get("resume_day") or 1))
    return days


@dataclass(frozen=True)
class Restart:
    drug: str
    label: str
    day: int
    on: date
    changed: bool  # the radiologist changed the plan's day

    @property
    def on_label(self) -> str:
        return long_day(self.on)


def restarts(report: ProcedureReport) -> list[Restart]:
    """When each antithrombotic restarts: the plan's day, or the radiologist's."""
    plan = resume_plan(report.referral)
    changed = report.resume_days or {}
    rows = []
    for drug, day in plan.items():
        chosen = int(changed.get(drug, day))
        rows.append(
            Restart(
                drug=drug,
                label=drug_label(drug),
                day=chosen,
                on=report.performed_on + timedelta(days=chosen),
                changed=drug in changed,
            )
        )
    return rows


def warning_signs() -> list[str]:
    """After the procedure (the brochure): call the 24-hour number, or the 15."""
    return [
        _("de la fièvre ;"),
        _("une faiblesse, des fourmillements ou une perte de sensibilité nouvelle des jambes ;"),
        _("une douleur dans la poitrine ou un essoufflement ;"),
        _("une douleur intense, qui ne cède pas aux antalgiques."),
    ]


def osteoporosis_treated(referral: Referral) -> bool:
    decision = referral.current_decision
    facts = decision.facts if decision is not None and isinstance(decision.facts, dict) else {}
    stated = (facts.get("patient") or {}).get("osteoporosis_treatment")
    return bool(stated if stated is not None else referral.osteoporosis_treatment)


def _report_of(referral: Referral) -> ProcedureReport:
    return (
        ProcedureReport.objects.select_related("signed_by", "booking__session", "referral__gp")
        .prefetch_related("levels", "addenda__by")
        .get(referral=referral)
    )


def report_context(referral: Referral) -> dict[str, Any]:
    report = _report_of(referral)
    levels = list(report.levels.all())
    patient = patient_for_letter(referral)
    return {
        "report": report,
        "referral": referral,
        "patient": patient,
        "words": person_words(patient),
        "gp": referral.gp,
        "levels": levels,
        "total_volume": sum((lv.volume_ml for lv in levels), start=0),
        "levels_changed": sorted(report.planned_levels) != sorted(lv.level for lv in levels),
        "addenda": list(report.addenda.all()),
        "signer": report.signed_by,
    }


def discharge_context(referral: Referral) -> dict[str, Any]:
    report = _report_of(referral)
    followups = list(FollowUp.objects.filter(referral=referral).order_by("due_on"))
    # The patient is given it: the confirmed record only (security row 29).
    patient = patient_for_convocation(referral)
    return {
        "report": report,
        "referral": referral,
        "patient": patient,
        "words": person_words(patient),
        "gp": referral.gp,
        "levels": list(report.levels.all()),
        "restarts": restarts(report),
        "osteoporosis": not osteoporosis_treated(referral),
        "followups": followups,
        "warning_signs": warning_signs(),
        "emergency_phone": settings.CLINIC_EMERGENCY_PHONE,
        "signer": report.signed_by,
        "performed_label": long_day(report.performed_on),
    }


def report_pdf(referral: Referral) -> bytes:
    with translation.override("fr"):
        return render_pdf("procedures/report_pdf.html", report_context(referral))


def discharge_pdf(referral: Referral) -> bytes:
    with translation.override("fr"):
        return render_pdf("procedures/discharge_pdf.html", discharge_context(referral))
