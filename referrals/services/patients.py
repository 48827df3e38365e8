"""Which patient row a referral points at, and what its GP may see of it.

The clinic keeps one record per person: a patient already known (same NIR, or same birth name,
first names and birth date, ignoring case and accents) is reused, never duplicated and never
merged with someone else. A GP, however, only ever sees the identity they typed themselves
(`Referral.identity_as_entered`): another GP's NIR, address, phone or e-mail on the shared record
stay on the clinic side (security checklist, row 5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from referrals.models import Patient, Referral
from referrals.validators import identity_key

IDENTITY_FIELDS = (
    "birth_name",
    "used_name",
    "first_names",
    "birth_date",
    "sex",
    "birth_place_insee",
    "nir",
)
CONTACT_FIELDS = ("phone", "email", "address")
PATIENT_FIELDS = IDENTITY_FIELDS + CONTACT_FIELDS


@dataclass
class Resolution:
    """The record a referral points at after a save, and what staff should know about it."""

    patient: Patient | None
    # The NIR typed is held by someone whose identity differs: staff check the identity.
    identity_to_check: bool = False
    # Contact details typed that differ from the shared record (which keeps its own).
    contact_differs: list[str] = field(default_factory=list)


def _same_person(patient: Patient, identity: dict[str, Any]) -> bool:
    """No trait typed on both sides contradicts the other (birth name and birth date)."""
    birth_date = identity.get("birth_date")
    if birth_date and patient.birth_date and birth_date != patient.birth_date:
        return False
    name = identity_key(identity.get("birth_name", ""))
    return not (name and patient.birth_name and name != identity_key(patient.birth_name))


def _by_traits(identity: dict[str, Any], *, exclude: int | None) -> Patient | None:
    name = identity_key(identity.get("birth_name", ""))
    first = identity_key(identity.get("first_names", ""))
    birth_date = identity.get("birth_date")
    if not (name and first and birth_date):
        return None
    nir = identity.get("nir") or ""
    others = Patient.objects.exclude(pk__in=[exclude] if exclude else [])
    candidates = others.filter(birth_date=birth_date).order_by("pk")
    for candidate in candidates:
        if nir and candidate.nir and candidate.nir != nir:
            continue  # two people (twins) sharing a name and birth date have two NIRs
        if identity_key(candidate.birth_name) == name and (
            identity_key(candidate.first_names) == first
        ):
            return candidate
    return None


def find_known_patient(
    identity: dict[str, Any], *, exclude: int | None = None
) -> tuple[Patient | None, bool]:
    """The patient the clinic already knows with this NIR, or with the same birth name, first
    names and birth date (case and accents ignored), other than `exclude`; and whether the NIR
    typed is held by a patient whose identity differs (then no record is returned)."""
    nir = identity.get("nir") or ""
    if nir:
        others = Patient.objects.exclude(pk__in=[exclude] if exclude else [])
        known = others.filter(nir=nir).first()
        if known is not None:
            if not _same_person(known, identity):
                return None, True
            return known, False
    return _by_traits(identity, exclude=exclude), False


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    return {key: values.get(key) or ("" if key != "birth_date" else None) for key in PATIENT_FIELDS}


def resolve_patient(*, referral: Referral, values: dict[str, Any]) -> Resolution:
    """The patient row the referral should point at after this save.

    A record only this referral uses is the GP's to rewrite. A record shared with other referrals
    is never rewritten: only its blanks are filled; contact details that differ are reported, not
    copied. A NIR held by someone else gives the referral a record of its own without the NIR,
    flagged for an identity check by staff (the GP is not told: that would disclose a patient)."""
    values = _normalised(values)
    current: Patient | None = referral.patient if referral.patient_id else None
    exclusive = current is not None and not current.referrals.exclude(pk=referral.pk).exists()
    own = current.pk if current is not None and exclusive else None
    known, nir_taken = find_known_patient(values, exclude=own)
    if nir_taken:
        values["nir"] = ""
    elif known is not None:
        blanks = [f for f in PATIENT_FIELDS if values[f] and not getattr(known, f)]
        for name in blanks:
            setattr(known, name, values[name])
        if blanks:
            known.save(update_fields=[*blanks, "updated_at"])
        differs = [f for f in CONTACT_FIELDS if values[f] and getattr(known, f) != values[f]]
        return Resolution(patient=known, contact_differs=differs)
    if current is not None and exclusive:
        changed = [f for f in PATIENT_FIELDS if getattr(current, f) != values[f]]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
        return Resolution(patient=current, identity_to_check=nir_taken)
    if not any(values.values()):
        return Resolution(patient=None)
    return Resolution(patient=Patient.objects.create(**values), identity_to_check=nir_taken)


def identity_as_entered(values: dict[str, Any]) -> dict[str, Any]:
    """The patient fields as the GP typed them, stored as JSON (ISO date for the birth date)."""
    stored = {key: values.get(key) or "" for key in PATIENT_FIELDS}
    birth_date = values.get("birth_date")
    stored["birth_date"] = birth_date.isoformat() if isinstance(birth_date, date) else ""
    return stored


def identity_for_gp(referral: Referral) -> dict[str, Any]:
    """The patient's identity and contact details as this referral's GP typed them (birth date
    as a date): all a GP ever reads of a patient, never the clinic's shared record."""
    stored = referral.identity_as_entered or {}
    if not stored:
        return {}
    values = {key: stored.get(key) or "" for key in PATIENT_FIELDS}
    values["birth_date"] = (
        date.fromisoformat(stored["birth_date"]) if stored.get("birth_date") else None
    )
    return values


def patient_for_gp(referral: Referral) -> Patient | None:
    """An unsaved Patient holding what the GP typed, for pages that display a patient."""
    values = identity_for_gp(referral)
    if not any(values.values()):
        return None
    return Patient(**values)
