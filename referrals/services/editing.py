"""What every write by a GP on their referral shares: the row lock and the editability check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from referrals.models import Referral
from referrals.workflow import lock as lock_referral

__all__ = ["NotEditable", "ensure_editable", "lock_referral"]


class NotEditable(DomainError):
    """The referral is past the point where its GP may change it."""


def ensure_editable(referral: Referral, by: User) -> None:
    if referral.gp_id != by.pk:
        raise PermissionDenied
    if not referral.is_editable_by_gp:
        raise NotEditable(_("Cette demande a déjà été adressée : elle n’est plus modifiable."))
