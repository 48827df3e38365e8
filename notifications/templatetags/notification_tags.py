"""What a message event on a timeline was: « Rappel du rendez-vous · Patient · SMS »."""

from __future__ import annotations

from typing import Any

from django import template

from notifications.choices import Channel, Kind, Recipient

register = template.Library()


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices.choices).get(value, value or ""))


@register.filter
def notification_summary(data: dict[str, Any]) -> str:
    if not isinstance(data, dict):
        return ""
    if "notification" not in data:
        return _label(Channel, data["channel"]) if "channel" in data else ""
    parts = (
        _label(Kind, data.get("kind")),
        _label(Recipient, data.get("recipient")),
        _label(Channel, data.get("channel")),
    )
    return " · ".join(p for p in parts if p)
