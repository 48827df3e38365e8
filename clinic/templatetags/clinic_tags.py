"""Template helpers shared by every app's pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from clinic import links

register = template.Library()


@register.filter
def colon(label: str) -> str:
    """`{% translate "Motif" as label %}{{ label|colon }}`: « Motif : » in French, with the space
    French puts before a colon, "Reason:" in English (a colon written after a translated label
    kept the French space in English)."""
    return _("%(label)s :") % {"label": label}


@register.simple_tag
def object_url(name: str, pk: int) -> str:
    """`{% object_url "scheduling:arrived" booking.pk %}`: what `{% url name pk %}` writes, from a
    pattern reversed once per URL name (clinic.links), for the rows of long tables."""
    return links.object_url(name, pk)
