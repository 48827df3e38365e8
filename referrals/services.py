"""Writes on referrals. Every function is keyword-only, runs in one transaction and leaves a
timeline event (pretix's log_action habit). Decisions by the radiologist live in
referrals/decisions.py; bookings in scheduling/services.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import User
from eligibility.adapter import evaluate_facts, facts_for_referral
from eligibility.engine import decision_to_dict, facts_to_dict
from referrals.access import may
from referrals.choices import ACTIVE_STATUSES, Status
from referrals.models import (
    FACT_FIELDS,
    LEVEL_FIELDS,
    Attachment,
    EligibilitySnapshot,
    FractureLevel,
    Referral,
    TimelineEvent,
    level_codes_of,
)
from referrals.patients import identity_as_entered, identity_for_gp, resolve_patient
from referrals.validators import ATTACHMENT_TYPES, attachment_content_type, clean_original_name


class ReferralIncomplete(ValidationError):
    """A required fact is missing for submission; `messages` says which."""


class DuplicateReferral(ValidationError):
    """The patient already has a referral in progress; submitting another needs a confirmation."""


class NotEditable(PermissionDenied):
    """The referral is past the point where its GP may change it."""


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


def log_event(
    *,
    referral: Referral,
    action: str,
    actor: User | None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Append a timeline event (a dotted name such as `referral.submitted`)."""
    return TimelineEvent.objects.create(
        referral=referral, action=action, actor=actor, data=data or {}, at=at or timezone.now()
    )


@transaction.atomic
def referral_evaluate(*, referral: Referral, reason: str) -> EligibilitySnapshot | None:
    """Run the engine on the referral's stored facts, store the snapshot (facts, output, ruleset
    version) and copy the verdict and dates onto the referral for lists.

    Returns None when the referral has no level (nothing to evaluate)."""
    facts = facts_for_referral(referral, as_of=timezone.localdate())
    decision = evaluate_facts(facts)
    if decision is None:
        return None
    output = decision_to_dict(decision, lang="fr")
    snapshot = EligibilitySnapshot.objects.create(
        referral=referral,
        reason=reason,
        ruleset_version=decision.ruleset,
        verdict=str(decision.verdict),
        facts=facts_to_dict(facts),
        output=output,
    )
    treatable = [lv for lv in decision.levels if lv.level in decision.procedure.levels_to_treat]
    candidates = treatable or list(decision.levels)
    ideal = [lv.ideal_until for lv in candidates if lv.ideal_until]
    latest = [lv.latest_until for lv in candidates if lv.latest_until]
    referral.verdict = str(decision.verdict)
    referral.ideal_until = min(ideal) if ideal else None
    referral.latest_until = min(latest) if latest else None
    referral.target_before = decision.target_before
    referral.earliest_procedure_date = decision.earliest_procedure_date
    referral.save(
        update_fields=[
            "verdict",
            "ideal_until",
            "latest_until",
            "target_before",
            "earliest_procedure_date",
            "updated_at",
        ]
    )
    return snapshot


# --- Referrals --------------------------------------------------------------------------------


def _ensure_editable(referral: Referral, by: User) -> None:
    if referral.gp_id != by.pk:
        raise PermissionDenied
    if not referral.is_editable_by_gp:
        raise NotEditable(_("Cette demande a déjà été adressée : elle n'est plus modifiable."))


def _lock(referral: Referral) -> Referral:
    # Lock the referral row only (the patient is an outer join, which PostgreSQL will not lock).
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("patient")
        .get(pk=referral.pk)
    )


@transaction.atomic
def referral_create_draft(*, by: User) -> Referral:
    """An empty draft of `by` (a GP), e.g. to keep files uploaded with a form that has errors."""
    referral = Referral.objects.create(gp=by, status=Status.DRAFT)
    log_event(referral=referral, action="referral.created", actor=by)
    return referral


