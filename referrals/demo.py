"""Fictional demo data (seed_demo). Idempotent: running it twice adds nothing.

Referrals of the demo GPs covering each of the engine's six verdicts, plus one draft. Dates are
relative to today, so the demo always holds a referral inside the ideal three-week window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from clinic.models import User
from referrals.fictional import fictional_nir
from referrals.models import Patient
from referrals.services.drafts import ReferralInput, referral_save_draft
from referrals.services.submission import referral_submit


@dataclass
class DemoReferral:
    gp: str
    birth_name: str
    first_names: str
    sex: str
    birth_date: date
    serial: int
    levels: list[dict[str, Any]]
    facts: dict[str, Any] = field(default_factory=dict)
    submit: bool = True


def _level(level: str, days_ago: int | None, **facts: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "level": level,
        "fracture_date": today - timedelta(days=days_ago) if days_ago is not None else None,
        "cause": facts.pop("cause", "trauma"),
        "mri_oedema": facts.pop("mri_oedema", True),
        **facts,
    }


BASE_FACTS: dict[str, Any] = {
    "ct_available": True,
    "mri_available": True,
    "pain_nrs": 8,
    "analgesics_failed": True,
    "anaesthesia": "local",
}


def demo_referrals() -> list[DemoReferral]:
    return [
        # eligible_ideal: a recent L1 fall, everything in hand.
        DemoReferral(
            "medecin", "Rousseau", "Jeanne Marie", "F", date(1941, 3, 2), 101,
            [_level("L1", 9)],
            {"antithrombotics": ["aspirin"], "clinical_note": "Chute dans sa cuisine."},
        ),
        # eligible: a two-month-old osteoporotic fracture, opioids failed, on a VKA.
        DemoReferral(
            "medecin", "Garnier", "Lucienne", "F", date(1936, 11, 20), 102,
            [_level("T12", 60, cause="osteoporotic")],
            {"opioids_failed": True, "antithrombotics": ["vka"], "pain_nrs": 7},
        ),
        # needs_review: posterior wall involved.
        DemoReferral(
            "medecin", "Faure", "Henri", "M", date(1948, 6, 14), 103,
            [_level("L2", 14, posterior_wall_involved=True)],
        ),
        # incomplete: no MRI yet (the centre can do it).
        DemoReferral(
            "medecin", "Chevalier", "Odette", "F", date(1939, 1, 8), 104,
            [_level("L3", 12, mri_oedema=None)],
            {"mri_available": False},
        ),
        # surgical_referral: posterior arch involved.
        DemoReferral(
            "medecin", "Lambert", "Marcel", "M", date(1944, 9, 30), 105,
            [_level("L1", 6, posterior_arch_involved=True)],
        ),
        # not_eligible: more than six months old and healed (2027.1 sends an old fracture with
        # persisting oedema to the radiologist: B-AGE-OVER-OEDEMA).
        DemoReferral(
            "medecin", "Perrin", "Simone", "F", date(1937, 4, 22), 106,
            [_level("L4", 250, mri_oedema=False)],
            {"pain_nrs": 6},
        ),
        # A draft the GP has not finished.
        DemoReferral(
            "medecin", "Morel", "Gisèle", "F", date(1945, 12, 5), 107,
            [_level("T11", None, mri_oedema=None)],
            {"ct_available": True, "mri_available": False, "pain_nrs": None},
            submit=False,
        ),
        # The other demo GP: two recent levels.
        DemoReferral(
            "medecin2", "Girard", "Paulette", "F", date(1940, 7, 17), 108,
            [_level("T8", 11), _level("T9", 11)],
            {"antithrombotics": ["clopidogrel"]},
        ),
    ]  # fmt: skip


def seed_referrals(users: dict[str, User]) -> None:
    """Create the demo referrals through the services (snapshots and timelines included)."""
    for spec in demo_referrals():
        gp = users.get(spec.gp)
        if gp is None:
            continue
        nir = fictional_nir(spec.sex, spec.birth_date.year, spec.birth_date.month, spec.serial)
        if Patient.objects.filter(nir=nir, referrals__gp=gp).exists():
            continue  # already seeded
        data = ReferralInput(
            patient={
                "birth_name": spec.birth_name,
                "first_names": spec.first_names,
                "birth_date": spec.birth_date,
                "sex": spec.sex,
                "birth_place_insee": "99999",
                "nir": nir,
                "phone": "06 00 00 01 " + f"{spec.serial % 100:02d}",
                "email": f"patient{spec.serial}@example.invalid",
                "address": "10 rue Imaginaire, 75005 Paris",
            },
            facts={**BASE_FACTS, **spec.facts},
            levels=spec.levels,
        )
        referral = referral_save_draft(referral=None, by=gp, data=data)
        if spec.submit:
            referral_submit(referral=referral, by=gp)
