"""Patients, referrals, fracture levels, attachments, eligibility snapshots, radiologist decisions
and the referral timeline, one module each; everything is importable from `referrals.models`.

The clinical facts on Referral and FractureLevel are exactly the facts of the eligibility
specification (docs: ../shared/docs/clinical-rules.md); `eligibility.adapter` turns them into
engine facts. Decisions, snapshots and timeline events are append-only.
"""

from referrals.models.attachments import Attachment, attachment_path
from referrals.models.patient import Patient, patient_full_name
from referrals.models.records import Decision, EligibilitySnapshot, TimelineEvent
from referrals.models.referral import (
    ANAESTHESIA_LABELS,
    FACT_FIELDS,
    LEVEL_FIELDS,
    FractureLevel,
    Referral,
    level_codes_of,
)

__all__ = [
    "ANAESTHESIA_LABELS",
    "FACT_FIELDS",
    "LEVEL_FIELDS",
    "Attachment",
    "Decision",
    "EligibilitySnapshot",
    "FractureLevel",
    "Patient",
    "Referral",
    "TimelineEvent",
    "attachment_path",
    "level_codes_of",
    "patient_full_name",
]
