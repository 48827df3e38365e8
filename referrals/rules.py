"""Who may do what with a referral (django-rules). Every view and download asks these, through
`referrals.access`; another GP's referral is a 404, never a 403.

One permission per workflow transition, `referrals.<name>` (`referrals.accept`,
`referrals.withdraw`, …), read from the table in referrals/workflow.py, so that a page's buttons,
a view's access and the service's check are the same rule."""

from __future__ import annotations

from typing import Any

import rules

from clinic.roles import is_gp, is_radiologist, is_secretary
from referrals.choices import Status
from referrals.workflow import DECISIONS, TRANSITIONS, is_allowed


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
def is_editable(user: Any, referral: Any) -> bool:
    return referral is not None and referral.status in (Status.DRAFT, Status.INFO_REQUESTED)


def _transition_rule(name: str) -> rules.Predicate:
    def allowed(user: Any, referral: Any) -> bool:
        return referral is not None and is_allowed(user, referral, name)

    return rules.predicate(allowed, name=f"may_{name}")


for _name in TRANSITIONS:
    rules.add_perm(f"referrals.{_name}", _transition_rule(_name))

# Clinic staff who treat patients see submitted referrals; administrators manage accounts only.
can_view = (is_gp & is_referring_gp & is_kept) | ((is_radiologist | is_secretary) & is_submitted)

rules.add_perm("referrals.view_referral", can_view)
rules.add_perm("referrals.change_referral", is_gp & is_referring_gp & is_editable)
# The decision page opens when at least one decision is possible.
rules.add_perm(
    "referrals.decide_referral",
    rules.predicate(
        lambda user, referral: (
            referral is not None and any(is_allowed(user, referral, name) for name in DECISIONS)
        ),
        name="may_decide",
    ),
)
# The desk's page of a referral (booking, imaging, documents) opens once the clinic has it.
rules.add_perm("referrals.schedule_referral", is_secretary & is_submitted)
# Staff confirm a patient identity flagged for a check (a NIR typed that another patient holds).
rules.add_perm("referrals.check_identity", (is_radiologist | is_secretary) & is_submitted)
