"""Moving a whole session to another day with its patients, and recording a past session.

A session moves as a clinic moves it: the room, the hours and every patient's time stay; each
booked patient is told (notifications) and their convocation's dates are checked again. The
medication holds, the anaesthesia consultation and the 6-month limit are the patient's safety:
a day that breaks one of them for any patient refuses the move and names them (the desk moves
those patients first). The ideal window is a target: a day past a patient's target moves once the
desk confirms it, naming them, and each such booking is flagged like any booking confirmed after
its target.

A session before today records what happened (an emergency procedure entered afterwards): it may
be created within sessions.RECORD_DAYS, even on a public holiday, and the desk notes there a
patient who came (scheduling/services/past.py). Nobody is convoked into the past: no ordinary
booking, no move into it and no move of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.models import User
from notifications.choices import Kind
from notifications.services.dispatch import notify_booking
from referrals.services.timeline import log_event
from scheduling.errors import NeedsConfirmation, SchedulingError, SessionRefused
from scheduling.models import Booking, BookingStatus, ChangeReason, DaySession
from scheduling.services.convocations import convocation_check
from scheduling.services.sessions import SessionSpec, holiday_refusal, overlapping
from scheduling.windows import day_label, plan_for


@dataclass(frozen=True)
class MoveOutcome:
    session: DaySession
    moved: list[Booking]
    past_target: list[Booking]  # flagged: after their target date, confirmed by the desk


def _spec(session: DaySession) -> SessionSpec:
    return SessionSpec(
        room=session.room,
        radiologist=session.radiologist,
        start_time=session.start_time,
        end_time=session.end_time,
        procedure_minutes=session.procedure_minutes,
        day_places=session.day_places,
        overnight_beds=session.overnight_beds,
    )


def _names(bookings: list[Booking]) -> str:
    return ", ".join(str(booking.referral.patient) for booking in bookings)


@transaction.atomic
def session_move(
    *,
    session: DaySession,
    day: date,
    by: User,
    confirm_outside_ideal: bool = False,
    today: date | None = None,
) -> MoveOutcome:
    """Move `session` and its booked patients to `day` (same room and hours)."""
    today = today or timezone.localdate()
    locked = DaySession.objects.select_for_update().select_related("radiologist").get(pk=session.pk)
    if locked.date < today:
        raise SessionRefused(
            _("Cette séance est passée : elle garde ce qui a eu lieu et ne se déplace pas.")
        )
    if day == locked.date:
        raise SessionRefused(
            _("La séance est déjà ce jour-là : choisissez un autre jour."), field="day"
        )
    if day <= today:
        raise SessionRefused(
            _("Choisissez un jour à partir de demain : les patients doivent être prévenus avant."),
            field="day",
        )
    refusal = holiday_refusal(day)
    if refusal:
        raise SessionRefused(refusal, field="day")
    other = overlapping(day, _spec(locked), exclude=locked.pk)
    if other is not None:
        raise SessionRefused(
            _(
                "La salle « %(room)s » est déjà réservée le %(day)s de %(start)s à %(end)s : "
                "choisissez un autre jour."
            )
            % {
                "room": other.room,
                "day": day_label(day),
                "start": other.start_time.strftime("%H:%M"),
                "end": other.end_time.strftime("%H:%M"),
            },
            field="day",
        )
    bookings = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(session=locked)
        .exclude(status__in=(BookingStatus.CANCELLED, BookingStatus.RESCHEDULED))
        .select_related("referral__patient", "referral__current_decision")
        .order_by("start_time", "id")
    )
    started = [b for b in bookings if b.status != BookingStatus.BOOKED]
    if started:
        raise SessionRefused(
            _(
                "Cette séance a déjà commencé (%(patients)s : arrivée ou geste notés) : "
                "déplacez les autres patients un par un."
            )
            % {"patients": _names(started)}
        )
    broken: list[str] = []
    past_target: list[Booking] = []
    for booking in bookings:
        try:
            plan = plan_for(booking.referral, today=today, rescheduling=True)
            plan.check(day, confirm_outside_ideal=True)
        except SchedulingError as error:  # NotBookable, TooEarly, TooLate
            broken.append(f"{booking.referral.patient} ({error.message})")
            continue
        if not plan.in_target(day):
            past_target.append(booking)
    if broken:
        raise SessionRefused(
            ngettext(
                "Séance non déplacée : le %(day)s ne convient pas à %(count)d patient. "
                "Déplacez-le d’abord vers une autre séance, ou choisissez un autre jour. %(who)s",
                "Séance non déplacée : le %(day)s ne convient pas à %(count)d patients. "
                "Déplacez-les d’abord vers une autre séance, ou choisissez un autre jour. %(who)s",
                len(broken),
            )
            % {"day": day_label(day), "count": len(broken), "who": " ; ".join(broken)},
            field="day",
        )
    if past_target and not confirm_outside_ideal:
        raise NeedsConfirmation(
            _(
                "Le %(day)s est après la date cible de : %(patients)s. Cochez la case de "
                "confirmation pour déplacer la séance quand même (ces rendez-vous seront "
                "signalés comme après la date cible)."
            )
            % {"day": day_label(day), "patients": _names(past_target)},
            field="confirm_outside_ideal",
        )
    previous = locked.date
    locked.date = day
    locked.save(update_fields=["date"])
    for booking in bookings:
        booking.session = locked
        # Moved at the clinic's request: the quality dashboard counts it as a late cause and
        # the referral's history of appointments says why.
        booking.change_reason = ChangeReason.CLINIC
        fields = ["change_reason"]
        if booking in past_target and not booking.confirmed_outside_ideal_window:
            booking.confirmed_outside_ideal_window = True
            fields.append("confirmed_outside_ideal_window")
        booking.save(update_fields=fields)
        log_event(
            referral=booking.referral,
            action="booking.rescheduled",
            actor=by,
            data={
                "booking": booking.pk,
                "date": day.isoformat(),
                "time": booking.start_time.strftime("%H:%M"),
                "room": locked.room,
                "from_date": previous.isoformat(),
                "session_moved": True,
                "reason_kind": ChangeReason.CLINIC.value,
                "reason": str(ChangeReason.CLINIC.label),
            },
        )
        notify_booking(booking=booking, kind=Kind.MOVED)
        convocation_check(booking=booking, today=today)
    return MoveOutcome(session=locked, moved=bookings, past_target=past_target)
