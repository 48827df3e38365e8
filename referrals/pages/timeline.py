"""Labels of timeline events (dotted action names), shown on referral pages."""

from __future__ import annotations

from typing import Any

from referrals.choices import TimelineAction

EVENT_LABELS: dict[str, Any] = dict(TimelineAction.choices)


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))
