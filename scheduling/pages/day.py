"""The desk's day view as frozen rows: each session of the day with its occupancy and its
bookings, each booking with its texts and the buttons the secretary may press, for
templates/scheduling/day.html to write inline.

A day of a network's rooms holds hundreds of bookings. Read as model instances (a booking, its
referral, patient and decision: four objects each) and written through an include per booking
(its buttons, a template tag asking the workflow, each label translated again), the page cost
about half a millisecond a booking. Here the bookings are one query of plain values, the labels
are translated once a page, the urls come from patterns reversed once (clinic.links), the
workflow is asked only for the bookings whose day has come (from the row's values: no referral
built per booking), and the buttons' forms carry the page's one CSRF token. On a past day (or
today) the page's one « Noter un patient venu » form offers the accepted referrals, read as
values (record_choices)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from clinic.links import url_pattern
from clinic.models import User
from referrals import workflow
from referrals.choices import Anaesthesia, Stay
from referrals.models import patient_full_name
from scheduling.forms import referral_choice_label
from scheduling.models import Booking, BookingStatus, DaySession
from scheduling.pages.sessions import SessionRow, session_rows
from scheduling.selectors import SESSION_ORDER, referrals_to_book

DAY_STEPS = ("arrive", "no_show", "done")
BADGES = {
    BookingStatus.DONE: "text-bg-success",
    BookingStatus.ARRIVED: "text-bg-info",
    BookingStatus.BOOKED: "text-bg-primary",
}
STRUCK = (BookingStatus.CANCELLED, BookingStatus.RESCHEDULED)


@dataclass(frozen=True, slots=True)
class Action:
    """A button of a booking: a link, or a form posted with the CSRF token and `next`."""

    url: str
    label: str
    style: str  # « btn-outline-primary »
    post: bool = False
    download: bool = False


@dataclass(frozen=True, slots=True)
class DayBooking:
    start: str  # « 08:00 »
    arrival: str
    patient: str
    patient_url: str
    birth: str  # « 12/03/1941 » or ""
    levels: str  # « L1, L2 »
    minutes: str  # « 30 »: a text, not localised again on every row
    anaesthesia: str  # its label, or « — »
    overnight: bool
    status: str  # the booking's status
    status_label: str
    badge: str  # « text-bg-primary »
    struck: bool  # cancelled or moved: struck through
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class DaySessionRow:
    session: SessionRow
    title: str  # « 08:00–17:00 · Salle V1 · Dr Claire Martin »
    bookings: tuple[DayBooking, ...]


class _Labels:
    """What the rows say alike, translated once a page."""

    def __init__(self) -> None:
        self.convocation = _("Convocation")
        self.move = _("Déplacer")
        self.cancel = _("Annuler")
        self.procedure = _("Check-list et geste")
        self.report = _("Compte rendu et sortie")
        self.no_name = _("Patient sans nom")
        self.status = {value: str(label) for value, label in BookingStatus.choices}
        self.anaesthesia = {value: str(label) for value, label in Anaesthesia.choices}
        self.steps = {name: str(workflow.TRANSITIONS[name].label) for name in DAY_STEPS}
        self.urls = {
            name: url_pattern(name)
            for name in (
                "scheduling:referral",
                "scheduling:convocation",
                "scheduling:reschedule",
                "scheduling:cancel",
                "scheduling:session_edit",
                "procedures:procedure",
                *(workflow.TRANSITIONS[step].url_name for step in DAY_STEPS),
            )
        }

    def url(self, name: str, pk: int) -> str:
        return self.urls[name].format(pk)


def _clock(value: Any) -> str:
    return value.strftime("%H:%M") if value else ""


def _actions(
    row: dict[str, Any], *, day: date, user: User, today: date, labels: _Labels
) -> tuple[Action, ...]:
    """The buttons of a booking (as templates/scheduling/includes/booking_actions.html shows
    them on the referral's page)."""
    pk, referral_id, status = row["pk"], row["referral_id"], row["status"]
    open_day = status == BookingStatus.ARRIVED or (status == BookingStatus.BOOKED and day <= today)
    steps: list[Action] = []
    if open_day:
        status_now, gp_id = row["referral__status"], row["referral__gp_id"]
        steps = [
            Action(
                labels.url(workflow.TRANSITIONS[step].url_name, pk),
                labels.steps[step],
                workflow.TRANSITIONS[step].style,
                post=True,
            )
            for step in DAY_STEPS
            if workflow.may_take(user, step, status=status_now, gp_id=gp_id)
        ]
    cancel = Action(labels.url("scheduling:cancel", pk), labels.cancel, "btn-outline-danger")
    if status == BookingStatus.BOOKED:
        convocation = Action(
            labels.url("scheduling:convocation", pk),
            labels.convocation,
            "btn-outline-primary",
            download=True,
        )
        move = Action(labels.url("scheduling:reschedule", pk), labels.move, "btn-outline-secondary")
        return (convocation, *steps, move, cancel)
    if status == BookingStatus.ARRIVED:
        procedure = Action(
            labels.url("procedures:procedure", referral_id), labels.procedure, "btn-primary"
        )
        return (procedure, *steps, cancel)
    if status == BookingStatus.DONE:
        return (
            Action(
                labels.url("procedures:procedure", referral_id),
                labels.report,
                "btn-outline-primary",
            ),
        )
    return ()


BOOKING_COLUMNS = (
    "pk",
    "session_id",
    "referral_id",
    "status",
    "start_time",
    "arrival_time",
    "minutes",
    "stay",
    "referral__status",
    "referral__gp_id",
    "referral__patient__birth_name",
    "referral__patient__used_name",
    "referral__patient__first_names",
    "referral__patient__sex",
    "referral__patient__birth_date",
    "referral__current_decision__levels_to_treat",
    "referral__current_decision__anaesthesia",
)


def day_rows(day: date, *, user: User, today: date) -> list[DaySessionRow]:
    """The sessions of `day` in schedule order, with their bookings: three queries of plain
    values (the sessions' ids, their columns and occupancy, their bookings)."""
    ids = list(
        DaySession.objects.filter(date=day).order_by(*SESSION_ORDER).values_list("pk", flat=True)
    )
    sessions = session_rows(ids)
    by_session: dict[int, list[DayBooking]] = {pk: [] for pk in ids}
    labels = _Labels()
    values = (
        Booking.objects.filter(session_id__in=ids)
        .order_by("start_time", "id")
        .values(*BOOKING_COLUMNS)
    )
    for row in values:
        name = patient_full_name(
            birth_name=row["referral__patient__birth_name"] or "",
            used_name=row["referral__patient__used_name"] or "",
            first_names=row["referral__patient__first_names"] or "",
            sex=row["referral__patient__sex"] or "",
        )
        birth = row["referral__patient__birth_date"]
        anaesthesia = row["referral__current_decision__anaesthesia"]
        status = row["status"]
        by_session[row["session_id"]].append(
            DayBooking(
                start=_clock(row["start_time"]),
                arrival=_clock(row["arrival_time"]),
                patient=name or labels.no_name,
                patient_url=labels.url("scheduling:referral", row["referral_id"]),
                birth=birth.strftime("%d/%m/%Y") if birth else "",
                levels=", ".join(row["referral__current_decision__levels_to_treat"] or []),
                minutes=str(row["minutes"]),
                anaesthesia=labels.anaesthesia.get(anaesthesia, "—") if anaesthesia else "—",
                overnight=row["stay"] == Stay.OVERNIGHT,
                status=status,
                status_label=labels.status.get(status, status),
                badge=BADGES.get(status, "text-bg-secondary"),
                struck=status in STRUCK,
                actions=_actions(row, day=day, user=user, today=today, labels=labels),
            )
        )
    return [
        DaySessionRow(
            session=session,
            title=f"{session.hours} · {session.room} · {session.radiologist}",
            bookings=tuple(by_session[session.pk]),
        )
        for session in sessions
    ]


@dataclass(frozen=True, slots=True)
class RecordChoice:
    value: int
    label: str  # « DUPONT Jeanne · 12/03/1941 · demande n° 42 »


def record_choices(*, limit: int) -> list[RecordChoice]:
    """The accepted referrals a past session (or today's) may note as come, most urgent first:
    one query of plain values (the form's field read `limit` whole referrals with their
    decision's engine output)."""
    no_name = _("Patient sans nom")
    rows = referrals_to_book().values_list(
        "pk",
        "patient__birth_name",
        "patient__used_name",
        "patient__first_names",
        "patient__sex",
        "patient__birth_date",
    )[:limit]
    return [
        RecordChoice(
            pk,
            referral_choice_label(
                patient=patient_full_name(
                    birth_name=birth_name or "",
                    used_name=used_name or "",
                    first_names=first_names or "",
                    sex=sex or "",
                )
                or no_name,
                birth_date=birth_date,
                number=pk,
            ),
        )
        for pk, birth_name, used_name, first_names, sex, birth_date in rows
    ]
