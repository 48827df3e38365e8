"""Reads of the day of the procedure that pages share."""

from __future__ import annotations

from procedures.models import ProcedureReport
from referrals.models import Referral
from scheduling.models import Booking, BookingStatus

DAY_STATUSES = (BookingStatus.BOOKED, BookingStatus.ARRIVED, BookingStatus.DONE)


def day_booking(referral: Referral) -> Booking | None:
    """The booking of the procedure: the active one, else the one it was done in."""
    booking = (
        Booking.objects.filter(referral=referral, status__in=DAY_STATUSES)
        .select_related("session", "session__radiologist")
        .order_by("-session__date", "-pk")
        .first()
    )
    if booking is not None:
        booking.referral = referral
    return booking


def report_of(referral: Referral) -> ProcedureReport | None:
    return (
        ProcedureReport.objects.filter(referral=referral)
        .select_related("signed_by")
        .prefetch_related("levels", "addenda__by")
        .first()
    )
