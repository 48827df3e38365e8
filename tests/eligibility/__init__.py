"""Builders shared by the engine tests: a clean referral that is ``eligible_ideal``, and tweaks.

The baseline is one L1 fracture 13 days old on 2026-11-28 with CT, MRI (oedema), NRS 8, no red
flag and no medication, in a patient of 85 already treated for osteoporosis (so that G-FLS stays
quiet unless a test is about it); each test changes only what it is about. With no hold the
earliest procedure date E is the next day, so a level ``age`` days old today is ``age + 1`` days
old at E: ``at_e`` builds a level by its age at E.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from eligibility.engine import (
    Cause,
    Decision,
    ImagingFacts,
    LabFacts,
    LevelFacts,
    PainFacts,
    PatientFacts,
    RedFlags,
    ReferralFacts,
)

AS_OF = date(2026, 11, 28)
BORN = date(1941, 3, 2)


def level(name: str = "L1", age: int | None = 13, **changes: Any) -> LevelFacts:
    """A level whose fracture is ``age`` days old on ``AS_OF`` (``None``: date unknown)."""
    fracture_date = None if age is None else AS_OF - timedelta(days=age)
    fields: dict[str, Any] = {"cause": Cause.TRAUMA, "mri_oedema": True, **changes}
    return LevelFacts(name, fracture_date, **fields)


def at_e(a: int, name: str = "L1", delay: int = 1, **changes: Any) -> LevelFacts:
    """A level ``a`` days old at the earliest date E = ``AS_OF`` + ``delay`` (1 with no hold)."""
    return level(name, a - delay, **changes)


def patient(**changes: Any) -> PatientFacts:
    fields: dict[str, Any] = {"birth_date": BORN, "osteoporosis_treatment": True, **changes}
    return PatientFacts(**fields)


def referral(*levels: LevelFacts, **changes: Any) -> ReferralFacts:
    base = ReferralFacts(
        as_of=AS_OF,
        levels=levels or (level(),),
        patient=patient(),
        imaging=ImagingFacts(ct=True, mri=True),
        pain=PainFacts(nrs=8),
    )
    return replace(base, **changes)


def labs(**changes: float | None) -> LabFacts:
    return LabFacts(**changes)


def pain(nrs: int | None = 8, **changes: Any) -> PainFacts:
    return PainFacts(nrs=nrs, **changes)


def flags(**changes: bool) -> RedFlags:
    return RedFlags(**changes)


def rule_ids(decision: Decision, level_name: str | None = "*") -> list[str]:
    """Rule ids of the findings, for one level (``None``: patient/medication), or all (``*``)."""
    return [f.rule for f in decision.findings if level_name == "*" or f.level == level_name]


def level_verdict(decision: Decision, level_name: str) -> str:
    return next(ld.verdict for ld in decision.levels if ld.level == level_name)
