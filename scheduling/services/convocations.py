"""Convocations handed out, and those to send again when the plan's dates change.

A convocation's PDF records the dates it printed (`Convocation`). When dates are recomputed (a new
ruleset: ``manage.py reevaluate_referrals``), an active booking whose convocation went out with a
date the plan no longer gives gets a `ConvocationChange`, listed on the desk's home
(« Convocations à renvoyer ») until the desk sends the new one. Convocations handed out before
their dates were recorded are known from the read-access log (``pdf.convocation``); under 2026.1
their dates are those of the decision's stored holds (``scheduling.plan.legacy_dates``).

Every write is keyword-only, in one transaction, with its timeline event.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import AccessLog, User
from eligibility.engine import RULESET_VERSION
from referrals.choices import TimelineAction
from referrals.services.timeline import log_event
from scheduling.models import ACTIVE_BOOKING_STATUSES, Booking, Convocation, ConvocationChange
from scheduling.plan import changed_dates, decision_plan, legacy_dates, plan_dates


def current_dates(booking: Booking, *, today: date) -> dict[str, str]:
    """The dates a convocation for this booking prints today (from its decision's plan)."""
    decision = booking.referral.current_decision
    if decision is None:
        return {}
    return plan_dates(decision_plan(decision, today=today), booking.session.date)


@transaction.atomic
def convocation_issued(*, booking: Booking, by: User | None, today: date) -> Convocation | None:
    """Record that this booking's convocation was handed out, with its dates; None when the
    latest record already holds these dates (a second download sends nothing new)."""
    dates = current_dates(booking, today=today)
    latest = Convocation.objects.filter(booking=booking).values_list("dates", flat=True).first()
    if latest is not None and latest == dates:
        return None
    return Convocation.objects.create(
        booking=booking,
        issued_at=timezone.now(),
        issued_by=by,
        ruleset=RULESET_VERSION,
        dates=dates,
    )


def _printed_dates(booking: Booking) -> dict[str, str] | None:
    """The dates of the convocation last handed out, or None when none is known to have gone
    out (or its dates cannot be known)."""
    latest = Convocation.objects.filter(booking=booking).values_list("dates", flat=True).first()
    if latest is not None:
        return dict(latest)
    decision = booking.referral.current_decision
    handed_out = AccessLog.objects.filter(
        what="pdf.convocation", object_id=booking.pk, outcome=AccessLog.Outcome.GRANTED
    ).exists()
    if not handed_out or decision is None or decision.ruleset_version == RULESET_VERSION:
        # Printed by this code with the current plan: its dates are today's.
        return None
    return legacy_dates(decision, booking.session.date)


@transaction.atomic
def convocation_check(*, booking: Booking, today: date) -> ConvocationChange | None:
    """List the booking for the desk when its convocation went out with a date the plan no
    longer gives (once: a change already listed is not listed again)."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status not in ACTIVE_BOOKING_STATUSES:
        return None
    if ConvocationChange.objects.filter(booking=locked, resent_at__isnull=True).exists():
        return None
    printed = _printed_dates(booking)
    if printed is None:
        return None
    changes = changed_dates(printed, current_dates(booking, today=today))
    if not changes:
        return None
    change = ConvocationChange.objects.create(
        booking=locked, found_at=timezone.now(), changes=changes
    )
    log_event(
        referral=booking.referral,
        action=TimelineAction.CONVOCATION_OUTDATED,
        actor=None,
        at=change.found_at,
        data={"booking_id": locked.pk, "changes": changes},
    )
    return change


def bookings_with_convocation() -> QuerySet[Booking]:
    """Active bookings whose convocation is known to have gone out."""
    handed_out = AccessLog.objects.filter(
        what="pdf.convocation", outcome=AccessLog.Outcome.GRANTED, object_id__isnull=False
    ).values("object_id")
    return Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES).filter(
        Q(pk__in=Convocation.objects.values("booking_id")) | Q(pk__in=handed_out)
    )


def convocations_check(*, today: date) -> int:
    """Check every active booking whose convocation went out; how many are newly listed."""
    bookings = bookings_with_convocation().select_related("session", "referral__current_decision")
    return sum(convocation_check(booking=b, today=today) is not None for b in bookings)


@transaction.atomic
def convocation_resent(*, change: ConvocationChange, by: User, today: date) -> Convocation:
    """The desk sent the patient a new convocation: the change leaves the list, the new dates are
    recorded as handed out, and the timeline says so."""
    locked = ConvocationChange.objects.select_for_update().get(pk=change.pk)
    if locked.resent_at is not None:
        raise DomainError(_("Cette convocation a déjà été renvoyée."))
    booking = Booking.objects.select_related("session", "referral__current_decision").get(
        pk=locked.booking_id
    )
    if booking.status not in ACTIVE_BOOKING_STATUSES:
        raise DomainError(
            _("Ce rendez-vous n’est plus actif : il n’y a plus de convocation à renvoyer.")
        )
    now = timezone.now()
    locked.resent_at, locked.resent_by = now, by
    locked.save(update_fields=["resent_at", "resent_by"])
    issued = Convocation.objects.create(
        booking=booking,
        issued_at=now,
        issued_by=by,
        ruleset=RULESET_VERSION,
        dates=current_dates(booking, today=today),
    )
    log_event(
        referral=booking.referral,
        action=TimelineAction.CONVOCATION_RESENT,
        actor=by,
        at=now,
        data={"booking_id": booking.pk, "changes": locked.changes},
    )
    return issued
