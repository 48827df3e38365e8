"""One fetch helper per model that applies object-level access: what a user may not see does not
exist for them (404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from clinic.models import User
from referrals.models import Attachment, Referral


def get_referral_for(user: User, pk: int, *, perm: str = "referrals.view_referral") -> Referral:
    try:
        referral = Referral.objects.select_related("patient", "gp").get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404 from None
    if not user.has_perm("referrals.view_referral", referral):
        raise Http404
    if perm != "referrals.view_referral" and not user.has_perm(perm, referral):
        # The user may see it but not do this: a plain refusal is no leak.
        raise PermissionDenied
    return referral


def get_attachment_for(user: User, pk: int) -> Attachment:
    try:
        attachment = Attachment.objects.select_related("referral").get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    if not user.has_perm("referrals.view_referral", attachment.referral):
        raise Http404
    return attachment
