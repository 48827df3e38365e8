"""Template helpers shared by every app's pages."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.translation import gettext as _

from clinic import dates, links

register = template.Library()


@register.filter
def colon(label: str) -> str:
    """`{% translate "Motif" as label %}{{ label|colon }}`: « Motif : » in French, with the space
    French puts before a colon, "Reason:" in English (a colon written after a translated label
    kept the French space in English)."""
    return _("%(label)s :") % {"label": label}


@register.filter(is_safe=True)
def nbsp(text: str, which: str = "") -> str:
    """Spaces a line must not break at: `{{ born|nbsp }}` all of them (« né(e) le 03/02/1950 »
    on one line); `{{ before|nbsp:"last" }}` the last one (a date stays with the word before it:
    « À traiter avant le 03/02/2026 »). Turning spaces into no-break spaces adds no markup: a
    text safe before is safe after."""
    if which == "last":
        head, space, tail = text.rpartition(" ")
        return f"{head}\u00a0{tail}" if space else tail
    return text.replace(" ", "\u00a0")


@register.filter
def long_date(day: date | None, options: str = "") -> str:
    """`{{ day|long_date }}`: « 1er décembre 2026 » (clinic.dates); options, comma-separated:
    `weekday` (« mardi 1er décembre 2026 »), `noyear` (« 1er décembre »). Nothing for no date."""
    if day is None or day == "":
        return ""
    words = {word.strip() for word in options.split(",")}
    return dates.long_date(day, weekday="weekday" in words, year="noyear" not in words)


@register.simple_tag
def object_url(name: str, pk: int) -> str:
    """`{% object_url "scheduling:arrived" booking.pk %}`: what `{% url name pk %}` writes, from a
    pattern reversed once per URL name (clinic.links), for the rows of long tables."""
    return links.object_url(name, pk)
