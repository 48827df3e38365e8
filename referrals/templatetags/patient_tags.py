"""How a patient's identifiers are shown on pages and documents."""

from __future__ import annotations

from django import template

from referrals.validators import format_nir

register = template.Library()


@register.filter
def nir(value: str | None) -> str:
    """`{{ patient.nir|nir }}`: « 2 41 03 07 123 456 12 », grouped as on the carte Vitale, the
    groups kept on one line; a value that is not a NIR is shown as stored."""
    return format_nir(value or "")
