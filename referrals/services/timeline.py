"""The referral timeline's writes: one append-only event per thing that happened."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from clinic.models import User
from referrals.models import (
    Referral,
    TimelineEvent,
)


def log_event(
    *,
    referral: Referral,
    action: str,
    actor: User | None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Append a timeline event (a dotted name such as `referral.submitted`)."""
    return TimelineEvent.objects.create(
        referral=referral, action=action, actor=actor, data=data or {}, at=at or timezone.now()
    )
