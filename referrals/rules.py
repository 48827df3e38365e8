"""Who may do what with a referral (django-rules). Every view and download asks these, through
`referrals.access`; another GP's referral is a 404, never a 403."""

from __future__ import annotations

from typing import Any

import rules

from clinic.roles import is_gp, is_radiologist, is_secretary
from referrals.choices import WITHDRAWABLE, Status


@rules.predicate
def is_referring_gp(user: Any, referral: Any) -> bool:
    return referral is not None and referral.gp_id == getattr(user, "pk", None)


@rules.predicate
def is_submitted(user: Any, referral: Any) -> bool:
    return referral is not None and referral.status not in (Status.DRAFT, Status.DISCARDED)


@rules.predicate
def is_kept(user: Any, referral: Any) -> bool:
    """Not a draft its GP deleted: such a referral exists for no one."""
    return referral is not None and referral.status != Status.DISCARDED


@rules.predicate
def is_draft(user: Any, referral: Any) -> bool:
    return referral is not None and referral.status == Status.DRAFT


@rules.predicate
def is_withdrawable(user: Any, referral: Any) -> bool:
    """Sent to the clinic, not yet booked nor closed: its GP may still call it off."""
    return referral is not None and referral.status in WITHDRAWABLE


@rules.predicate
def is_editable(user: Any, referral: Any) -> bool:
    return referral is not None and referral.status in (Status.DRAFT, Status.INFO_REQUESTED)


@rules.predicate
def is_awaiting_decision(user: Any, referral: Any) -> bool:
    return referral is not None and referral.status in (
        Status.SUBMITTED,
        Status.INFO_REQUESTED,
        Status.ACCEPTED,
        Status.DECLINED,
        Status.SURGERY,
    )


# Clinic staff who treat patients see submitted referrals; administrators manage accounts only.
can_view = (is_gp & is_referring_gp & is_kept) | ((is_radiologist | is_secretary) & is_submitted)

rules.add_perm("referrals.view_referral", can_view)
rules.add_perm("referrals.change_referral", is_gp & is_referring_gp & is_editable)
rules.add_perm("referrals.discard_referral", is_gp & is_referring_gp & is_draft)
rules.add_perm("referrals.withdraw_referral", is_gp & is_referring_gp & is_withdrawable)
rules.add_perm("referrals.decide_referral", is_radiologist & is_submitted & is_awaiting_decision)
rules.add_perm("referrals.schedule_referral", is_secretary & is_submitted)
# Staff confirm a patient identity flagged for a check (a NIR typed that another patient holds).
rules.add_perm("referrals.check_identity", (is_radiologist | is_secretary) & is_submitted)
