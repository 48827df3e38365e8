"""The patient's convocation and imaging letters (PDF), and their appointments as iCalendar files.

All read data and write none. An .ics carries no health data: its summary is only
« Rendez-vous — <clinic> », since calendars are synced to phones and shared.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from referrals.services.patients import patient_for_convocation
from reports.pdf import render_pdf
from reports.words import duration, person_words
from scheduling import care
from scheduling.instructions import clock, key_dates, long_day, medication_instructions
from scheduling.models import Booking, ImagingAppointment, Modality
from scheduling.plan import dated_entries, dated_preparation, decision_plan
from scheduling.selectors import active_booking, live_imaging


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
    # The patient receives it: confirmed data only (security row 29).
    patient = patient_for_convocation(referral)
    imaging = [
        (timezone.localtime(exam.at), exam.get_modality_display())
        for exam in live_imaging(referral)
        if exam.at > timezone.now()
    ]
    inr_check = next((e.inr_check for e in entries if e.inr_check is not None), None)
    return {
        "booking": booking,
        "patient": patient,
        "words": person_words(patient),
        "gp": referral.gp,
        "day_label": long_day(day),
        "arrival": clock(booking.arrival_time),
        "procedure_time": clock(booking.start_time),
        "procedure_length": duration(booking.minutes),
        "levels": levels,
        "place": {"name": settings.CLINIC_NAME, "address": settings.CLINIC_ADDRESS},
        "key_dates": key_dates(
            plan=entries,
            preparation=preparation,
            imaging=imaging,
            procedure_day=day,
            arrival=booking.arrival_time,
        ),
        "imaging": [
            {"exam": exam, "day": long_day(at.date()), "time": clock(at.time())}
            for at, exam in imaging
        ],
        "bring": care.what_to_bring(
            stay=booking.stay,
            anaesthesia=anaesthesia,
            inr_check=inr_check,
            mri_alternative=referral.mri_alternative,
        ),
        "medication": medication_instructions(antithrombotics=antithrombotics, plan=entries),
        "position": care.position(levels=len(levels), minutes=booking.minutes),
        "anaesthesia": care.anaesthesia_instructions(
            anaesthesia=anaesthesia,
            preparation=preparation,
            procedure_day=day,
            arrival=booking.arrival_time,
            patient=patient,
        ),
        "before": care.before_care(),
        "after": care.after_care(stay=booking.stay, anaesthesia=anaesthesia),
        "warning_signs": care.warning_signs(),
        "emergency_phone": settings.CLINIC_EMERGENCY_PHONE,
        "overnight": booking.is_overnight,
    }


def convocation_pdf(booking: Booking) -> bytes:
    # The patient reads French, whatever language the secretary's screen is in.
    with translation.override("fr"):
        return render_pdf("scheduling/convocation.html", convocation_context(booking))


def _calendar(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    location: str,
    description: str,
    now: datetime | None,
) -> bytes:
    """One VEVENT at the clinic with a reminder the day before; the summary names only the
    clinic."""
    from icalendar import Alarm, Calendar, Event  # with the first .ics, not at boot

    calendar = Calendar()
    calendar.add("prodid", "-//Cimento//Convocation//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", _("Rendez-vous — %(clinic)s") % {"clinic": settings.CLINIC_NAME})
    event.add("location", location)
    event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Rendez-vous — %(clinic)s") % {"clinic": settings.CLINIC_NAME})
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def convocation_ics(booking: Booking, *, now: datetime | None = None) -> bytes:
    """From the arrival to the expected end of the procedure."""
    with translation.override("fr"):
        return _calendar(
            uid=f"booking-{booking.pk}@cimento",
            start=booking.arrives_at(),
            end=booking.procedure_at() + timedelta(minutes=booking.minutes),
            location=f"{settings.CLINIC_NAME}, {settings.CLINIC_ADDRESS}",
            description=_(
                "Présentez-vous à l’accueil à %(arrival)s avec votre convocation et les documents "
                "qu’elle demande. En cas d’empêchement, appelez le %(phone)s."
            )
            % {"arrival": clock(booking.arrival_time), "phone": settings.CLINIC_PHONE},
            now=now,
        )


# How long each examination keeps the patient at the centre (the calendar's end; the letter
# says it in words). A bone scan is an injection, then images about three hours later.
IMAGING_MINUTES = {Modality.CT: 30, Modality.MRI: 45, Modality.BONE_SCAN: 240}


def imaging_context(appointment: ImagingAppointment) -> dict[str, Any]:
    """The patient's letter for one imaging examination at the centre."""
    referral = appointment.referral
    patient = patient_for_convocation(referral)
    at = timezone.localtime(appointment.at)
    booking = active_booking(referral)
    return {
        "appointment": appointment,
        "referral": referral,
        "patient": patient,
        "words": person_words(patient),
        "gp": referral.gp,
        "exam": appointment.get_modality_display(),
        "modality": appointment.modality,
        "day_label": long_day(at.date()),
        "time": clock(at.time()),
        "procedure_day": long_day(booking.session.date) if booking else "",
    }


def imaging_pdf(appointment: ImagingAppointment) -> bytes:
    with translation.override("fr"):
        return render_pdf("scheduling/imaging_letter.html", imaging_context(appointment))


def imaging_ics(appointment: ImagingAppointment, *, now: datetime | None = None) -> bytes:
    """From the appointment to its usual end; the description names no examination."""
    with translation.override("fr"):
        minutes = IMAGING_MINUTES.get(Modality(appointment.modality), 30)
        return _calendar(
            uid=f"imaging-{appointment.pk}@cimento",
            start=timezone.localtime(appointment.at),
            end=timezone.localtime(appointment.at) + timedelta(minutes=minutes),
            location=appointment.place,
            description=_(
                "Présentez-vous à l’accueil à %(time)s avec votre lettre de rendez-vous et les "
                "documents qu’elle demande. En cas d’empêchement, appelez le %(phone)s."
            )
            % {
                "time": clock(timezone.localtime(appointment.at).time()),
                "phone": settings.CLINIC_PHONE,
            },
            now=now,
        )
