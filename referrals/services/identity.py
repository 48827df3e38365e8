"""Staff confirm a patient identity flagged for a check."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from referrals.access import may
from referrals.models import Patient, Referral
from referrals.services.editing import lock_referral
from referrals.services.patients import CONTACT_FIELDS, identity_for_gp
from referrals.services.timeline import log_event


class IdentityNotToCheck(DomainError):
    """The referral's identity is not (or no longer) flagged for a check."""


@transaction.atomic
def referral_identity_checked(*, referral: Referral, by: User) -> Referral:
    """Clear `identity_to_check` once staff (secretary or radiologist) checked the identity the GP
    typed against the clinic's records; the timeline keeps who did it."""
    referral = lock_referral(referral)
    if not may(by, "referrals.check_identity", referral):
        raise PermissionDenied
    if not referral.identity_to_check:
        raise IdentityNotToCheck(_("L’identité de ce patient a déjà été vérifiée."))
    referral.identity_to_check = False
    referral.save(update_fields=["identity_to_check", "updated_at"])
    log_event(referral=referral, action="referral.identity_checked", actor=by)
    return referral


@transaction.atomic
def patient_confirm(*, referral: Referral, by: User, copy: Sequence[str] = ()) -> Patient:
    """Staff confirm the clinic's record of the referral's patient, copying onto it the contact
    details named in `copy` as this referral's GP typed them: the only way a GP's typing reaches
    a record another referral uses (security row 29). The timeline keeps who, when and what."""
    referral = lock_referral(referral)
    if not may(by, "referrals.check_identity", referral):
        raise PermissionDenied
    if referral.patient_id is None:
        raise DomainError(_("Cette demande n’a pas de patient à confirmer."))
    unknown = [name for name in copy if name not in CONTACT_FIELDS]
    if unknown:
        raise DomainError(_("Seules les coordonnées peuvent être reportées au dossier."))
    patient = Patient.objects.select_for_update().get(pk=referral.patient_id)
    typed = identity_for_gp(referral)
    copied = [name for name in copy if typed.get(name) and typed[name] != getattr(patient, name)]
    for name in copied:
        setattr(patient, name, typed[name])
    patient.confirmed_at = timezone.now()
    patient.confirmed_by = by
    patient.save(update_fields=[*copied, "confirmed_at", "confirmed_by", "updated_at"])
    log_event(
        referral=referral,
        action="referral.patient_confirmed",
        actor=by,
        data={"patient": patient.pk, "copied": copied},
    )
    return patient


# --- Attachments ------------------------------------------------------------------------------
