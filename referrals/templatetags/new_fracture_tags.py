"""`{% new_fracture referral as label %}`: how a new fracture of a patient treated here reads on
the radiologist's pages ("" when the referral is not one)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from referrals.models import Referral
from referrals.pages.new_fracture import new_fracture_label

register = template.Library()


@register.simple_tag
def new_fracture(referral: Referral) -> str:
    patient = referral.patient
    if not referral.new_fracture or patient is None:
        return ""
    return new_fracture_label(
        levels=referral.level_codes.split(),
        treated=patient.treated_levels.split(),
        treated_on=patient.last_treated_on,
        today=timezone.localdate(),
    )
