"""Places in a session, shared by the booking writes (bookings.py, past.py): the row locks in
their order, the first gap a new booking fits in, and the patient's one active booking.

The referral row is locked first, then sessions in id order, so that two transactions never wait
on each other crosswise; the session's bookings are recounted under its lock (no overbooking)."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from referrals.choices import Stay
from referrals.models import Referral
from scheduling.errors import PatientAlreadyBooked, SessionFull
from scheduling.models import (
    ACTIVE_BOOKING_STATUSES,
    OCCUPYING_STATUSES,
    Booking,
    DaySession,
    minutes_of,
    time_of,
)
from scheduling.windows import day_label


def arrival_lead_minutes() -> int:
    """How long before the procedure the patient arrives (admission, preparation)."""
    return int(getattr(settings, "SCHEDULING_ARRIVAL_LEAD_MINUTES", 60))


def lock_referral(pk: int) -> Referral:
    """The referral row, locked first (then the sessions) by every booking write."""
    return Referral.objects.select_for_update().get(pk=pk)


def lock_sessions(*pks: int) -> dict[int, DaySession]:
    # Always in id order: two reschedules crossing the same two sessions cannot deadlock.
    locked = {}
    for pk in sorted(set(pks)):
        locked[pk] = DaySession.objects.select_for_update().get(pk=pk)
    return locked


def _full(session: DaySession, detail: str) -> SessionFull:
    return SessionFull(
        _("La séance du %(day)s (%(room)s) est complète : %(detail)s. Choisissez une autre séance.")
        % {"day": day_label(session.date), "room": session.room, "detail": detail}
    )


def place_in_session(session: DaySession, *, minutes: int, stay: str) -> time:
    """The procedure time of a new booking in the locked `session`, or SessionFull.

    Recounts the bookings that occupy the session: minutes, day places or overnight beds, then
    takes the first gap long enough (a cancellation leaves one)."""
    taken = list(
        Booking.objects.filter(session=session, status__in=OCCUPYING_STATUSES)
        .order_by("start_time")
        .values_list("start_time", "minutes", "stay")
    )
    used = sum(m for _, m, _ in taken)
    if used + minutes > session.procedure_minutes:
        left = max(0, session.procedure_minutes - used)
        # « il ne reste aucune minute » / « il reste 1 minute » (French: 0 and 1 are singular).
        remaining = (
            _("il ne reste aucune minute de geste")
            if left == 0
            else ngettext(
                "il reste %(left)d minute de geste", "il reste %(left)d minutes de geste", left
            )
            % {"left": left}
        )
        raise _full(
            session,
            _("%(remaining)s, il en faut %(needed)d") % {"remaining": remaining, "needed": minutes},
        )
    if stay == Stay.OVERNIGHT:
        if sum(1 for *_, s in taken if s == Stay.OVERNIGHT) >= session.overnight_beds:
            raise _full(session, _("plus aucun lit disponible pour une nuit"))
    elif sum(1 for *_, s in taken if s != Stay.OVERNIGHT) >= session.day_places:
        raise _full(session, _("plus aucune place d’hôpital de jour"))
    cursor = minutes_of(session.start_time)
    for start, length, _stay in taken:
        if minutes_of(start) - cursor >= minutes:
            return time_of(cursor)
        cursor = max(cursor, minutes_of(start) + length)
    if minutes_of(session.end_time) - cursor >= minutes:
        return time_of(cursor)
    raise _full(session, _("plus de créneau continu de %(needed)d minutes") % {"needed": minutes})


def refuse_if_patient_booked(referral: Referral) -> None:
    """PatientAlreadyBooked when the referral's patient already has an active booking."""
    if referral.patient_id is None:
        return
    existing = (
        Booking.objects.filter(patient_id=referral.patient_id, status__in=ACTIVE_BOOKING_STATUSES)
        .select_related("session")
        .first()
    )
    if existing is not None:
        raise PatientAlreadyBooked(
            _(
                "Ce patient a déjà un rendez-vous le %(day)s (demande n° %(referral)s) : "
                "déplacez ou annulez ce rendez-vous avant d’en programmer un autre."
            )
            % {"day": day_label(existing.session.date), "referral": existing.referral_id}
        )
