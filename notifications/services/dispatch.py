"""Who is told what, written in the transaction of the event it tells (a booking, a decision)
and sent by the queue after the commit (services/sending.py).

The GP: every decision, and when an appointment is booked, moved or cancelled or an imaging exam
is booked (link and initials only). The patient: booked, moved, cancelled, and the scheduler's
reminder and last-dose day, the link to each follow-up questionnaire, on the channel they
agreed to and confirmed details only (notifications/contacts.py); no consent or no confirmed
detail, no message."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from followups.models import FollowUp
from notifications.choices import Channel, Kind, Recipient
from notifications.contacts import patient_address
from notifications.models import Message
from notifications.services.sending import enqueue_on_commit
from referrals.models import Decision, Referral
from scheduling.models import Booking, ImagingAppointment


def _gp_message(referral: Referral, kind: str, **links: object) -> Message | None:
    if not referral.gp.email:
        return None
    message = Message.objects.create(
        referral=referral,
        kind=kind,
        recipient=Recipient.GP,
        channel=Channel.EMAIL,
        to=referral.gp.email,
        created_at=timezone.now(),
        **links,
    )
    enqueue_on_commit(message)
    return message


def _patient_message(
    referral: Referral, kind: str, *, day: date | None = None, **links: object
) -> Message | None:
    address = patient_address(referral.patient)
    if address is None:
        return None
    message = Message.objects.create(
        referral=referral,
        kind=kind,
        recipient=Recipient.PATIENT,
        channel=address.channel,
        to=address.to,
        day=day,
        created_at=timezone.now(),
        **links,
    )
    enqueue_on_commit(message)
    return message


def notify_decision(*, decision: Decision) -> Message | None:
    """The referring GP is told a radiologist decided (no health data: see content.py)."""
    return _gp_message(decision.referral, Kind.DECISION, decision=decision)


def notify_booking(*, booking: Booking, kind: str) -> list[Message]:
    """Booked, moved (`booking` is the new one) or cancelled: the GP and the patient."""
    referral = booking.referral
    found = [
        _gp_message(referral, kind, booking=booking),
        _patient_message(referral, kind, booking=booking),
    ]
    return [m for m in found if m is not None]


def notify_imaging_booked(*, appointment: ImagingAppointment) -> Message | None:
    return _gp_message(appointment.referral, Kind.IMAGING_BOOKED, imaging=appointment)


def queue_patient_message_once(*, booking: Booking, kind: str, day: date) -> Message | None:
    """A time-based message (reminder, last dose) for `day`, unless one was already written for
    this booking, kind and day: the unique row is what makes the scheduler idempotent, across
    runs and across two runs at once."""
    if Message.objects.filter(
        booking=booking, kind=kind, recipient=Recipient.PATIENT, day=day
    ).exists():
        return None
    try:
        with transaction.atomic():
            return _patient_message(booking.referral, kind, day=day, booking=booking)
    except IntegrityError:  # another run wrote it between our check and our insert
        return None


def queue_followup_invitation(*, followup: FollowUp, day: date | None = None) -> Message | None:
    """The patient's link to `followup`'s questionnaire, on their channel (None: no consent or
    no confirmed detail). The body, with a fresh token, is written when the task sends it
    (services/sending.py): the row holds no token. With `day` (the scheduler's), at most one
    per follow-up and day: a second run, or a run at the same time, writes nothing."""
    if (
        day is not None
        and Message.objects.filter(
            followup=followup, kind=Kind.FOLLOWUP, recipient=Recipient.PATIENT, day=day
        ).exists()
    ):
        return None
    try:
        with transaction.atomic():
            return _patient_message(followup.referral, Kind.FOLLOWUP, day=day, followup=followup)
    except IntegrityError:  # another run wrote it between our check and our insert
        return None
