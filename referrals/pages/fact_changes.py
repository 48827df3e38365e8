"""What changed in a referral's facts between two engine evaluations (a decision's facts and the
latest snapshot's), said in words a radiologist reads: "L1 — date de la fracture : 15/11/2026 →
02/11/2026". The evaluation date (`as_of`) is not a fact of the patient and is ignored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from referrals.choices import (
    Allergy,
    Anaesthesia,
    Antithrombotic,
    Cause,
    MriAlternative,
    SacralPattern,
    Sex,
)
from referrals.models import FractureLevel, Referral

# Fact path → the model field whose French label names it.
_REFERRAL_FIELDS: dict[str, str] = {
    "patient.pregnant": "pregnant",
    "imaging.ct": "ct_available",
    "imaging.mri": "mri_available",
    "pain.nrs": "pain_nrs",
    "pain.analgesics_failed": "analgesics_failed",
    "pain.opioids_failed": "opioids_failed",
    "red_flags.active_infection": "active_infection",
    "red_flags.uncorrectable_coagulopathy": "uncorrectable_coagulopathy",
    "red_flags.cement_allergy": "cement_allergy",
    "red_flags.neurological_deficit": "neurological_deficit",
    "red_flags.high_energy_trauma": "high_energy_trauma",
    "antithrombotics": "antithrombotics",
    "anaesthesia": "anaesthesia",
    # 2027.1
    "patient.osteoporosis_treatment": "osteoporosis_treatment",
    "imaging.mri_contraindicated": "mri_contraindicated",
    "imaging.alternative": "mri_alternative",
    "red_flags.cannot_lie_prone": "cannot_lie_prone",
    "allergies": "allergies",
    "labs.platelets": "platelets",
    "labs.inr": "inr",
    "labs.creatinine_clearance": "creatinine_clearance",
    "vka_bridging": "vka_bridging",
}


def _labels(choices: Any) -> dict[str, Any]:
    return {value: label for value, label in choices}


_CHOICES: dict[str, dict[str, Any]] = {
    "cause": _labels(Cause.choices),
    "sacral_pattern": _labels(SacralPattern.choices),
    "anaesthesia": _labels(Anaesthesia.choices),
    "sex": _labels(Sex.choices),
    "alternative": _labels(MriAlternative.choices),
}
# Lists of choices, by key.
_LISTS: dict[str, dict[str, Any]] = {
    "antithrombotics": _labels(Antithrombotic.choices),
    "allergies": _labels(Allergy.choices),
}


@dataclass(frozen=True)
class FactChange:
    label: str
    before: str
    after: str


def _show(value: Any, key: str) -> str:
    if value is None or value == "":
        return _("non renseigné")
    if value is True:
        return _("oui")
    if value is False:
        return _("non")
    if isinstance(value, list):
        labels = _LISTS.get(key, {})
        return ", ".join(str(labels.get(v, v)) for v in value) or _("aucun")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",") if _comma() else f"{value:g}"
    if key in _CHOICES:
        return str(_CHOICES[key].get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def _comma() -> bool:
    return (get_language() or "fr").startswith("fr")


def _label(path: str) -> str:
    if path == "patient.birth_date":
        return _("Date de naissance")
    if path == "patient.sex":
        return _("Sexe")
    name = _REFERRAL_FIELDS.get(path)
    if name is None:
        return path
    return str(capfirst(getattr(Referral._meta.get_field(name), "verbose_name", name)))


def _level_label(level: str, key: str) -> str:
    try:
        name = str(getattr(FractureLevel._meta.get_field(key), "verbose_name", key))
    except FieldDoesNotExist:  # a key a later ruleset added: show it as it is
        name = key
    return f"{level} — {name}"


def _flat(facts: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in facts.items():
        if key in ("as_of", "levels"):
            continue
        if isinstance(value, dict):
            flat.update({f"{key}.{sub}": v for sub, v in value.items()})
        else:
            flat[key] = sorted(value) if isinstance(value, list) else value
    return flat


def facts_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FactChange]:
    """Every difference between two fact dicts (the JSON of `facts_to_dict`)."""
    changes: list[FactChange] = []
    old, new = _flat(before or {}), _flat(after or {})
    for path in [*old, *(p for p in new if p not in old)]:
        if old.get(path) != new.get(path):
            key = path.rsplit(".", 1)[-1]
            changes.append(
                FactChange(_label(path), _show(old.get(path), key), _show(new.get(path), key))
            )
    old_levels = {lv["level"]: lv for lv in (before or {}).get("levels", [])}
    new_levels = {lv["level"]: lv for lv in (after or {}).get("levels", [])}
    for name in [*old_levels, *(n for n in new_levels if n not in old_levels)]:
        if name not in new_levels:
            changes.append(FactChange(_("Niveau %(level)s") % {"level": name}, _("présent"),
                                      _("retiré")))  # fmt: skip
        elif name not in old_levels:
            changes.append(FactChange(_("Niveau %(level)s") % {"level": name}, _("absent"),
                                      _("ajouté")))  # fmt: skip
        else:
            for key, value in new_levels[name].items():
                if key != "level" and old_levels[name].get(key) != value:
                    changes.append(
                        FactChange(
                            _level_label(name, key),
                            _show(old_levels[name].get(key), key),
                            _show(value, key),
                        )
                    )
    return changes
