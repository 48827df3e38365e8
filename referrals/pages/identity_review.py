"""What staff see of a referral's patient identity when it needs a look: the identity as the GP
typed it beside the clinic's record (a NIR held by another patient), and contact details typed
that differ from a shared record (docs/security.md, row 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from referrals.choices import Sex
from referrals.models import Patient, Referral
from referrals.services.patients import CONTACT_FIELDS, identity_for_gp
from referrals.validators import format_nir

# Events whose data says how the GP's last save of the patient compared with the record.
PATIENT_SAVE_ACTIONS = ("referral.created", "referral.draft_saved", "referral.resubmitted")
IDENTITY_REVIEW_FIELDS = ("birth_name", "used_name", "first_names", "birth_date", "sex", "nir")


@dataclass(frozen=True)
class FieldRow:
    """One field: its label, as the GP typed it, as the clinic holds it (and another patient)."""

    label: str
    typed: str
    record: str
    holder: str = ""
    name: str = ""  # the Patient field, for staff to copy a typed contact detail onto the record

    @property
    def differs(self) -> bool:
        return self.typed != self.record


def _label(name: str) -> str:
    return str(getattr(Patient._meta.get_field(name), "verbose_name", name))


def _shown(name: str, value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if name == "nir":
        return format_nir(str(value or ""))
    if name == "sex" and value:
        return str(Sex(str(value)).label)
    return str(value or "")


def identity_rows(referral: Referral) -> tuple[list[FieldRow], Patient | None]:
    """The identity typed beside the referral's record, and the patient who already holds the
    typed NIR (the reason for the check), if any."""
    typed = identity_for_gp(referral) if referral.identity_as_entered else {}
    patient = referral.patient if referral.patient_id else None
    nir = typed.get("nir") or ""
    holder = (
        Patient.objects.filter(nir=nir).exclude(pk=referral.patient_id or 0).first()
        if nir
        else None
    )
    rows = [
        FieldRow(
            label=_label(name),
            typed=_shown(name, typed.get(name)),
            record=_shown(name, getattr(patient, name, "")),
            holder=_shown(name, getattr(holder, name, "")) if holder else "",
        )
        for name in IDENTITY_REVIEW_FIELDS
    ]
    return rows, holder


def contact_differences(referral: Referral) -> list[FieldRow]:
    """Contact details the GP typed on their last save that differ from the shared record, as
    noted on that save's timeline event and still differing now."""
    event = referral.events.filter(action__in=PATIENT_SAVE_ACTIONS).order_by("-at", "-id").first()
    names = (event.data or {}).get("contact_differs", []) if event is not None else []
    if not names or not referral.patient_id:
        return []
    typed = referral.identity_as_entered or {}
    patient = referral.patient
    rows = [
        FieldRow(
            label=_label(name),
            typed=typed.get(name) or "",
            record=getattr(patient, name),
            name=name,
        )
        for name in CONTACT_FIELDS
        if name in names
    ]
    return [row for row in rows if row.typed and row.differs]
