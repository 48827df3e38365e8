"""Which patient row a referral points at: a patient the clinic already knows (same NIR, or same
birth name, first names and birth date, ignoring case and accents) is reused, never duplicated and
never merged with someone else."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


class PatientConflict(ValidationError):
    """The NIR typed belongs to a known patient whose identity differs: never merge silently."""


def _same_person(patient: Patient, identity: dict[str, Any]) -> bool:
    """No trait typed on both sides contradicts the other (birth name and birth date)."""
    birth_date = identity.get("birth_date")
    if birth_date and patient.birth_date and birth_date != patient.birth_date:
        return False
    name = identity_key(identity.get("birth_name", ""))
    return not (name and patient.birth_name and name != identity_key(patient.birth_name))


def find_known_patient(identity: dict[str, Any]) -> Patient | None:
    """The patient the clinic already knows with this NIR, or with the same birth name, first
    names and birth date (case and accents ignored). Raises PatientConflict when the NIR is known
    for someone else."""
    nir = identity.get("nir") or ""
    if nir:
        known = Patient.objects.filter(nir=nir).first()
        if known is not None:
            if not _same_person(known, identity):
                raise PatientConflict(
                    _(
                        "Ce NIR est déjà connu de la clinique pour un patient dont le nom de "
                        "naissance ou la date de naissance est différent : vérifiez le NIR et "
                        "l'identité saisie."
                    ),
                    code="nir_conflict",
                )
            return known
    name = identity_key(identity.get("birth_name", ""))
    first = identity_key(identity.get("first_names", ""))
    birth_date = identity.get("birth_date")
    if not (name and first and birth_date):
        return None
    for candidate in Patient.objects.filter(birth_date=birth_date).order_by("pk"):
        if nir and candidate.nir and candidate.nir != nir:
            continue  # two people (twins) sharing a name and birth date have two NIRs
        if identity_key(candidate.birth_name) == name and (
            identity_key(candidate.first_names) == first
        ):
            return candidate
    return None


def resolve_patient(*, referral: Referral, values: dict[str, Any]) -> Patient | None:
    """The patient row the referral should point at after this save.

    A record only this referral uses is the GP's to rewrite. A record shared with other referrals
    is never rewritten: its blanks are filled and its contact details refreshed, and a changed
    identity gets a record of its own."""
    values = {
        key: values.get(key) or ("" if key != "birth_date" else None) for key in PATIENT_FIELDS
    }
    current: Patient | None = referral.patient if referral.patient_id else None
    exclusive = current is not None and not current.referrals.exclude(pk=referral.pk).exists()
    known = find_known_patient(values)
    if known is not None and not (exclusive and known == current):
        changed = [f for f in IDENTITY_FIELDS if values[f] and not getattr(known, f)]
        changed += [f for f in CONTACT_FIELDS if values[f] and values[f] != getattr(known, f)]
        for name in changed:
            setattr(known, name, values[name])
        if changed:
            known.save(update_fields=[*changed, "updated_at"])
        return known
    if current is not None and exclusive:
        changed = [f for f in PATIENT_FIELDS if getattr(current, f) != values[f]]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
        return current
    if not any(values.values()):
        return None
    return Patient.objects.create(**values)
