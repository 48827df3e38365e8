"""What every write by a GP on their referral shares: the row lock and the editability check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from clinic.models import User
from referrals.models import (
    Referral,
)


class NotEditable(PermissionDenied):
    """The referral is past the point where its GP may change it."""


def ensure_editable(referral: Referral, by: User) -> None:
    if referral.gp_id != by.pk:
        raise PermissionDenied
    if not referral.is_editable_by_gp:
        raise NotEditable(_("Cette demande a déjà été adressée : elle n'est plus modifiable."))


def lock_referral(referral: Referral) -> Referral:
    # Lock the referral row only (the patient is an outer join, which PostgreSQL will not lock).
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("patient")
        .get(pk=referral.pk)
    )
