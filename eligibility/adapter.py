"""From a stored (or not yet saved) referral to engine facts, and the engine settings the clinic
configured. Kept thin: all clinical logic is in eligibility.engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings

from eligibility.engine import (
    DEFAULT_SETTINGS,
    Allergy,
    AlternativeImaging,
    Anaesthesia,
    Antithrombotic,
    Cause,
    Decision,
    EngineSettings,
    ImagingFacts,
    LabFacts,
    LevelFacts,
    PainFacts,
    PatientFacts,
    RedFlags,
    ReferralFacts,
    SacralPattern,
    Sex,
    evaluate,
)

if TYPE_CHECKING:
    from referrals.models import FractureLevel, Patient, Referral

E = TypeVar("E", bound=StrEnum)


def engine_settings() -> EngineSettings:
    """DEFAULT_SETTINGS with the clinic's overrides (settings.ELIGIBILITY, e.g. hold days)."""
    overrides: dict[str, Any] = getattr(settings, "ELIGIBILITY", {}) or {}
    return replace(DEFAULT_SETTINGS, **overrides) if overrides else DEFAULT_SETTINGS


def _level_facts(level: FractureLevel) -> LevelFacts:
    return LevelFacts(
        level=level.level,
        fracture_date=level.fracture_date,
        cause=Cause(level.cause or Cause.UNKNOWN),
        posterior_arch_involved=bool(level.posterior_arch_involved),
        posterior_wall_involved=bool(level.posterior_wall_involved),
        sacral_pattern=SacralPattern(level.sacral_pattern)
        if level.level == "S" and level.sacral_pattern
        else None,
        mri_oedema=level.mri_oedema,
        retropulsion=bool(level.retropulsion),
        tender_on_percussion=level.tender_on_percussion,
    )


def _patient_facts(
    patient: Patient | None, pregnant: bool, osteoporosis_treatment: bool | None
) -> PatientFacts:
    sex = getattr(patient, "sex", "") or ""
    return PatientFacts(
        birth_date=getattr(patient, "birth_date", None),
        sex=Sex(sex) if sex in ("F", "M") else None,
        pregnant=bool(pregnant),
        osteoporosis_treatment=osteoporosis_treatment,
    )


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _known(values: Iterable[str] | None, enum: type[E]) -> tuple[E, ...]:
    """The values the engine knows (a stored list may hold one a later version dropped)."""
    # `in EnumClass` raises on Python 3.11 for a non-member: test the value map instead.
    return tuple(enum(v) for v in (values or []) if v in enum._value2member_map_)


def facts_for_referral(
    referral: Referral,
    *,
    as_of: date,
    levels: Iterable[FractureLevel] | None = None,
    patient: Patient | None = None,
) -> ReferralFacts:
    """The engine's facts for `referral`.

    `levels` and `patient` may be given for unsaved objects (the live form panel); otherwise they
    are read from the referral. Levels with no level chosen yet are left out; duplicated levels keep
    the first (the form reports the duplicate to the user).
    """
    level_rows = list(referral.levels.all()) if levels is None else list(levels)
    seen: set[str] = set()
    level_facts = []
    for row in level_rows:
        if row.level and row.level not in seen:
            seen.add(row.level)
            level_facts.append(_level_facts(row))
    if patient is None and referral.patient_id:
        patient = referral.patient
    return ReferralFacts(
        as_of=as_of,
        levels=tuple(level_facts),
        patient=_patient_facts(patient, referral.pregnant, referral.osteoporosis_treatment),
        imaging=ImagingFacts(
            ct=bool(referral.ct_available),
            mri=bool(referral.mri_available),
            mri_contraindicated=bool(referral.mri_contraindicated),
            alternative=AlternativeImaging(referral.mri_alternative)
            if referral.mri_alternative in AlternativeImaging._value2member_map_
            else None,
        ),
        pain=PainFacts(
            nrs=referral.pain_nrs,
            analgesics_failed=bool(referral.analgesics_failed),
            opioids_failed=bool(referral.opioids_failed),
        ),
        red_flags=RedFlags(
            active_infection=bool(referral.active_infection),
            uncorrectable_coagulopathy=bool(referral.uncorrectable_coagulopathy),
            cement_allergy=bool(referral.cement_allergy),
            neurological_deficit=bool(referral.neurological_deficit),
            high_energy_trauma=bool(referral.high_energy_trauma),
            cannot_lie_prone=bool(referral.cannot_lie_prone),
        ),
        antithrombotics=_known(referral.antithrombotics, Antithrombotic),
        anaesthesia=Anaesthesia(referral.anaesthesia or Anaesthesia.LOCAL),
        labs=LabFacts(
            platelets=_number(referral.platelets),
            inr=_number(referral.inr),
            creatinine_clearance=_number(referral.creatinine_clearance),
        ),
        allergies=_known(referral.allergies, Allergy),
        vka_bridging=referral.vka_bridging,
    )


def evaluate_facts(facts: ReferralFacts) -> Decision | None:
    """The engine's decision, or None while the referral has no level yet (nothing to judge)."""
    if not facts.levels:
        return None
    return evaluate(facts, engine_settings())
