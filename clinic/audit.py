"""The read-access log: who opened which patient's data, when, granted or refused.

Views call `log_access` right after the access decision, for pages, attachments and documents.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from clinic.models import AccessLog


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def log_access(
    request: HttpRequest,
    *,
    what: str,
    referral: Any = None,
    object_id: int | None = None,
    granted: bool = True,
) -> AccessLog:
    """Record one access. `what` names the kind of data: referral, attachment, pdf.report, …"""
    user = request.user if request.user.is_authenticated else None
    return AccessLog.objects.create(
        at=timezone.now(),
        user=user,
        patient_id=getattr(referral, "patient_id", None),
        referral_id=getattr(referral, "pk", None),
        what=what,
        object_id=object_id,
        outcome=AccessLog.Outcome.GRANTED if granted else AccessLog.Outcome.REFUSED,
        ip_address=_client_ip(request),
    )
