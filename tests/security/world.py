"""A small clinic for the security tests: the GP `gp` has one referral at each stage that has a
page or a document, built through the services the views use (submit, decide, book).

All on a frozen Friday, so that the next Tuesday is a working day with a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clinic.models import User
from notifications.models import Message
from quality.models import MonthlyReport
from referrals.models import Attachment, Decision, Referral
from referrals.services.attachments import attachment_add
from referrals.services.decisions import accept_referral, redirect_to_surgery
from referrals.services.submission import referral_submit
from scheduling.models import Booking, ConvocationChange, DaySession, ImagingAppointment
from scheduling.services.bookings import booking_create
from scheduling.services.imaging import imaging_appointment_create
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory
from tests.referrals.form_data import PDF_BYTES

FROZEN_NOW = "2026-12-04 09:00 +01:00"  # a Friday; Tuesday 8 December is a working day
SESSION_DAY = date(2026, 12, 8)
TODAY = date(2026, 12, 4)


@dataclass
class World:
    submitted: Referral  # waiting for the radiologist, MRI missing, with an attachment
    attachment: Attachment
    imaging: ImagingAppointment  # the MRI the centre booked for `submitted`
    accepted: Referral  # accepted, not booked yet
    scheduled: Referral  # accepted and booked
    booking: Booking
    decision: Decision  # the acceptance of `scheduled`
    surgery_decision: Decision  # a redirection to surgery (it has a surgical letter)
    session: DaySession
    convocation_change: ConvocationChange  # the booking's convocation, to send again
    message: Message  # a message about `scheduled` that failed (the desk may send it again)
    kept_report: MonthlyReport  # November's quality report, kept (no patient's own data)

    def objects(self) -> dict[str, Any]:
        return {
            "referral": self.submitted,
            "attachment": self.attachment,
            "imaging": self.imaging,
            "accepted": self.accepted,
            "booking": self.booking,
            "decision": self.decision,
            "surgery_decision": self.surgery_decision,
            "session": self.session,
            "convocation_change": self.convocation_change,
            "message": self.message,
            "kept_report": self.kept_report,
        }

    def patient_of(self, kind: str) -> int | None:
        """The patient an object of `kind` is about (None for a session)."""
        obj = self.objects()[kind]
        if isinstance(obj, Referral):
            return obj.patient_id
        if isinstance(obj, (Attachment, Decision, Booking, ImagingAppointment, Message)):
            return obj.referral.patient_id
        if isinstance(obj, ConvocationChange):
            return obj.booking.referral.patient_id
        return None


def submit(gp: User, *, levels: tuple[dict[str, Any], ...] = ({},), **fields: Any) -> Referral:
    """A referral the GP submitted (referral_submit: status, snapshot, timeline)."""
    patient = fields.pop("patient", None) or PatientFactory()
    referral = ReferralFactory(gp=gp, patient=patient, **fields)
    for index, extra in enumerate(levels):
        level = extra.pop("level", ["L1", "T12", "L2"][index])
        FractureLevelFactory(
            referral=referral,
            level=level,
            fracture_date=TODAY - timedelta(days=10),
            **extra,
        )
    return referral_submit(referral=referral, by=gp)


def accept(referral: Referral, radiologist: User) -> Decision:
    return accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1"],
        stay="day_hospital",
        anaesthesia="local",
        notify_gp=False,
    )


def session(radiologist: User, day: date = SESSION_DAY, room: str = "Salle 1") -> DaySession:
    return DaySession.objects.create(
        date=day,
        room=room,
        radiologist=radiologist,
        start_time=time(8, 0),
        end_time=time(13, 0),
        procedure_minutes=240,
        day_places=4,
        overnight_beds=1,
        created_by=radiologist,
    )


def build_world(*, gp: User, radiologist: User, secretary: User) -> World:
    draft = ReferralFactory(gp=gp, mri_available=False)
    FractureLevelFactory(referral=draft, fracture_date=TODAY - timedelta(days=10))
    upload = SimpleUploadedFile("scanner.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = attachment_add(referral=draft, kind="ct_report", file=upload, by=gp)
    submitted = referral_submit(referral=draft, by=gp)
    imaging = imaging_appointment_create(
        referral=submitted,
        modality="mri",
        at=timezone.make_aware(datetime.combine(SESSION_DAY, time(15, 0))),
        place="Centre, IRM",
        by=secretary,
    )

    accepted = submit(gp)
    accept(accepted, radiologist)

    scheduled = submit(gp)
    decision = accept(scheduled, radiologist)
    day = session(radiologist)
    scheduled.refresh_from_db()
    booking = booking_create(referral=scheduled, session=day, by=secretary)
    # Its convocation went out with a last dose the plan no longer gives (« à renvoyer »).
    convocation_change = ConvocationChange.objects.create(
        booking=booking,
        found_at=timezone.now(),
        changes=[{"what": "last_dose:doac", "old": "2026-12-01", "new": "2026-11-28"}],
    )

    surgical = submit(gp, levels=({"posterior_arch_involved": True},))
    surgery_decision = redirect_to_surgery(
        referral=surgical, by=radiologist, reason="Atteinte de l'arc postérieur", notify_gp=False
    )
    for referral in (submitted, accepted, scheduled):
        referral.refresh_from_db()
    message = Message.objects.create(
        referral=scheduled,
        booking=booking,
        kind="booked",
        recipient="gp",
        channel="email",
        to="gp@example.invalid",
        status="failed",
        attempts=4,
        created_at=timezone.now(),
    )
    kept_report = MonthlyReport(month=date(2026, 11, 1), generated_at=timezone.now())
    kept_report.pdf.save("2026-11.pdf", ContentFile(PDF_BYTES))
    return World(
        submitted=submitted,
        attachment=attachment,
        imaging=imaging,
        accepted=accepted,
        scheduled=scheduled,
        booking=booking,
        decision=decision,
        surgery_decision=surgery_decision,
        session=day,
        convocation_change=convocation_change,
        message=message,
        kept_report=kept_report,
    )
