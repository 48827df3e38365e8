"""Template helpers of scheduling: the appointment of a referral (for the GP's pages)."""

from __future__ import annotations

from django import template

from referrals.models import Referral
from scheduling.instructions import clock
from scheduling.selectors import Appointment, appointment_for

register = template.Library()


@register.simple_tag
def referral_appointment(referral: Referral) -> Appointment:
    """`{% referral_appointment referral as appointment %}` (the GP's referral page)."""
    return appointment_for(referral)


@register.filter
def french_clock(value: object) -> str:
    """A time as « 7 h 30 »."""
    return clock(value) if value is not None else ""  # type: ignore[arg-type]
