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
    # Contact details typed that the shared record lacks or holds otherwise; the record keeps its
    # own until staff confirm the typed ones (referrals.services.identity).
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


def _own_draft_record(referral: Referral) -> Patient | None:
    """The referral's record if it is still only this GP's typing: no other referral uses it and
    staff have not confirmed it. Only such a record follows the GP's edits."""
    current: Patient | None = referral.patient if referral.patient_id else None
    if current is None or current.confirmed_at is not None:
        return None
    if current.referrals.exclude(pk=referral.pk).exists():
        return None
    return current


def resolve_patient(*, referral: Referral, values: dict[str, Any]) -> Resolution:
    """The patient row the referral should point at after this save.

    Nothing a GP types changes the clinic's record of a patient (security row 29): a known
    patient is linked as it stands, not a blank of it is filled; the details typed stay on the
    referral (`identity_as_entered`) and those that differ are reported for staff, who confirm
    them (referrals.services.identity). The only record a GP's save rewrites is the one their own
    referral created and nobody else uses or confirmed. A NIR held by someone else gives the
    referral a record of its own without the NIR, flagged for an identity check by staff (the GP
    is not told: that would disclose a patient)."""
    values = _normalised(values)
    own = _own_draft_record(referral)
    known, nir_taken = find_known_patient(values, exclude=own.pk if own is not None else None)
    if nir_taken:
        values["nir"] = ""
    elif known is not None:
        differs = [f for f in CONTACT_FIELDS if values[f] and getattr(known, f) != values[f]]
        return Resolution(patient=known, contact_differs=differs)
    if own is not None:
        changed = [f for f in PATIENT_FIELDS if getattr(own, f) != values[f]]
        for name in changed:
            setattr(own, name, values[name])
        if changed:
            own.save(update_fields=[*changed, "updated_at"])
        return Resolution(patient=own, identity_to_check=nir_taken)
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


def patient_for_letter(referral: Referral) -> Patient | None:
    """The patient as a document the referring GP downloads prints it (decision and surgical
    letters): the clinic's record once staff confirmed it, else what this referral's GP typed;
    never another GP's entries (security row 29)."""
    record: Patient | None = referral.patient if referral.patient_id else None
    if record is not None and record.confirmed_at is not None:
        return record
    if referral.identity_as_entered:
        return patient_for_gp(referral)
    if record is not None and not record.referrals.exclude(pk=referral.pk).exists():
        return record  # a referral older than the typed copy, alone on its record
    return None


CONVOCATION_IDENTITY = ("birth_name", "used_name", "first_names", "birth_date", "sex")


def patient_for_convocation(referral: Referral) -> Patient | None:
    """The patient as the convocation (which the patient receives) prints it: the confirmed
    record; before staff confirm it, only the name, sex and birth date this referral's GP typed
    (the traits the record was matched on), and no address, phone or e-mail."""
    record: Patient | None = referral.patient if referral.patient_id else None
    if record is not None and record.confirmed_at is not None:
        return record
    typed = patient_for_letter(referral)
    if typed is None:
        return None
    return Patient(**{name: getattr(typed, name) for name in CONVOCATION_IDENTITY})
