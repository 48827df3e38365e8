"""A patient's personal link to one follow-up questionnaire.

The token is 32 random bytes (secrets.token_urlsafe); only its SHA-256 is stored, so a copy of the
database opens nothing. A link is good once, until it expires (FOLLOWUP_LINK_DAYS) and while its
follow-up has no answer. Any other token — wrong, expired, used — finds nothing, and the page
says the same thing for each (security row 34)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from followups.models import FollowUp, FollowUpLink

TOKEN_MAX_LENGTH = 100


def followup_url(token: str) -> str:
    """The absolute address of a questionnaire (SITE_URL, else a relative path)."""
    path = reverse("followups:answer", kwargs={"token": token})
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_create(*, followup: FollowUp, now: datetime | None = None) -> tuple[FollowUpLink, str]:
    """A new link for `followup` and its token (to put in the message; never stored)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    link = FollowUpLink.objects.create(
        followup=followup,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.FOLLOWUP_LINK_DAYS),
    )
    return link, token


def link_withdraw(link: FollowUpLink, *, now: datetime | None = None) -> None:
    """Expire a link whose message did not leave (a failed send): the retry mints another."""
    link.expires_at = now or timezone.now()
    link.save(update_fields=["expires_at"])


def live_link(
    token: str, *, now: datetime | None = None, lock: bool = False
) -> FollowUpLink | None:
    """The link `token` opens, or None when it is wrong, expired, used or already answered."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    now = now or timezone.now()
    links = FollowUpLink.objects.select_related("followup")
    if lock:
        links = links.select_for_update(of=("self",))
    link = links.filter(
        token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=now
    ).first()
    if link is None or hasattr(link.followup, "answer"):
        return None
    return link


def has_live_link(followup: FollowUp, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return followup.links.filter(used_at__isnull=True, expires_at__gt=now).exists()
