"""Writes on day-hospital sessions: one by one, from a weekly template, and changes.

No session on a French public holiday, none overlapping another in the same room, and a change
never leaves a session holding more than it can take (checked under the session's row lock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Role, User
from referrals.choices import Stay
from scheduling.errors import SessionRefused
from scheduling.models import OCCUPYING_STATUSES, DaySession
from scheduling.public_holidays import holiday_name
from scheduling.windows import day_label


@dataclass(frozen=True)
class SessionSpec:
    """Everything about a session but its date."""

    room: str
    radiologist: User
    start_time: time
    end_time: time
    procedure_minutes: int
    day_places: int
    overnight_beds: int = 0
    notes: str = ""


@dataclass
class TemplateResult:
    created: list[DaySession] = field(default_factory=list)
    skipped_holidays: list[tuple[date, str]] = field(default_factory=list)
    skipped_existing: list[date] = field(default_factory=list)


def holiday_refusal(day: date) -> str | None:
    """The French refusal for a session on a public holiday, or None on a working day."""
    name = holiday_name(day)
    if name is None:
        return None
    return _(
        "Le %(day)s est un jour férié (%(holiday)s) : aucune séance ne peut être programmée ce "
        "jour-là. Choisissez un autre jour."
    ) % {"day": day_label(day), "holiday": name}


# How far back a session may be recorded: beyond, what happened belongs to the records of the
# time (and a typo of a year is more likely than a month-old emergency not yet entered).
RECORD_DAYS = 31


def past_session_refusal(day: date, *, today: date) -> str | None:
    """Why a session on `day` (before today) cannot be recorded, or None."""
    if day >= today or day >= today - timedelta(days=RECORD_DAYS):
        return None
    return _(
        "Une séance passée ne s’enregistre que dans les %(days)d derniers jours (depuis le "
        "%(first)s) : le %(day)s est trop ancien."
    ) % {
        "days": RECORD_DAYS,
        "first": day_label(today - timedelta(days=RECORD_DAYS)),
        "day": day_label(day),
    }


def _check_spec(spec: SessionSpec) -> None:
    # The form says the same field by field; this guards every other caller.
    if spec.end_time <= spec.start_time:
        raise SessionRefused(_("L’heure de fin doit être après l’heure de début."))
    if spec.procedure_minutes <= 0 or spec.day_places < 0 or spec.overnight_beds < 0:
        raise SessionRefused(_("Les capacités doivent être des nombres positifs."))
    if spec.day_places + spec.overnight_beds == 0:
        raise SessionRefused(
            _("Une séance doit offrir au moins une place d’hôpital de jour ou un lit.")
        )
    if spec.radiologist.role != Role.RADIOLOGIST:
        raise SessionRefused(_("Choisissez un radiologue interventionnel pour cette séance."))


def overlapping(day: date, spec: SessionSpec, *, exclude: int | None = None) -> DaySession | None:
    """A session of the same room that day whose hours overlap `spec`'s."""
    found = DaySession.objects.filter(
        date=day,
        room__iexact=spec.room.strip(),
        start_time__lt=spec.end_time,
        end_time__gt=spec.start_time,
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.first()


def _clash_message(other: DaySession) -> str:
    return _(
        "La salle « %(room)s » est déjà réservée le %(day)s de %(start)s à %(end)s par une autre "
        "séance : changez l’horaire ou la salle."
    ) % {
        "room": other.room,
        "day": day_label(other.date),
        "start": other.start_time.strftime("%H:%M"),
        "end": other.end_time.strftime("%H:%M"),
    }


def _create(day: date, spec: SessionSpec, by: User) -> DaySession:
    try:
        with transaction.atomic():
            return DaySession.objects.create(
                date=day,
                room=spec.room.strip(),
                radiologist=spec.radiologist,
                start_time=spec.start_time,
                end_time=spec.end_time,
                procedure_minutes=spec.procedure_minutes,
                day_places=spec.day_places,
                overnight_beds=spec.overnight_beds,
                notes=spec.notes.strip(),
                created_by=by,
            )
    except IntegrityError:
        raise SessionRefused(
            _("Une séance existe déjà dans cette salle le %(day)s à %(start)s.")
            % {"day": day_label(day), "start": spec.start_time.strftime("%H:%M")}
        ) from None


@transaction.atomic
def session_create(
    *, day: date, spec: SessionSpec, by: User, today: date | None = None
) -> DaySession:
    """One session; refused on a public holiday or over another session of the same room. A
    past session records what happened (scheduling/services/past.py): within
    RECORD_DAYS, on a holiday too."""
    today = today or timezone.localdate()
    refusal = past_session_refusal(day, today=today) if day < today else holiday_refusal(day)
    if refusal:
        raise SessionRefused(refusal)
    _check_spec(spec)
    other = overlapping(day, spec)
    if other is not None:
        raise SessionRefused(_clash_message(other))
    return _create(day, spec, by)


@transaction.atomic
def sessions_create_from_template(
    *, first_day: date, last_day: date, weekdays: set[int], spec: SessionSpec, by: User
) -> TemplateResult:
    """A session on each chosen weekday (0 = Monday) from `first_day` to `last_day` included.

    Public holidays are skipped and reported; so are days where the room is already taken, so
    that running the same template twice creates nothing the second time."""
    _check_spec(spec)
    result = TemplateResult()
    day = first_day
    while day <= last_day:
        if day.weekday() in weekdays:
            name = holiday_name(day)
            if name is not None:
                result.skipped_holidays.append((day, name))
            elif overlapping(day, spec) is not None:
                result.skipped_existing.append(day)
            else:
                result.created.append(_create(day, spec, by))
        day += timedelta(days=1)
    return result


def session_usage(session: DaySession) -> tuple[int, int, int]:
    """(minutes, day places, overnight beds) taken by the bookings of `session`."""
    occupying = Q(status__in=OCCUPYING_STATUSES)
    usage = session.bookings.aggregate(
        minutes=Sum("minutes", filter=occupying),
        day=Count("pk", filter=occupying & ~Q(stay=Stay.OVERNIGHT)),
        beds=Count("pk", filter=occupying & Q(stay=Stay.OVERNIGHT)),
    )
    return int(usage["minutes"] or 0), int(usage["day"]), int(usage["beds"])


@transaction.atomic
def session_update(*, session: DaySession, spec: SessionSpec, by: User) -> DaySession:
    """Change hours, room, radiologist or capacities; never below what is already booked."""
    _check_spec(spec)
    locked = DaySession.objects.select_for_update().get(pk=session.pk)
    other = overlapping(locked.date, spec, exclude=locked.pk)
    if other is not None:
        raise SessionRefused(_clash_message(other))
    minutes, day, beds = session_usage(locked)
    if spec.procedure_minutes < minutes or spec.day_places < day or spec.overnight_beds < beds:
        raise SessionRefused(
            _(
                "Cette séance a déjà %(minutes)d minutes de geste, %(day)d places d’hôpital de "
                "jour et %(beds)d lits réservés : les capacités ne peuvent pas descendre en "
                "dessous. Déplacez d’abord des patients."
            )
            % {"minutes": minutes, "day": day, "beds": beds}
        )
    booked = locked.bookings.filter(status__in=OCCUPYING_STATUSES)
    if booked.filter(Q(start_time__lt=spec.start_time)).exists() or any(
        b.end_time > spec.end_time for b in booked
    ):
        raise SessionRefused(
            _(
                "Des patients sont programmés en dehors de ces nouveaux horaires : déplacez-les "
                "d’abord ou gardez des horaires qui les incluent."
            )
        )
    locked.room = spec.room.strip()
    locked.radiologist = spec.radiologist
    locked.start_time = spec.start_time
    locked.end_time = spec.end_time
    locked.procedure_minutes = spec.procedure_minutes
    locked.day_places = spec.day_places
    locked.overnight_beds = spec.overnight_beds
    locked.notes = spec.notes.strip()
    try:
        with transaction.atomic():
            locked.save(
                update_fields=[
                    "room",
                    "radiologist",
                    "start_time",
                    "end_time",
                    "procedure_minutes",
                    "day_places",
                    "overnight_beds",
                    "notes",
                ]
            )
    except IntegrityError:
        raise SessionRefused(
            _("Une séance existe déjà dans cette salle le %(day)s à %(start)s.")
            % {"day": day_label(locked.date), "start": spec.start_time.strftime("%H:%M")}
        ) from None
    return locked
