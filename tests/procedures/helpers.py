"""An arrived patient, a complete checklist and a signed report, through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import time_machine

from clinic.models import User
from procedures.models import ProcedureReport
from procedures.services.checklist import checklist_record, items_for
from procedures.services.report import LevelInput, ReportInput, report_sign
from referrals.models import Referral
from scheduling.models import Booking, DaySession
from scheduling.services.bookings import booking_create, booking_mark_arrived
from tests.scheduling.helpers import accepted_referral, day_session

TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)  # a patient on a VKA stops 6 days before


def arrived_booking(
    *, secretary: User, day: date = TUE_8, contact_channel: str | None = None, **referral: Any
) -> Booking:
    """Accepted and booked on Friday 4 December 2026 for `day` (the patient agreeing to messages
    by `contact_channel`, when given), arrived on `day`."""
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False):
        session = DaySession.objects.filter(date=day).first() or day_session(day)
        booking = booking_create(
            referral=accepted_referral(**referral),
            session=session,
            by=secretary,
            contact_channel=contact_channel,
        )
    with time_machine.travel(f"{day.isoformat()} 08:30 +01:00", tick=False):
        booking_mark_arrived(booking=booking, by=secretary, today=day)
    booking.refresh_from_db()
    return booking


def complete_checklist(booking: Booking, by: User) -> None:
    checklist_record(booking=booking, by=by, items=items_for(booking.referral), inr=Decimal("1.3"))


def report_input(levels: tuple[str, ...] = ("L1",), **changes: Any) -> ReportInput:
    fields: dict[str, Any] = {
        "levels": tuple(
            LevelInput(level=lv, approach="bipedicular", cement="PMMA", volume_ml=Decimal("4.5"))
            for lv in levels
        ),
        "anaesthesia": "local",
        "complication": "none",
        "dose_area_product": Decimal("12.40"),
        "fluoroscopy_seconds": 272,
        "equipment": "Arceau Siemens Cios Alpha",
        **changes,
    }
    return ReportInput(**fields)


def signed_report(
    *,
    secretary: User,
    radiologist: User,
    day: date = TUE_8,
    contact_channel: str | None = None,
    **referral: Any,
) -> ProcedureReport:
    booking = arrived_booking(
        secretary=secretary,
        day=day,
        contact_channel=contact_channel,
        radiologist=radiologist,
        **referral,
    )
    complete_checklist(booking, secretary)
    referral_row = Referral.objects.get(pk=booking.referral_id)
    levels = tuple(referral_row.current_decision.levels_to_treat)  # type: ignore[union-attr]
    return report_sign(referral=referral_row, by=radiologist, data=report_input(levels), today=day)


def done_after_checklist(*, booking: Booking, by: User, today: date | None = None) -> Booking:
    """The desk's « Geste réalisé » once the team filled the checklist (refused like
    booking_mark_done when the patient has not arrived)."""
    from scheduling.services.bookings import booking_mark_done

    complete_checklist(booking, by)
    return booking_mark_done(booking=booking, by=by, today=today)
