"""One fetch helper per model that applies object-level access: what a user may not see does not
exist for them (404). Each call writes the read-access log (granted or refused).

The rules themselves are django-rules permissions (referrals/rules.py), asked through
`rules.has_perm`, not `user.has_perm`: Django grants a superuser every permission, and an
administrator account must not read patient files through that back door. Views never test roles
or ownership on an object by hand."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from clinic.audit import log_access
from clinic.models import User
from referrals.models import Attachment, Referral

VIEW = "referrals.view_referral"


def may(user: User, perm: str, referral: Referral | None) -> bool:
    """Whether `user` may do `perm` on `referral` under referrals/rules.py (no superuser bypass)."""
    return user.is_active and rules.has_perm(perm, user, referral)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def get_referral_for(
    request: HttpRequest, pk: int, *, perm: str = VIEW, what: str = "referral"
) -> Referral:
    """The referral `pk` if the request's user may see it (else 404) and may do `perm` (else
    403), logged either way in the read-access log.

    `what` names the data being opened in the access log (clinic.audit.WHAT_LABELS)."""
    user = _user(request)
    referral = Referral.objects.select_related("patient", "gp").filter(pk=pk).first()
    if referral is None or not may(user, VIEW, referral):
        log_access(request, what=what, referral=referral, object_id=pk, granted=False)
        raise Http404
    if perm != VIEW and not may(user, perm, referral):
        # The user may see it but not do this: a plain refusal is no leak.
        log_access(request, what=what, referral=referral, object_id=pk, granted=False)
        raise PermissionDenied
    log_access(request, what=what, referral=referral, object_id=pk, granted=True)
    return referral


def get_attachment_for(
    request: HttpRequest, pk: int, *, perm: str = VIEW, what: str = "attachment"
) -> Attachment:
    """The attachment `pk` if the request's user may see its referral (else 404) and may do
    `perm` on the referral (else 403); logged either way."""
    user = _user(request)
    attachment = Attachment.objects.select_related("referral").filter(pk=pk).first()
    referral = attachment.referral if attachment else None
    if attachment is None or not may(user, VIEW, referral):
        log_access(request, what=what, referral=referral, object_id=pk, granted=False)
        raise Http404
    if perm != VIEW and not may(user, perm, referral):
        log_access(request, what=what, referral=referral, object_id=pk, granted=False)
        raise PermissionDenied
    log_access(request, what=what, referral=referral, object_id=pk, granted=True)
    return attachment


# Routes whose <pk> is not a referral's: how to find the referral (and so the patient) an attempt
# was about. Every other route with a <pk> takes a referral id; routes listed with None hold no
# patient data. tests/security/test_role_matrix.py checks every route against this table.
ROUTE_REFERRAL_LOOKUPS: dict[str, str | None] = {
    "referrals:attachment_download": "attachments__pk",
    "referrals:gp_attachment_remove": "attachments__pk",
    "reports:decision_letter": "decisions__pk",
    "reports:surgical_letter": "decisions__pk",
    "scheduling:reschedule": "bookings__pk",
    "scheduling:cancel": "bookings__pk",
    "scheduling:arrived": "bookings__pk",
    "scheduling:done": "bookings__pk",
    "scheduling:no_show": "bookings__pk",
    "scheduling:convocation": "bookings__pk",
    "scheduling:convocation_ics": "bookings__pk",
    "scheduling:convocation_resend": "bookings__convocation_changes__pk",
    "scheduling:imaging_change": "imaging_appointments__pk",
    "scheduling:imaging_cancel": "imaging_appointments__pk",
    "scheduling:imaging_letter": "imaging_appointments__pk",
    "scheduling:imaging_ics": "imaging_appointments__pk",
    "scheduling:session_edit": None,
    "quality:kept_report": None,  # a month's aggregate report: about no one patient
    "scheduling:session_move": None,
    "notifications:retry": "messages__pk",
}


def log_role_refusal(request: HttpRequest, pk: object) -> None:
    """A page about one object refused to the user's role: log the attempt against the patient
    it was about, as a refused access (`what` = "role:<route>")."""
    match = request.resolver_match
    route = match.view_name if match else ""
    lookup = ROUTE_REFERRAL_LOOKUPS.get(route, "pk")
    if lookup is None or not isinstance(pk, int):
        return
    referral = Referral.objects.filter(**{lookup: pk}).only("pk", "patient_id").first()
    what = f"role:{route}"[:40]
    log_access(request, what=what, referral=referral, object_id=pk, granted=False)
