"""The workflow's buttons in templates: which transitions the user may take on a referral now,
read from the table in referrals/workflow.py (label, style, url)."""

from __future__ import annotations

from typing import Any

from django import template

from referrals import workflow
from referrals.models import Referral

register = template.Library()


@register.simple_tag(takes_context=True)
def transitions(context: dict[str, Any], referral: Referral, names: str) -> list[Any]:
    """`{% transitions referral "arrive no_show" as steps %}`: those the user may take now."""
    user = context["request"].user
    return workflow.available(user, referral, names.split())
