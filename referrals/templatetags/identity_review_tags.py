"""`{% identity_review referral %}`: on staff pages, the identity typed by the GP when it
needs a check (with the « Identité vérifiée » form) and typed contact details that differ from the
record."""

from __future__ import annotations

from typing import Any

from django import template

from referrals.models import Referral
from referrals.pages.identity_review import contact_differences, identity_rows

register = template.Library()


@register.inclusion_tag("referrals/includes/identity_review.html", takes_context=True)
def identity_review(context: template.Context, referral: Referral) -> dict[str, Any]:
    request = context.get("request")
    rows, holder = identity_rows(referral) if referral.identity_to_check else ([], None)
    return {
        "referral": referral,
        "identity_rows": rows,
        "holder": holder,
        "contact_rows": contact_differences(referral),
        # Documents the patient receives print a record only once staff confirmed it.
        "record_unconfirmed": referral.patient is not None
        and referral.patient.confirmed_at is None,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "",
    }
