"""Template helpers shared by every app's pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def colon(label: str) -> str:
    """`{% translate "Motif" as label %}{{ label|colon }}`: « Motif : » in French, with the space
    French puts before a colon, "Reason:" in English (a colon written after a translated label
    kept the French space in English)."""
    return _("%(label)s :") % {"label": label}
