"""The desk closes an accepted referral that will never be booked (the patient gave up, moved
away, was treated elsewhere), with the reason the radiologist and the GP read on its timeline."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from referrals import workflow
from referrals.models import Referral

REASON_MAX_LENGTH = 1000


@transaction.atomic
def referral_close(*, referral: Referral, by: User, reason: str) -> Referral:
    """accepted → closed. A booked referral has its booking cancelled first (the table refuses)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Indiquez le motif de la clôture (par exemple : le patient a renoncé au geste)."),
            field="reason",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            _("Le motif ne doit pas dépasser %(max)d caractères.") % {"max": REASON_MAX_LENGTH},
            field="reason",
        )
    return workflow.apply_transition(
        referral=referral, name="close", by=by, data={"reason": reason}
    )
