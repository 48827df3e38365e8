"""The GP calls a referral off: a draft they delete, or a referral sent to the clinic that they
withdraw. Both are keyword-only, run in one transaction and leave a timeline event
(referrals/services/'s habits).

A deleted draft is not a deleted row. Its timeline is a record of what happened, which the
application never deletes (clinic/append_only.py, and the database role in production:
docs/postgres-app-role.sql), so the row stays, emptied: no patient, no clinical facts, no levels,
no files. It is « discarded » and exists for no one (referrals/rules.py); the clinic never saw
it."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.dates import long_date
from clinic.errors import DomainError
from clinic.models import User
from referrals import workflow
from referrals.choices import Status
from referrals.models import FACT_FIELDS, Referral
from referrals.services.editing import NotEditable

REASON_MAX_LENGTH = 1000


class ReasonRequired(DomainError):
    """A withdrawal needs the GP's reason, which the clinic reads."""


def _delete_file(storage: Storage, name: str | None) -> None:
    if name:
        storage.delete(name)


@transaction.atomic
def referral_discard_draft(*, referral: Referral, by: User) -> Referral:
    """draft → discarded: erase what the GP typed and the files they attached. The patient record
    goes too when no other referral uses it."""
    referral = workflow.lock(referral)
    workflow.check(referral=referral, name="discard", by=by)
    attachments = list(referral.attachments.all())
    for attachment in attachments:
        attachment.delete()
        # The file goes once the rows are gone for good (a rollback keeps both).
        transaction.on_commit(partial(_delete_file, attachment.file.storage, attachment.file.name))
    referral.levels.all().delete()
    patient = referral.patient
    emptied: dict[str, object] = {}
    for name in FACT_FIELDS:
        field = Referral._meta.get_field(name)
        assert isinstance(field, Field)
        emptied[name] = field.get_default()
    emptied |= {
        "patient": None,
        "identity_as_entered": {},
        "identity_to_check": False,
        "level_codes": "",
    }
    referral = workflow.apply_transition(
        referral=referral,
        name="discard",
        by=by,
        changes=emptied,
        data={"attachments": len(attachments)},
    )
    if patient is not None and patient.confirmed_at is None and not patient.referrals.exists():
        patient.delete()  # a record only this draft used
    return referral


def not_discardable_message(referral: Referral) -> str:
    """Why the GP cannot delete this referral: it is no longer a draft."""
    message = str(workflow.refusal(referral, "discard") or "")
    if referral.status in workflow.TRANSITIONS["withdraw"].sources:
        message += " " + _("Si le patient n’en a plus besoin, annulez-la.")
    return message


def withdrawal_refusal(referral: Referral) -> str:
    """Why the GP cannot withdraw this referral now, and what to do instead ("" when they can).

    What the clinic has booked, the clinic cancels: a date in a session, or an examination at
    the centre still to come (the place is freed by the secretariat, who knows it)."""
    phone = {"phone": settings.CLINIC_PHONE}
    if referral.status in (Status.SCHEDULED, Status.ARRIVED):
        return (
            _(
                "Un rendez-vous est fixé pour ce patient : pour l’annuler, appelez le secrétariat "
                "de la clinique au %(phone)s."
            )
            % phone
        )
    refusal = workflow.refusal(referral, "withdraw")
    if refusal is not None:
        return refusal
    exam = (
        referral.imaging_appointments.filter(cancelled_at__isnull=True, at__gt=timezone.now())
        .order_by("at")
        .first()
    )
    if exam is None:
        return ""
    return _(
        "Un examen d’imagerie est programmé au centre pour ce patient (%(exam)s, le "
        "%(day)s) : pour annuler la demande, appelez d’abord le secrétariat de la clinique "
        "au %(phone)s."
    ) % {"exam": exam.get_modality_display(), "day": long_date(exam.at), **phone}


@transaction.atomic
def referral_withdraw(*, referral: Referral, by: User, reason: str) -> Referral:
    """submitted, information requested or accepted → cancelled, with the GP's reason (the
    clinic reads it on the referral's timeline). What the clinic booked (a session, an
    examination at the centre) the secretariat cancels first (withdrawal_refusal)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(
            _("Indiquez le motif de l’annulation (par exemple : le patient a renoncé)."),
            field="reason",
        )
    referral = workflow.lock(referral)
    if referral.gp_id != by.pk:
        raise PermissionDenied
    refusal = withdrawal_refusal(referral)
    if refusal:
        raise NotEditable(refusal)
    return workflow.apply_transition(
        referral=referral,
        name="withdraw",
        by=by,
        data={"reason": reason[:REASON_MAX_LENGTH], "from": referral.status},
    )
