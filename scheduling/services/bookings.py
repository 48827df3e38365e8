"""Writes on bookings: create, reschedule, cancel, arrived, done, no-show; imaging appointments.

Every function is keyword-only, runs in one transaction and writes its timeline event in it.

No overbooking: the session row is locked (SELECT … FOR UPDATE) before its bookings are recounted
and the new one inserted, so two secretaries booking the last place are served one after the
other and the second is told the session is full. The referral row is locked first, then sessions
in id order, so that two transactions never wait on each other crosswise. A patient's second
active booking is refused by a partial unique constraint, whatever the interleaving. On SQLite
FOR UPDATE is a no-op but transactions start IMMEDIATE (settings), which serialises writers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import User
from notifications.choices import Kind
from notifications.services.consent import consent_record
from notifications.services.dispatch import notify_booking
from procedures.services.checklist import require_checklist
from referrals import workflow
from referrals.models import Referral
from referrals.services.timeline import log_event
from scheduling.errors import InvalidTransition, SchedulingError
from scheduling.models import (
    CHANGE_REASON_LABELS,
    Booking,
    BookingStatus,
    ChangeReason,
    DaySession,
    minutes_of,
    time_of,
)
from scheduling.services.places import (
    arrival_lead_minutes,
    lock_referral,
    lock_sessions,
    place_in_session,
    refuse_if_patient_booked,
)
from scheduling.windows import BookingPlan, day_label, plan_for


def _insert(
    *,
    plan: BookingPlan,
    session: DaySession,
    by: User,
    confirm_outside_ideal: bool,
    late_cause: str = "",
    rescheduled_from: Booking | None = None,
) -> Booking:
    patient_id = plan.referral.patient_id
    assert patient_id is not None  # plan_for refuses a referral without a patient
    start = place_in_session(session, minutes=plan.minutes, stay=plan.stay)
    arrival = time_of(max(0, minutes_of(start) - arrival_lead_minutes()))
    try:
        with transaction.atomic():  # a savepoint: the IntegrityError must not poison the outer one
            return Booking.objects.create(
                referral=plan.referral,
                patient_id=patient_id,
                session=session,
                status=BookingStatus.BOOKED,
                minutes=plan.minutes,
                stay=plan.stay,
                start_time=start,
                arrival_time=arrival,
                confirmed_outside_ideal_window=bool(
                    confirm_outside_ideal and not plan.in_target(session.date)
                ),
                late_cause=late_cause if not plan.in_target(session.date) else "",
                rescheduled_from=rescheduled_from,
                booked_by=by,
                booked_at=timezone.now(),
            )
    except IntegrityError:
        # Another desk booked this patient between our check and our insert.
        refuse_if_patient_booked(plan.referral)
        raise


def _change_reason(reason_kind: str, reason: str, *, cancelling: bool) -> tuple[str, str]:
    """(the kind, the details) of why a booking is moved or cancelled; the kind is required."""
    if reason_kind not in ChangeReason.values:
        raise SchedulingError(
            _(
                "Indiquez la raison de l’annulation : demande du patient, de la clinique ou raison "
                "médicale."
            )
            if cancelling
            else _(
                "Indiquez la raison du déplacement : demande du patient, de la clinique ou "
                "raison médicale."
            ),
            field="reason_kind",
        )
    return reason_kind, (reason or "").strip()


def _reason_data(reason_kind: str, details: str) -> dict[str, str]:
    """For the timeline: the kind (counted) and the words shown (« Demande du patient : … »)."""
    label = str(CHANGE_REASON_LABELS[reason_kind])
    return {"reason_kind": reason_kind, "reason": f"{label} : {details}" if details else label}


def _event_data(booking: Booking, **extra: Any) -> dict[str, Any]:
    return {
        "booking": booking.pk,
        "date": booking.session.date.isoformat(),
        "time": booking.start_time.strftime("%H:%M"),
        "room": booking.session.room,
        **extra,
    }


@transaction.atomic
def booking_create(
    *,
    referral: Referral,
    session: DaySession,
    by: User,
    confirm_outside_ideal: bool = False,
    late_cause: str = "",
    contact_channel: str | None = None,
    today: date | None = None,
) -> Booking:
    """Book `referral` (accepted by a radiologist) into `session`, taking its capacity; record
    how the patient agrees to be contacted (`contact_channel`, when the desk asked) and tell the
    GP and the patient once committed. `late_cause` (LateCause) says why a booking confirmed
    after the ideal window could not be earlier."""
    today = today or timezone.localdate()
    locked = lock_referral(referral.pk)
    plan = plan_for(locked, today=today)
    if contact_channel is not None:
        # First: a refused channel leaves everything as it was, `referral` included.
        consent_record(referral=locked, channel=contact_channel, by=by)
    # Before the session's lock, which every desk booking this session waits for until we
    # commit: what does not depend on its places (a race on the patient ends at the unique
    # constraint, _insert).
    refuse_if_patient_booked(locked)
    session = lock_sessions(session.pk)[session.pk]
    plan.check(session.date, confirm_outside_ideal=confirm_outside_ideal)
    booking = _insert(
        plan=plan,
        session=session,
        by=by,
        confirm_outside_ideal=confirm_outside_ideal,
        late_cause=late_cause,
    )
    workflow.apply_transition(
        referral=referral,
        name="schedule",
        by=by,
        data=_event_data(booking, outside_ideal=booking.confirmed_outside_ideal_window),
    )
    notify_booking(booking=booking, kind=Kind.BOOKED)
    return booking


@transaction.atomic
def booking_reschedule(
    *,
    booking: Booking,
    session: DaySession,
    by: User,
    reason_kind: str,
    reason: str = "",
    confirm_outside_ideal: bool = False,
    late_cause: str = "",
    today: date | None = None,
) -> Booking:
    """Move a booked patient to another session: the old place is freed and the new one taken in
    the same transaction, so a failure leaves the patient where they were. Why (`reason_kind`:
    ChangeReason) is required; `late_cause` (LateCause) says why a new date after the ideal
    window could not be earlier. The GP and the patient are told once committed."""
    reason_kind, reason = _change_reason(reason_kind, reason, cancelling=False)
    today = today or timezone.localdate()
    referral = lock_referral(booking.referral_id)
    old = Booking.objects.select_for_update().get(pk=booking.pk)
    if old.status != BookingStatus.BOOKED:
        raise InvalidTransition(
            _("Seul un rendez-vous programmé peut être déplacé (celui-ci est « %(status)s »).")
            % {"status": old.get_status_display()}
        )
    if old.session_id == session.pk:
        raise InvalidTransition(
            _("Le patient est déjà dans cette séance : choisissez une autre séance.")
        )
    sessions = lock_sessions(old.session_id, session.pk)
    old.session = sessions[old.session_id]
    new_session = sessions[session.pk]
    plan = plan_for(referral, today=today, rescheduling=True)
    plan.check(new_session.date, confirm_outside_ideal=confirm_outside_ideal)
    old.status = BookingStatus.RESCHEDULED
    old.change_reason = reason_kind
    old.cancel_reason = reason
    old.status_changed_by = by
    old.status_changed_at = timezone.now()
    old.save(
        update_fields=[
            "status",
            "change_reason",
            "cancel_reason",
            "status_changed_by",
            "status_changed_at",
        ]
    )
    new = _insert(
        plan=plan,
        session=new_session,
        by=by,
        confirm_outside_ideal=confirm_outside_ideal,
        late_cause=late_cause,
        rescheduled_from=old,
    )
    log_event(
        referral=referral,
        action="booking.rescheduled",
        actor=by,
        data=_event_data(
            new,
            from_booking=old.pk,
            from_date=old.session.date.isoformat(),
            **_reason_data(reason_kind, reason),
        ),
    )
    notify_booking(booking=new, kind=Kind.MOVED)
    return new


def _transition(
    *,
    booking: Booking,
    by: User,
    allowed: tuple[str, ...],
    to: str,
    not_before_session: bool = False,
    today: date | None = None,
) -> tuple[Booking, Referral]:
    referral = lock_referral(booking.referral_id)
    locked = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
    if locked.status not in allowed:
        raise InvalidTransition(
            _("Action impossible : ce rendez-vous est « %(status)s ».")
            % {"status": locked.get_status_display()}
        )
    today = today or timezone.localdate()
    if not_before_session and locked.session.date > today:
        raise InvalidTransition(
            _("Le rendez-vous est le %(day)s : cette action n’est possible qu’à partir de ce jour.")
            % {"day": day_label(locked.session.date)}
        )
    locked.status = to
    locked.status_changed_by = by
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_by", "status_changed_at"])
    booking.status = locked.status
    return locked, referral


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User, reason_kind: str, reason: str = "") -> Booking:
    """Cancel with a reason (`reason_kind`: ChangeReason, and details); the referral goes back to
    « accepted » to be booked again, and the GP and the patient are told once committed."""
    reason_kind, reason = _change_reason(reason_kind, reason, cancelling=True)
    locked, referral = _transition(
        booking=booking,
        by=by,
        allowed=(BookingStatus.BOOKED, BookingStatus.ARRIVED),
        to=BookingStatus.CANCELLED,
    )
    locked.change_reason = reason_kind
    locked.cancel_reason = reason
    locked.save(update_fields=["change_reason", "cancel_reason"])
    workflow.apply_transition(
        referral=referral,
        name="unschedule",
        by=by,
        data=_event_data(locked, **_reason_data(reason_kind, reason)),
    )
    notify_booking(booking=locked, kind=Kind.CANCELLED)
    return locked


@transaction.atomic
def booking_mark_arrived(*, booking: Booking, by: User, today: date | None = None) -> Booking:
    locked, referral = _transition(
        booking=booking,
        by=by,
        allowed=(BookingStatus.BOOKED,),
        to=BookingStatus.ARRIVED,
        not_before_session=True,
        today=today,
    )
    workflow.apply_transition(referral=referral, name="arrive", by=by, data=_event_data(locked))
    return locked


@transaction.atomic
def booking_mark_done(*, booking: Booking, by: User, today: date | None = None) -> Booking:
    """The procedure was performed: the referral is done. Refused while the safety checklist
    misses an item that no radiologist overrode (procedures/services/checklist.py)."""
    locked, referral = _transition(
        booking=booking,
        by=by,
        allowed=(BookingStatus.ARRIVED,),
        to=BookingStatus.DONE,
        not_before_session=True,
        today=today,
    )
    locked.referral = referral
    require_checklist(locked)  # under the locks; a refusal rolls the status back
    workflow.apply_transition(referral=referral, name="done", by=by, data=_event_data(locked))
    return locked


@transaction.atomic
def booking_mark_no_show(*, booking: Booking, by: User, today: date | None = None) -> Booking:
    """The patient did not come: the place is freed and the referral waits to be booked again."""
    locked, referral = _transition(
        booking=booking,
        by=by,
        allowed=(BookingStatus.BOOKED,),
        to=BookingStatus.NO_SHOW,
        not_before_session=True,
        today=today,
    )
    workflow.apply_transition(referral=referral, name="no_show", by=by, data=_event_data(locked))
    return locked
