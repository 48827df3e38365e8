"""Template helpers shared by every app's pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.urls import reverse
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


@register.inclusion_tag("includes/nav_link.html", takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str, *section: str) -> dict[str, Any]:
    """A link of the navigation bar, marked as the current one for assistive technologies and by
    its look: `aria-current="page"` on the page it points to, `"true"` on the other pages of its
    section (`section`: URL names, or a namespace such as `"scheduling:"` for all of its pages)."""
    href = reverse(url_name)
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = ""
    if request is not None and request.path == href:
        current = "page"
    elif match is not None and any(
        match.view_name == name or (name.endswith(":") and match.view_name.startswith(name))
        for name in section
    ):
        current = "true"
    return {"href": href, "label": label, "current": current}
