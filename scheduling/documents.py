"""The patient's convocation (PDF) and the appointment as an iCalendar file.

Both read data and write none. The .ics carries no health data: its summary is only
« Rendez-vous — <clinic> », since calendars are synced to phones and shared.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from referrals.services.patients import patient_for_convocation
from reports.pdf import render_pdf
from scheduling.instructions import (
    after_care,
    anaesthesia_instructions,
    clock,
    long_day,
    medication_instructions,
    what_to_bring,
)
from scheduling.models import Booking
from scheduling.plan import dated_entries, dated_preparation, decision_plan


def convocation_context(booking: Booking) -> dict[str, Any]:
    """Everything the convocation shows, with this patient's instructions."""
    referral = booking.referral
    decision = referral.current_decision
    facts: dict[str, Any] = decision.facts if decision and isinstance(decision.facts, dict) else {}
    antithrombotics = tuple(facts.get("antithrombotics") or referral.antithrombotics or ())
    anaesthesia = (
        (decision.anaesthesia if decision else "")
        or facts.get("anaesthesia")
        or referral.anaesthesia
    )
    day = booking.session.date
    plan = decision_plan(decision, today=timezone.localdate()) if decision else None
    entries = dated_entries(plan.medication, day) if plan else []
    preparation = dated_preparation(plan.preparation, day) if plan else []
    levels = list(decision.levels_to_treat) if decision else []
    return {
        "booking": booking,
        # The patient receives it: confirmed data only (security row 29).
        "patient": patient_for_convocation(referral),
        "gp": referral.gp,
        "day_label": long_day(day),
        "arrival": clock(booking.arrival_time),
        "procedure_time": clock(booking.start_time),
        "levels": levels,
        "place": {"name": settings.CLINIC_NAME, "address": settings.CLINIC_ADDRESS},
        "bring": what_to_bring(booking.stay),
        "medication": medication_instructions(antithrombotics=antithrombotics, plan=entries),
        "anaesthesia": anaesthesia_instructions(
            anaesthesia=anaesthesia,
            preparation=preparation,
            procedure_day=day,
            arrival=booking.arrival_time,
        ),
        "after": after_care(booking.stay),
        "overnight": booking.is_overnight,
    }


def convocation_pdf(booking: Booking) -> bytes:
    # The patient reads French, whatever language the secretary's screen is in.
    with translation.override("fr"):
        return render_pdf("scheduling/convocation.html", convocation_context(booking))


def convocation_ics(booking: Booking, *, now: datetime | None = None) -> bytes:
    """One VEVENT from the arrival to the expected end of the procedure, with a reminder the day
    before. The summary names only the clinic."""
    with translation.override("fr"):
        start = booking.arrives_at()
        end = booking.procedure_at() + timedelta(minutes=booking.minutes)
        calendar = Calendar()
        calendar.add("prodid", "-//Cimento//Convocation//FR")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = Event()
        event.add("uid", f"booking-{booking.pk}@cimento")
        event.add("dtstamp", now or timezone.now())
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", _("Rendez-vous — %(clinic)s") % {"clinic": settings.CLINIC_NAME})
        event.add("location", f"{settings.CLINIC_NAME}, {settings.CLINIC_ADDRESS}")
        event.add(
            "description",
            _(
                "Présentez-vous à l'accueil à %(arrival)s avec votre convocation et les documents "
                "qu'elle demande. En cas d'empêchement, appelez le %(phone)s."
            )
            % {"arrival": clock(booking.arrival_time), "phone": settings.CLINIC_PHONE},
        )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Rendez-vous — %(clinic)s") % {"clinic": settings.CLINIC_NAME})
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        calendar.add_component(event)
        calendar.add_missing_timezones()
        return bytes(calendar.to_ical())
