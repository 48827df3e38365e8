"""One fetch helper per model that applies object-level access: what a user may not see does not
exist for them (404). Each call writes the read-access log (granted or refused)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from clinic.audit import log_access
from clinic.middleware import current_request
from clinic.models import User
from referrals.models import Attachment, Referral


def _log(what: str, referral: Referral | None, object_id: int | None, granted: bool) -> None:
    request = current_request()
    if request is not None:
        log_access(request, what=what, referral=referral, object_id=object_id, granted=granted)


def get_referral_for(
    user: User, pk: int, *, perm: str = "referrals.view_referral", what: str = "referral"
) -> Referral:
    """The referral `pk` if `user` may see it (else 404) and may do `perm` (else 403).

    `what` names the data being opened in the access log (referral, pdf.report, …)."""
    referral = Referral.objects.select_related("patient", "gp").filter(pk=pk).first()
    if referral is None or not user.has_perm("referrals.view_referral", referral):
        _log(what, referral, pk, granted=False)
        raise Http404
    if perm != "referrals.view_referral" and not user.has_perm(perm, referral):
        # The user may see it but not do this: a plain refusal is no leak.
        _log(what, referral, pk, granted=False)
        raise PermissionDenied
    _log(what, referral, pk, granted=True)
    return referral


def get_attachment_for(user: User, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("referral").filter(pk=pk).first()
    referral = attachment.referral if attachment else None
    if attachment is None or not user.has_perm("referrals.view_referral", referral):
        _log("attachment", referral, pk, granted=False)
        raise Http404
    _log("attachment", referral, pk, granted=True)
    return attachment
