"""Labels of timeline events (dotted action names), shown on referral pages."""

from __future__ import annotations

from referrals.choices import TimelineAction


def event_label(action: str) -> str:
    """The event's label in the active language (TimelineAction), or its name if unknown."""
    if action in TimelineAction.values:
        return str(TimelineAction(action).label)
    return action