def _apply_input(referral: Referral, *, data: ReferralInput) -> dict[str, Any]:
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
    referral.save()
    if (
        previous_patient is not None
        and previous_patient != patient
        and not previous_patient.referrals.exists()
    ):
        previous_patient.delete()  # a record only this referral used, now a duplicate
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
        referral = _lock(referral)
        _ensure_editable(referral, by)
        if referral.status != Status.DRAFT:
            raise NotEditable(_("Cette demande a été adressée : complétez-la et renvoyez-la."))
    event_data = _apply_input(referral, data=data)
    action = "referral.created" if created else "referral.draft_saved"
    log_event(referral=referral, action=action, actor=by, data=event_data)
    for upload in data.uploads:
        attachment_add(referral=referral, kind=upload.kind, file=upload.file, by=by)
    return referral


def missing_for_submission(referral: Referral) -> list[str]:
    """What must still be given before the clinic can receive the referral (French messages)."""
    missing: list[str] = []
    identity = identity_for_gp(referral)  # what the GP typed, not a shared record's blanks
    required = (
        ("birth_name", _("le nom de naissance du patient")),
        ("first_names", _("le ou les prénoms du patient")),
        ("birth_date", _("la date de naissance du patient")),
        ("sex", _("le sexe du patient")),
    )
    for name, label in required:
        if not identity.get(name):
            missing.append(label)
    if not referral.levels.exists():
        missing.append(_("au moins un niveau fracturé"))
    return missing


def _check_complete(referral: Referral) -> None:
    missing = missing_for_submission(referral)
    if missing:
        raise ReferralIncomplete(
            _("Pour adresser la demande, indiquez : %(missing)s.")
            % {"missing": ", ".join(missing)},
            code="incomplete",
        )


def _check_not_duplicate(referral: Referral, *, by: User) -> None:
    """A second open referral for one patient is most often the same one sent twice (a form
    resent from the browser history): ask the GP to confirm it is a new one.

    Only the GP's own referrals count: another GP's would tell them that this person is a patient
    of the clinic (security row 5); the clinic sees both on the patient's record."""
    if referral.patient_id is None:
        return
    other = (
        Referral.objects.filter(
            patient_id=referral.patient_id, status__in=ACTIVE_STATUSES, gp_id=by.pk
        )
        .exclude(pk=referral.pk)
        .order_by("-submitted_at")
        .first()
    )
    if other is None:
        return
    message = _(
        "Vous avez déjà adressé une demande pour ce patient (n° %(number)s), toujours en "
        "cours. S'il s'agit d'une nouvelle demande (une autre fracture), cochez la case "
        "ci-dessous puis adressez-la ; sinon, retrouvez la demande existante sur votre "
        "page d'accueil."
    ) % {"number": other.pk}
    raise DuplicateReferral(message, code="duplicate")


@transaction.atomic
def referral_submit(*, referral: Referral, by: User, confirm_new: bool = False) -> Referral:
    """draft → submitted: store the engine's decision snapshot and tell the clinic.

    Raises DuplicateReferral, unless `confirm_new`, when the patient already has a referral in
    progress."""
    referral = _lock(referral)
    if referral.gp_id != by.pk:
        raise PermissionDenied
    if referral.status != Status.DRAFT:
        raise NotEditable(_("Cette demande a déjà été adressée."))
    _check_complete(referral)
    if not confirm_new:
        _check_not_duplicate(referral, by=by)
    referral.status = Status.SUBMITTED
    referral.submitted_at = timezone.now()
    referral.save(update_fields=["status", "submitted_at", "updated_at"])
    snapshot = referral_evaluate(referral=referral, reason="submitted")
    verdict = snapshot.verdict if snapshot else ""
    log_event(referral=referral, action="referral.submitted", actor=by, data={"verdict": verdict})
    return referral


def _facts_without_date(facts: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in facts.items() if key != "as_of"}


