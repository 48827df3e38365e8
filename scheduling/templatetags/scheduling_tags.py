"""Template helpers of scheduling: the appointment of a referral (for the GP's pages), times in
the reader's language."""

from __future__ import annotations

from datetime import time

from django import template

from referrals.models import Referral
from scheduling.instructions import reader_clock
from scheduling.selectors import Appointment, appointment_for

register = template.Library()


@register.simple_tag
def referral_appointment(referral: Referral) -> Appointment:
    """`{% referral_appointment referral as appointment %}` (the GP's referral page)."""
    return appointment_for(referral)


@register.filter
def clock(value: time | None) -> str:
    """A time in the reader's language: « 7 h 30 », "7:30"."""
    return reader_clock(value) if value is not None else ""
