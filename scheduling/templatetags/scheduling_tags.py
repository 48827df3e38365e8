"""Template helpers of scheduling: the appointment of a referral (for the GP's pages), the links
of long tables of bookings and sessions, times in the reader's language."""

from __future__ import annotations

from datetime import time
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from referrals.models import Referral
from scheduling.instructions import reader_clock
from scheduling.selectors import Appointment, appointment_for

register = template.Library()

_PK_MARK = "987654321"


@register.simple_tag
def referral_appointment(referral: Referral) -> Appointment:
    """`{% referral_appointment referral as appointment %}` (the GP's referral page)."""
    return appointment_for(referral)


@register.filter
def clock(value: time | None) -> str:
    """A time in the reader's language: « 7 h 30 », "7:30"."""
    return reader_clock(value) if value is not None else ""


@register.simple_tag
def object_url(name: str, pk: int) -> str:
    """`{% object_url "scheduling:arrived" booking.pk %}`: what `{% url name pk %}` writes, with
    the pattern reversed once per name, prefix and language. A day of a network's rooms lists
    hundreds of bookings with up to five links each, and reversing each link was a fifth of the
    page's time (docs/performance.md)."""
    return _url_pattern(name, get_script_prefix(), get_urlconf(), get_language()).replace(
        _PK_MARK, str(int(pk))
    )


@lru_cache(maxsize=256)
def _url_pattern(name: str, prefix: str, urlconf: str | None, language: str | None) -> str:
    """The URL of `name` for a placeholder id (the prefix and language are the cache's key: the
    URL depends on them)."""
    return reverse(name, args=[_PK_MARK], urlconf=urlconf)