@transaction.atomic
def referral_resubmit(
    *, referral: Referral, by: User, message: str = "", data: ReferralInput | None = None
) -> Referral:
    """info_requested → submitted, after the GP answered (`message`) and completed the referral
    (`data`, as the form yields it). The engine runs again; the timeline says whether the
    clinical facts changed."""
    referral = _lock(referral)
    if referral.gp_id != by.pk:
        raise PermissionDenied
    if referral.status != Status.INFO_REQUESTED:
        raise NotEditable(_("Aucune information n'est demandée sur cette demande."))
    identity_notes: dict[str, Any] = {}
    if data is not None:
        saved = _apply_input(referral, data=data)
        identity_notes = {
            k: saved[k] for k in ("contact_differs", "identity_to_check") if k in saved
        }
        for upload in data.uploads:
            attachment_add(referral=referral, kind=upload.kind, file=upload.file, by=by)
    _check_complete(referral)
    previous = referral.snapshots.order_by("-created_at", "-id").first()
    current = facts_to_dict(facts_for_referral(referral, as_of=timezone.localdate()))
    changed = previous is None or _facts_without_date(previous.facts) != _facts_without_date(
        current
    )
    previous_verdict = referral.verdict
    referral.status = Status.SUBMITTED
    referral.save(update_fields=["status", "updated_at"])
    snapshot = referral_evaluate(
        referral=referral, reason="facts_changed" if changed else "resubmitted"
    )
    verdict = snapshot.verdict if snapshot else ""
    if changed:
        log_event(
            referral=referral,
            action="referral.facts_changed",
            actor=by,
            data={"from": previous_verdict, "to": verdict},
        )
    log_event(
        referral=referral,
        action="referral.resubmitted",
        actor=by,
        data={
            "verdict": verdict,
            "facts_changed": changed,
            "message": message.strip(),
            **identity_notes,
        },
    )
    return referral


class IdentityNotToCheck(ValidationError):
    """The referral's identity is not (or no longer) flagged for a check."""


@transaction.atomic
def referral_identity_checked(*, referral: Referral, by: User) -> Referral:
    """Clear `identity_to_check` once staff (secretary or radiologist) checked the identity the GP
    typed against the clinic's records; the timeline keeps who did it."""
    referral = _lock(referral)
    if not may(by, "referrals.check_identity", referral):
        raise PermissionDenied
    if not referral.identity_to_check:
        raise IdentityNotToCheck(_("L'identité de ce patient a déjà été vérifiée."))
    referral.identity_to_check = False
    referral.save(update_fields=["identity_to_check", "updated_at"])
    log_event(referral=referral, action="referral.identity_checked", actor=by)
    return referral


# --- Attachments ------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, referral: Referral, kind: str, file: UploadedFile, by: User) -> Attachment:
    """Store a PDF/JPEG/PNG (checked by content and size) under a random name."""
    _ensure_editable(referral, by)
    content_type = attachment_content_type(file)
    attachment = Attachment(
        referral=referral,
        kind=kind,
        original_name=clean_original_name(file.name or "", content_type),
        content_type=content_type,
        size=file.size or 0,
        uploaded_by=by,
    )
    # The stored name's suffix follows the real type, never the name the browser sent.
    attachment.file.save(f"document{ATTACHMENT_TYPES[content_type]}", file, save=False)
    attachment.save()
    log_event(
        referral=referral,
        action="referral.attachment_added",
        actor=by,
        data={"attachment": attachment.pk, "kind": kind},
    )
    return attachment


def keep_uploads(*, referral: Referral | None, by: User, uploads: Sequence[Upload]) -> Referral:
    """Attach files uploaded with a form that has errors, so the GP does not choose them again:
    into the referral being edited, or a new draft."""
    with transaction.atomic():
        if referral is None:
            referral = referral_create_draft(by=by)
        for upload in uploads:
            attachment_add(referral=referral, kind=upload.kind, file=upload.file, by=by)
    return referral


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Remove an attachment of an editable referral; the file goes once the removal commits."""
    referral = attachment.referral
    _ensure_editable(referral, by)
    storage, name = attachment.file.storage, attachment.file.name
    log_event(
        referral=referral,
        action="referral.attachment_removed",
        actor=by,
        data={"attachment": attachment.pk, "kind": attachment.kind},
    )
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
