"""The outcomes registry export: one CSV row per procedure, with its follow-up answers, under
pseudonymous ids (HMAC-SHA256 of the patient's and the referral's ids with OUTCOMES_PSEUDONYM_KEY).
No name, NIR, birth date or free text leaves: the age at the procedure and the month of it do."""

from __future__ import annotations

import csv
import hashlib
import hmac
from collections.abc import Iterator
from typing import IO, Any

from followups.models import FollowUpAnswer, FollowUpKind
from procedures.models import ProcedureReport
from referrals.pages.presentation import age_on

KINDS = [kind.value for kind in FollowUpKind]
ANSWER_FIELDS = (
    "pain_nrs",
    "opioids",
    "walking",
    "new_back_pain",
    "new_fracture",
    "complication",
    "satisfaction",
    "channel",
)
COLUMNS = [
    "patient_id",
    "procedure_id",
    "procedure_month",
    "age",
    "sex",
    "days_since_fracture",
    "baseline_pain_nrs",
    "levels",
    "level_count",
    "approaches",
    "cement_ml",
    "leaks",
    "symptomatic_leak",
    "biopsy",
    "anaesthesia",
    "complication_cirse",
    "dose_area_product_gycm2",
    "fluoroscopy_seconds",
    *[f"{kind}_{name}" for kind in KINDS for name in ANSWER_FIELDS],
]


def pseudonym(key: bytes, kind: str, pk: int) -> str:
    return hmac.new(key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()[:20]


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    return "" if value is None else value


def outcome_rows(key: bytes) -> Iterator[dict[str, Any]]:
    reports = (
        ProcedureReport.objects.select_related("referral__patient")
        .prefetch_related("levels", "referral__levels")
        .order_by("performed_on", "pk")
    )
    answers: dict[int, dict[str, FollowUpAnswer]] = {}
    for answer in FollowUpAnswer.objects.select_related("followup"):
        answers.setdefault(answer.followup.referral_id, {})[answer.followup.kind] = answer
    for report in reports.iterator(chunk_size=500):
        referral, patient = report.referral, report.referral.patient
        levels = list(report.levels.all())
        dates = [lv.fracture_date for lv in referral.levels.all() if lv.fracture_date]
        row: dict[str, Any] = {
            "patient_id": pseudonym(key, "patient", patient.pk) if patient else "",
            "procedure_id": pseudonym(key, "referral", referral.pk),
            "procedure_month": report.performed_on.strftime("%Y-%m"),
            "age": age_on(patient.birth_date if patient else None, report.performed_on),
            "sex": patient.sex if patient else "",
            "days_since_fracture": (report.performed_on - min(dates)).days if dates else None,
            "baseline_pain_nrs": referral.pain_nrs,
            "levels": " ".join(lv.level for lv in levels),
            "level_count": len(levels),
            "approaches": " ".join(lv.approach for lv in levels),
            "cement_ml": sum((lv.volume_ml for lv in levels), start=0),
            "leaks": " ".join(sorted({site for lv in levels for site in lv.leaks})),
            "symptomatic_leak": any(lv.leak_symptomatic for lv in levels),
            "biopsy": report.biopsy,
            "anaesthesia": report.anaesthesia,
            "complication_cirse": report.complication,
            "dose_area_product_gycm2": report.dose_area_product,
            "fluoroscopy_seconds": report.fluoroscopy_seconds,
        }
        for kind in KINDS:
            found = answers.get(referral.pk, {}).get(kind)
            for name in ANSWER_FIELDS:
                row[f"{kind}_{name}"] = getattr(found, name) if found else None
        yield {column: _value(row[column]) for column in COLUMNS}


def write_outcomes(out: IO[str], *, key: bytes) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in outcome_rows(key):
        writer.writerow(row)
        count += 1
    return count
