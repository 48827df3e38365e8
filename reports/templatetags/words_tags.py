"""Words that fit the person on pages too (reports/words.py): « {{ patient|born }} »."""

from __future__ import annotations

from typing import Any

from django import template

from reports.words import born_on

register = template.Library()


@register.filter
def born(patient: Any) -> str:
    """« né le 02/03/1941 », « née le … », « date de naissance : … »; "" without a date."""
    return born_on(patient, getattr(patient, "birth_date", None))
