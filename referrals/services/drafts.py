"""The GP's draft: created, saved from the form (patient, facts, levels, files)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from clinic.models import User
from referrals.choices import Status
from referrals.models import (
    FACT_FIELDS,
    LEVEL_FIELDS,
    FractureLevel,
    Referral,
    level_codes_of,
)
from referrals.services.attachments import attachment_add, quota_refusal
from referrals.services.editing import NotEditable, ensure_editable, lock_referral
from referrals.services.patients import identity_as_entered, resolve_patient
from referrals.services.timeline import log_event


@dataclass(frozen=True)
class Upload:
    """An uploaded file and the kind of document the GP filed it under."""

    kind: str
    file: UploadedFile


@dataclass
class ReferralInput:
    """What the referral form yields, already validated and normalised."""

    patient: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    levels: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    # A draft's values kept as typed, their columns blank (referrals/forms/draft_values.py).
    draft_values: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def referral_create_draft(*, by: User) -> Referral:
    """An empty draft of `by` (a GP), e.g. to keep files uploaded with a form that has errors."""
    referral = Referral.objects.create(gp=by, status=Status.DRAFT)
    log_event(referral=referral, action="referral.created", actor=by)
    return referral


def apply_input(referral: Referral, *, data: ReferralInput) -> dict[str, Any]:
    """Write the form's patient (reusing a known one), facts and levels (replaced as a whole) onto
    an editable referral; returns what the timeline event should record.

    The identity as typed is kept on the referral: it is all the GP ever sees of the patient."""
    previous_patient = referral.patient if referral.patient_id else None
    resolution = resolve_patient(referral=referral, values=data.patient)
    patient = resolution.patient
    referral.patient = patient
    referral.identity_as_entered = identity_as_entered(data.patient)
    referral.identity_to_check = resolution.identity_to_check
    for name in FACT_FIELDS:
        if name in data.facts:
            setattr(referral, name, data.facts[name])
    referral.level_codes = level_codes_of(row["level"] for row in data.levels)
    referral.draft_values = data.draft_values
    referral.save()
    if (
        previous_patient is not None
        and previous_patient != patient
        and previous_patient.confirmed_at is None
        and not previous_patient.referrals.exists()
    ):
        previous_patient.delete()  # a record only this referral's typing made, now a duplicate
    referral.levels.all().delete()
    for row in data.levels:
        FractureLevel(referral=referral, **{k: row.get(k) for k in LEVEL_FIELDS if k in row}).save()
    event_data: dict[str, Any] = {"levels": [row["level"] for row in data.levels]}
    if patient is not None and patient != previous_patient and patient.referrals.count() > 1:
        event_data["known_patient"] = True
    if resolution.contact_differs:
        # For the secretariat: the shared record keeps its details, the typed ones are on the
        # referral (identity_as_entered).
        event_data["contact_differs"] = resolution.contact_differs
    if resolution.identity_to_check:
        event_data["identity_to_check"] = True
    return event_data


@transaction.atomic
def referral_save_draft(*, referral: Referral | None, by: User, data: ReferralInput) -> Referral:
    """Create or update a draft from the form, with its new attachments. Status does not change.

    A referral the clinic already holds changes only through referral_resubmit (with a new
    evaluation), never as a silent edit."""
    created = referral is None
    if referral is None:
        referral = Referral(gp=by, status=Status.DRAFT)
    else:
        referral = lock_referral(referral)
        ensure_editable(referral, by)
        if referral.status != Status.DRAFT:
            raise NotEditable(_("Cette demande a été adressée : complétez-la et renvoyez-la."))
    event_data = apply_input(referral, data=data)
    action = "referral.created" if created else "referral.draft_saved"
    log_event(referral=referral, action=action, actor=by, data=event_data)
    for upload in data.uploads:
        attachment_add(referral=referral, kind=upload.kind, file=upload.file, by=by)
    return referral


def keep_uploads(
    *, referral: Referral | None, by: User, uploads: Sequence[Upload]
) -> tuple[Referral | None, str | None]:
    """Attach files uploaded with a form that has errors, so the GP does not choose them again:
    into the referral being edited, or a new draft. Past a quota none is kept: the reason is
    returned for the form to show."""
    refusal = quota_refusal(referral=referral, by=by, sizes=[u.file.size or 0 for u in uploads])
    if refusal is not None:
        return referral, refusal
    with transaction.atomic():
        if referral is None:
            referral = referral_create_draft(by=by)
        for upload in uploads:
            attachment_add(referral=referral, kind=upload.kind, file=upload.file, by=by)
    return referral, None
