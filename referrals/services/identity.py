"""Staff confirm a patient identity flagged for a check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from referrals.access import may
from referrals.models import (
    Referral,
)
from referrals.services.editing import lock_referral
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
        raise IdentityNotToCheck(_("L'identité de ce patient a déjà été vérifiée."))
    referral.identity_to_check = False
    referral.save(update_fields=["identity_to_check", "updated_at"])
    log_event(referral=referral, action="referral.identity_checked", actor=by)
    return referral


# --- Attachments ------------------------------------------------------------------------------
