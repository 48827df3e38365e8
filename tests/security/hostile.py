"""A clinic whose every free-text field holds markup and template syntax: `<script>` and `{{ }}`
as a user might paste them. Each field carries its own marker, so a test names the field that
broke (checklist row 15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.utils import timezone

from clinic.models import User
from referrals.models import Attachment, Decision, Referral
from referrals.services.decisions import (
    accept_referral,
    decline_referral,
    redirect_to_surgery,
    request_information,
)
from referrals.services.submission import referral_resubmit
from scheduling.models import Booking, DaySession
from scheduling.services.bookings import booking_cancel, booking_create, booking_reschedule
from scheduling.services.imaging import imaging_appointment_cancel, imaging_appointment_create
from tests.factories import PatientFactory
from tests.security.world import SESSION_DAY, TODAY, session, submit

FIELDS = (
    "birth_name",
    "used_name",
    "first_names",
    "address",
    "clinical_note",
    "attachment_name",
    "question",
    "answer",
    "accept_message",
    "accept_justification",
    "decline_reason",
    "decline_message",
    "decline_justification",
    "surgery_reason",
    "surgery_message",
    "cancel_reason",
    "reschedule_reason",
    "imaging_place",
    "imaging_notes",
    "imaging_cancel_reason",
    "session_room",
    "session_notes",
    "gp_name",
    "practice_address",
)


def marker(field: str) -> str:
    """What was typed into `field`."""
    return f"<script>alert({field})</script>{{{{ {field} }}}}"


def escaped(field: str) -> str:
    """How the marker must read in HTML (lower case: names are printed upper case)."""
    return f"&lt;script&gt;alert({field})&lt;/script&gt;{{{{ {field} }}}}"


@dataclass
class Hostile:
    main: Referral  # asked, answered, accepted, booked (cancelled once, moved once)
    declined: Referral
    surgery: Referral
    imaging: Referral  # MRI booked by the centre
    booking: Booking
    accept_decision: Decision
    decline_decision: Decision
    surgery_decision: Decision
    day: DaySession


def _hostile_session(radiologist: User, day: Any, start: time, end: time) -> DaySession:
    booked = session(radiologist, day)
    DaySession.objects.filter(pk=booked.pk).update(
        room=marker("session_room"), notes=marker("session_notes"), start_time=start, end_time=end
    )
    booked.refresh_from_db()
    return booked


def build_hostile(*, gp: User, radiologist: User, secretary: User) -> Hostile:
    gp.last_name = marker("gp_name")
    gp.practice_address = marker("practice_address")
    gp.save(update_fields=["last_name", "practice_address"])
    patient = PatientFactory(
        birth_name=marker("birth_name"),
        used_name=marker("used_name"),
        first_names=marker("first_names"),
        address=marker("address"),
    )
    main = submit(gp, patient=patient, clinical_note=marker("clinical_note"))
    attachment = Attachment.objects.create(
        referral=main,
        kind="ct_report",
        file="attachments/xx/hostile.pdf",
        original_name=marker("attachment_name"),
        content_type="application/pdf",
        size=10,
        uploaded_by=gp,
    )
    assert attachment.pk
    request_information(
        referral=main, by=radiologist, message_to_gp=marker("question"), notify_gp=False
    )
    main.refresh_from_db()
    referral_resubmit(referral=main, by=gp, message=marker("answer"), data=None)
    accept_decision = accept_referral(
        referral=main,
        by=radiologist,
        levels_to_treat=["L1"],
        stay="day_hospital",
        anaesthesia="local",
        message_to_gp=marker("accept_message"),
        justification=marker("accept_justification"),
        notify_gp=False,
    )
    main.refresh_from_db()
    first = _hostile_session(radiologist, SESSION_DAY, time(8, 0), time(13, 0))
    second = _hostile_session(radiologist, SESSION_DAY, time(13, 30), time(18, 0))
    cancelled = booking_create(referral=main, session=first, by=secretary)
    booking_cancel(
        booking=cancelled, by=secretary, reason_kind="patient", reason=marker("cancel_reason")
    )
    main.refresh_from_db()
    moved = booking_create(referral=main, session=first, by=secretary)
    booking = booking_reschedule(
        booking=moved,
        session=second,
        by=secretary,
        reason_kind="clinic",
        reason=marker("reschedule_reason"),
    )

    declined = submit(gp, patient=PatientFactory(birth_name=marker("birth_name")))
    decline_decision = decline_referral(
        referral=declined,
        by=radiologist,
        reason=marker("decline_reason"),
        message_to_gp=marker("decline_message"),
        justification=marker("decline_justification"),
        notify_gp=False,
    )
    surgery = submit(
        gp,
        patient=PatientFactory(birth_name=marker("birth_name")),
        levels=({"posterior_arch_involved": True},),
    )
    surgery_decision = redirect_to_surgery(
        referral=surgery,
        by=radiologist,
        reason=marker("surgery_reason"),
        message_to_gp=marker("surgery_message"),
        notify_gp=False,
    )
    imaging = submit(
        gp, patient=PatientFactory(birth_name=marker("birth_name")), mri_available=False
    )
    # A first MRI appointment cancelled, then the one in force (one live exam of a kind).
    cancelled = imaging_appointment_create(
        referral=imaging,
        modality="mri",
        at=timezone.make_aware(datetime.combine(TODAY, time(18, 0))),
        place="Centre, IRM",
        by=secretary,
    )
    imaging_appointment_cancel(
        appointment=cancelled, reason=marker("imaging_cancel_reason"), by=secretary
    )
    imaging_appointment_create(
        referral=imaging,
        modality="mri",
        at=timezone.make_aware(datetime.combine(TODAY, time(17, 0))),
        place=marker("imaging_place"),
        notes=marker("imaging_notes"),
        by=secretary,
    )
    return Hostile(
        main=main,
        declined=declined,
        surgery=surgery,
        imaging=imaging,
        booking=booking,
        accept_decision=accept_decision,
        decline_decision=decline_decision,
        surgery_decision=surgery_decision,
        day=second,
    )
