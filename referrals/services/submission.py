"""Sending a referral to the clinic: draft → submitted, and info_requested → submitted after the
GP answered. The engine runs again and the timeline says what changed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from eligibility.adapter import facts_for_referral
from eligibility.engine import facts_to_dict
from referrals import workflow
from referrals.choices import ACTIVE_STATUSES, TimelineAction
from referrals.models import (
    Referral,
)
from referrals.services.attachments import attachment_add
from referrals.services.drafts import ReferralInput, apply_input
from referrals.services.editing import lock_referral
from referrals.services.evaluation import referral_evaluate
from referrals.services.patients import identity_for_gp
from referrals.services.timeline import log_event


class ReferralIncomplete(DomainError):
    """A required fact is missing for submission; the message says which."""


class NothingAnswered(DomainError):
    """A referral sent back to the radiologist with neither a reply nor a change."""


class DuplicateReferral(DomainError):
    """The patient already has a referral in progress; submitting another needs a confirmation."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="confirm_new_referral")


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
    if referral.draft_values:
        # Kept as typed in a draft (a wrong NIR key, a future date): the clinic never gets them.
        raise ReferralIncomplete(
            _(
                "Des valeurs enregistrées dans le brouillon sont encore à corriger : ouvrez-le, "
                "corrigez-les, puis adressez la demande."
            )
        )
    missing = missing_for_submission(referral)
    if missing:
        raise ReferralIncomplete(
            _("Pour adresser la demande, indiquez : %(missing)s.") % {"missing": ", ".join(missing)}
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
        "cours. S’il s’agit d’une nouvelle demande (une autre fracture), cochez la case "
        "ci-dessous puis adressez-la ; sinon, retrouvez la demande existante sur votre "
        "page d’accueil."
    ) % {"number": other.pk}
    raise DuplicateReferral(message)


@transaction.atomic
def referral_submit(*, referral: Referral, by: User, confirm_new: bool = False) -> Referral:
    """draft → submitted: store the engine's decision snapshot and tell the clinic.

    Raises DuplicateReferral, unless `confirm_new`, when the patient already has a referral in
    progress."""
    referral = lock_referral(referral)
    workflow.check(referral=referral, name="submit", by=by)
    _check_complete(referral)
    if not confirm_new:
        _check_not_duplicate(referral, by=by)
    snapshot = referral_evaluate(referral=referral, reason="submitted")
    return workflow.apply_transition(
        referral=referral,
        name="submit",
        by=by,
        changes={"submitted_at": timezone.now(), "new_fracture": _treated_before(referral)},
        data={"verdict": snapshot.verdict if snapshot else ""},
    )


def _treated_before(referral: Referral) -> bool:
    """The clinic already treated this patient (a procedure report was signed): the referral is
    a new fracture, which the worklist marks and puts first among those of its urgency."""
    patient = referral.patient
    return patient is not None and patient.last_treated_on is not None


def _facts_without_date(facts: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in facts.items() if key != "as_of"}


@transaction.atomic
def referral_resubmit(
    *, referral: Referral, by: User, message: str = "", data: ReferralInput | None = None
) -> Referral:
    """info_requested → submitted, after the GP answered (`message`) and completed the referral
    (`data`, as the form yields it); a reply, changed facts or a new document is required. The
    engine runs again; the timeline says whether the clinical facts changed."""
    referral = lock_referral(referral)
    workflow.check(referral=referral, name="resubmit", by=by)
    identity_notes: dict[str, Any] = {}
    if data is not None:
        saved = apply_input(referral, data=data)
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
    uploaded = data is not None and bool(data.uploads)
    if not (message.strip() or changed or uploaded):
        # Sent back as it was, the radiologist would get the same question unanswered.
        raise NothingAnswered(
            _(
                "Répondez à la question du radiologue, ou complétez la demande (une information "
                "ou un document), avant de la renvoyer."
            ),
            field="reply",
        )
    previous_verdict = referral.verdict
    snapshot = referral_evaluate(
        referral=referral, reason="facts_changed" if changed else "resubmitted"
    )
    verdict = snapshot.verdict if snapshot else ""
    if changed:
        log_event(
            referral=referral,
            action=TimelineAction.FACTS_CHANGED,
            actor=by,
            data={"from": previous_verdict, "to": verdict},
        )
    return workflow.apply_transition(
        referral=referral,
        name="resubmit",
        by=by,
        changes={"new_fracture": _treated_before(referral)},
        data={
            "verdict": verdict,
            "facts_changed": changed,
            "message": message.strip(),
            **identity_notes,
        },
    )
