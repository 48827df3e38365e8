"""The radiologist's medication plan (clinical-rules.md, « The radiologist's plan »): when
accepting, the radiologist may change a drug's last dose (J−n) or resume day (J+n), or add an
entry for a drug the engine has no rule for (`fondaparinux`, `other`), with a reason.

The plan is stored on the decision in the engine's JSON shape, so that scheduling.plan reads it
as it reads the engine's: the booking window, the convocation and the letters then follow it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from django.utils.translation import gettext as _

from clinic.errors import DomainError
from eligibility.engine import DRUG_LABELS

# Days the radiologist may set: a last dose from J−30 to J−1, a resume from J+1 to J+30.
MAX_DAYS: Final = 30
# Drugs the engine writes no plan entry for: the radiologist writes theirs (G-ANTITHROMBOTIC-OTHER).
ADDABLE_DRUGS: Final = ("fondaparinux", "other")
ADDED_RULE: Final = "G-ANTITHROMBOTIC-OTHER"


def added_entry(drug: str, *, last_dose: int, resume: int) -> dict[str, Any]:
    """A plan entry the radiologist adds (last dose J−`last_dose`, resume J+`resume`)."""
    return {
        "drug": drug,
        "rule": ADDED_RULE,
        "last_dose_day": -last_dose,
        "last_dose_time": None,
        "resume_day": resume,
        "resume_time": None,
        "optional": False,
    }


def checked_plan(plan: Iterable[dict[str, Any]], *, reason: str) -> list[dict[str, Any]]:
    """The radiologist's plan, checked: known drugs, each once, days in range, a reason.

    Raises DomainError naming what is wrong (the form says it first, field by field)."""
    if not reason.strip():
        raise DomainError(
            _(
                "Indiquez pourquoi vous modifiez le plan médicamenteux : le motif figure dans le "
                "courrier au médecin."
            ),
            field="plan_reason",
        )
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for raw in plan:
        drug = str(raw.get("drug") or "")
        if drug not in DRUG_LABELS or drug in seen:
            raise DomainError(
                _("Le plan médicamenteux ne peut citer chaque médicament connu qu’une fois.")
            )
        seen.add(drug)
        last, resume = raw.get("last_dose_day"), raw.get("resume_day")
        if not isinstance(last, int) or not -MAX_DAYS <= last <= -1:
            raise DomainError(
                _("La dernière prise se compte de J−1 à J−%(max)d avant le geste.")
                % {"max": MAX_DAYS}
            )
        if not isinstance(resume, int) or not 1 <= resume <= MAX_DAYS:
            raise DomainError(
                _("La reprise se compte de J+1 à J+%(max)d après le geste.") % {"max": MAX_DAYS}
            )
        entries.append(dict(raw))
    return entries


def plan_changes(
    engine: Iterable[dict[str, Any]], radiologist: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """What the radiologist changed, drug by drug, for the timeline: the engine's days and theirs
    (None where the engine had no entry)."""
    before = {str(e.get("drug")): e for e in engine}
    changes = []
    for entry in radiologist:
        old = before.get(str(entry["drug"]), {})
        days = ("last_dose_day", "resume_day")
        if all(old.get(key) == entry.get(key) for key in days):
            continue
        changes.append(
            {
                "drug": entry["drug"],
                "last_dose_day": [old.get("last_dose_day"), entry["last_dose_day"]],
                "resume_day": [old.get("resume_day"), entry["resume_day"]],
            }
        )
    return changes
