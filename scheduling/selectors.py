"""Shared reads of scheduling, with their joins set (constant query count on lists)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from referrals.choices import Status, Stay
from referrals.models import Referral
from scheduling.models import (
    ACTIVE_BOOKING_STATUSES,
    OCCUPYING_STATUSES,
    Booking,
    ConvocationChange,
    DaySession,
    ImagingAppointment,
)
from scheduling.windows import BookingPlan


def with_occupancy(sessions: QuerySet[DaySession]) -> QuerySet[DaySession]:
    """Annotate used_minutes, used_day_places and used_overnight_beds (one query for a list)."""
    occupying = Q(bookings__status__in=OCCUPYING_STATUSES)
    overnight = Q(bookings__stay=Stay.OVERNIGHT)
    return sessions.annotate(
        used_minutes=Coalesce(Sum("bookings__minutes", filter=occupying), Value(0)),
        used_day_places=Count("bookings", filter=occupying & ~overnight),
        used_overnight_beds=Count("bookings", filter=occupying & overnight),
    )


# Sessions in the order of a day's schedule.
SESSION_ORDER = ("date", "start_time", "room")


def sessions_between(first: date, last: date) -> QuerySet[DaySession]:
    return with_occupancy(
        DaySession.objects.filter(date__gte=first, date__lte=last).select_related("radiologist")
    ).order_by(*SESSION_ORDER)


def day_sessions(day: date) -> QuerySet[DaySession]:
    """The sessions of one day with their bookings: the patient and the levels and anaesthesia
    of the decision in force, and nothing else of them (a day of a network's rooms holds hundreds
    of bookings, and each decision carries the engine's whole output)."""
    bookings = (
        Booking.objects.select_related("referral__patient", "referral__current_decision")
        .only(
            *(field.name for field in Booking._meta.concrete_fields),
            # What the workflow's buttons read (referrals.workflow.available).
            "referral__status",
            "referral__gp",
            "referral__patient__birth_name",
            "referral__patient__used_name",
            "referral__patient__first_names",
            "referral__patient__sex",
            "referral__patient__birth_date",
            "referral__current_decision__levels_to_treat",
            "referral__current_decision__anaesthesia",
        )
        .order_by("start_time", "id")
    )
    return sessions_between(day, day).prefetch_related(Prefetch("bookings", queryset=bookings))


@dataclass(frozen=True)
class Proposal:
    session: DaySession
    in_target: bool
    fits: bool
    why_not: str = ""


# The booking page shows this many sessions at a time, soonest first: a network with many rooms
# has hundreds of sessions in a six-month window, and rendering them all took seconds.
PROPOSALS_PER_PAGE = 30


def _window_sessions(plan: BookingPlan, exclude_session: int | None) -> QuerySet[DaySession]:
    """The sessions from the earliest allowed date to the limit (but the one being left)."""
    sessions = DaySession.objects.filter(date__gte=plan.earliest, date__lte=plan.horizon)
    if exclude_session is not None:
        sessions = sessions.exclude(pk=exclude_session)
    return sessions


def proposals(plan: BookingPlan, *, exclude_session: int | None = None) -> list[Proposal]:
    """Sessions from the earliest allowed date to the limit, marked inside/outside the target
    and whether this booking still fits (minutes, place or bed)."""
    sessions = with_occupancy(_window_sessions(plan, exclude_session).select_related("radiologist"))
    return _as_proposals(plan, sessions.order_by(*SESSION_ORDER))


def proposal_page(
    plan: BookingPlan, *, exclude_session: int | None = None, number: str | int | None = None
) -> tuple[list[Proposal], Page[int]]:
    """One page of proposals(): PROPOSALS_PER_PAGE sessions, soonest first. The window's sessions
    are counted and paged by id alone; only the page's are joined to their bookings to count
    what they hold (occupancy for a six-month window of a network's rooms, then a page of it,
    was most of the page's queries' time)."""
    ids = (
        _window_sessions(plan, exclude_session)
        .order_by(*SESSION_ORDER)
        .values_list("pk", flat=True)
    )
    page = Paginator(ids, PROPOSALS_PER_PAGE).get_page(number)
    shown = list(page.object_list)
    occupied = {
        session.pk: session
        for session in with_occupancy(
            DaySession.objects.filter(pk__in=shown).select_related("radiologist")
        )
    }
    return _as_proposals(plan, [occupied[pk] for pk in shown if pk in occupied]), page


def _as_proposals(plan: BookingPlan, sessions: Iterable[DaySession]) -> list[Proposal]:
    found = []
    for session in sessions:
        why_not = ""
        if plan.consultation_too_late(session.date):
            why_not = "consultation"
        elif session.remaining_minutes < plan.minutes:
            why_not = "minutes"
        elif plan.stay == Stay.OVERNIGHT and session.remaining_overnight_beds < 1:
            why_not = "beds"
        elif plan.stay != Stay.OVERNIGHT and session.remaining_day_places < 1:
            why_not = "places"
        found.append(Proposal(session, plan.in_target(session.date), not why_not, why_not))
    return found


def referrals_to_book() -> QuerySet[Referral]:
    """Accepted referrals waiting for a date, most urgent first: G-NEURO, then the earliest
    target."""
    return (
        Referral.objects.filter(status=Status.ACCEPTED)
        .select_related("patient", "gp", "current_decision")
        .order_by("-urgent", F("target_before").asc(nulls_last=True), "submitted_at", "pk")
    )


# The statuses of a referral whose procedure is still to come: an exam it lacks is due before it.
BEFORE_PROCEDURE_STATUSES = (
    Status.SUBMITTED,
    Status.INFO_REQUESTED,
    Status.ACCEPTED,
    Status.SCHEDULED,
)

# What missing_modalities() finds missing, as a filter: the CT, or the MRI unless it is
# contraindicated and something was done instead (scheduling/services/imaging.py).
LACKS_IMAGING = Q(ct_available=False) | (
    Q(mri_available=False) & (Q(mri_contraindicated=False) | Q(mri_alternative=""))
)


def referrals_missing_imaging() -> QuerySet[Referral]:
    """Every referral still before its procedure (sent, accepted or booked) that lacks an exam
    (the centre can do them), oldest first; read from its partial index. No join: the desk's
    card reads its page of them as values (scheduling/pages/missing_imaging.py)."""
    return (
        Referral.objects.filter(status__in=BEFORE_PROCEDURE_STATUSES)
        .filter(LACKS_IMAGING)
        .order_by("submitted_at", "pk")
    )


def referral_imaging(referral: Referral) -> QuerySet[ImagingAppointment]:
    """Every imaging appointment of a referral for the desk: live ones in date order, then the
    cancelled ones (kept with who cancelled them and why)."""
    return (
        ImagingAppointment.objects.filter(referral=referral)
        .select_related("cancelled_by")
        .order_by(F("cancelled_at").asc(nulls_first=True), "at", "id")
    )


def live_imaging(referral: Referral) -> QuerySet[ImagingAppointment]:
    """The referral's imaging appointments still to honour, in date order."""
    return ImagingAppointment.objects.live().filter(referral=referral).order_by("at", "id")


def referral_bookings(referral: Referral) -> QuerySet[Booking]:
    """Every booking of a referral, newest first."""
    return (
        Booking.objects.filter(referral=referral)
        .select_related("session__radiologist", "booked_by", "status_changed_by")
        .order_by("-booked_at", "-id")
    )


def active_booking(referral: Referral) -> Booking | None:
    return (
        Booking.objects.filter(referral=referral, status__in=ACTIVE_BOOKING_STATUSES)
        .select_related("session")
        .first()
    )


def active_booking_values(referral_ids: Iterable[int]) -> dict[int, tuple[date, time, str]]:
    """{referral id: (day, arrival time, status) of its active booking} in one query of plain
    values (the GP's list)."""
    rows = Booking.objects.filter(
        referral_id__in=list(referral_ids), status__in=ACTIVE_BOOKING_STATUSES
    ).values_list("referral_id", "session__date", "arrival_time", "status")
    return {referral_id: (day, arrival, status) for referral_id, day, arrival, status in rows}


def imaging_values(referral_ids: Iterable[int]) -> dict[int, list[tuple[str, datetime]]]:
    """{referral id: [(modality, at), …] of the live appointments, in date order} in one query of
    plain values."""
    found: dict[int, list[tuple[str, datetime]]] = {}
    rows = (
        ImagingAppointment.objects.live()
        .filter(referral_id__in=list(referral_ids))
        .order_by("at", "id")
        .values_list("referral_id", "modality", "at")
    )
    for referral_id, modality, at in rows:
        found.setdefault(referral_id, []).append((modality, at))
    return found


@dataclass
class Appointment:
    """What the GP sees of the scheduling of one referral."""

    booking: Booking | None = None
    imaging: list[ImagingAppointment] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.booking is None and not self.imaging


def appointment_for(referral: Referral) -> Appointment:
    """The referral's active booking and live imaging appointments (two small queries: one
    referral's page; the GP's list reads them as values, referrals/pages/gp_home.py). A cancelled
    appointment is not shown: the timeline says it was cancelled."""
    return Appointment(booking=active_booking(referral), imaging=list(live_imaging(referral)))


def convocations_to_resend() -> QuerySet[ConvocationChange]:
    """Convocations that went out with a date the plan no longer gives, still to send again
    (active bookings only), soonest procedure first."""
    return (
        ConvocationChange.objects.filter(
            resent_at__isnull=True, booking__status__in=ACTIVE_BOOKING_STATUSES
        )
        .select_related("booking__session", "booking__referral__patient")
        .order_by("booking__session__date", "booking__start_time", "id")
    )
