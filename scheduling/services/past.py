"""Recording what happened in a past session: a patient who came without being booked through
the desk (an emergency procedure entered afterwards).

What may be recorded: an accepted referral's patient, in a session of today or before, on or
after the day the radiologist accepted the indication, within the session's capacity. The
booking is written as « arrivée notée » (the patient came); the procedure is then recorded the
ordinary way (the safety checklist, the radiologist's signed report). Nothing is sent: the patient
was there. What is refused: a session to come (book it the ordinary way, with its convocation),
a referral not accepted, a day before the acceptance, a patient already booked elsewhere.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import User
from referrals import workflow
from referrals.models import Referral
from scheduling.errors import SchedulingError
from scheduling.models import Booking, BookingStatus, DaySession, minutes_of, time_of
from scheduling.services.places import (
    arrival_lead_minutes,
    lock_referral,
    lock_sessions,
    place_in_session,
    refuse_if_patient_booked,
)
from scheduling.windows import day_label, plan_for


@transaction.atomic
def booking_record_past(
    *, referral: Referral, session: DaySession, by: User, today: date | None = None
) -> Booking:
    """Note that `referral`'s patient came to `session` (today or before)."""
    today = today or timezone.localdate()
    locked_referral = lock_referral(referral.pk)
    session = lock_sessions(session.pk)[session.pk]
    if session.date > today:
        raise SchedulingError(
            _(
                "Cette séance est à venir : programmez le patient depuis sa demande (il recevra "
                "sa convocation)."
            )
        )
    plan = plan_for(locked_referral, today=today)  # accepted, with levels and a patient
    accepted_on = timezone.localtime(plan.decision.decided_at).date()
    if session.date < accepted_on:
        raise SchedulingError(
            _(
                "L’indication a été acceptée le %(accepted)s : le geste ne peut pas avoir eu "
                "lieu avant (séance du %(day)s)."
            )
            % {"accepted": day_label(accepted_on), "day": day_label(session.date)},
            field="referral",
        )
    refuse_if_patient_booked(locked_referral)
    start = place_in_session(session, minutes=plan.minutes, stay=plan.stay)
    patient_id = locked_referral.patient_id
    assert patient_id is not None  # plan_for refuses a referral without a patient
    now = timezone.now()
    booking = Booking.objects.create(
        referral=locked_referral,
        patient_id=patient_id,
        session=session,
        status=BookingStatus.ARRIVED,
        minutes=plan.minutes,
        stay=plan.stay,
        start_time=start,
        arrival_time=time_of(max(0, minutes_of(start) - arrival_lead_minutes())),
        confirmed_outside_ideal_window=not plan.in_target(session.date),
        booked_by=by,
        booked_at=now,
        status_changed_by=by,
        status_changed_at=now,
    )
    data = {
        "booking": booking.pk,
        "date": session.date.isoformat(),
        "time": start.strftime("%H:%M"),
        "room": session.room,
        "recorded_afterwards": True,
    }
    workflow.apply_transition(referral=referral, name="schedule", by=by, data=data)
    workflow.apply_transition(referral=referral, name="arrive", by=by, data=data)
    return booking
