"""`manage.py seed_volume --referrals N`: a clinic network's years of fictional referrals, fast.

Rows are built in memory (bench/volume.py, the real engine for every verdict) and
inserted with bulk_create in chunks: no service runs per row, so no e-mail, no access log, and
timestamps are the fictional ones. Accounts are created once under the `vol-` username prefix;
`--reset` deletes every referral of those accounts (and its patients, decisions, bookings,
sessions) before seeding.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Model, OuterRef, Subquery
from django.utils import timezone

from bench.outcomes import outcomes
from bench.volume import (
    STATUS_MIX,
    VOLUME_PREFIX,
    VOLUME_ROOM_PREFIX,
    Built,
    Generator,
    Names,
    NirAllocator,
    SessionPacker,
    quotas,
)
from clinic.models import Role, User
from followups.models import FollowUp, FollowUpAnswer
from procedures.models import ProcedureReport
from quality.facts import treated_refresh
from quality.models import MonthlyFigures, TreatedReferral
from quality.months import months_keep
from referrals.choices import DecisionKind, Status
from referrals.models import (
    Attachment,
    Decision,
    EligibilitySnapshot,
    FractureLevel,
    Patient,
    Referral,
    TimelineEvent,
)
from scheduling.models import (
    Booking,
    BookingStatus,
    ChangeReason,
    DaySession,
    ImagingAppointment,
    LateCause,
    time_of,
)
from scheduling.windows import procedure_minutes

GP_COUNT = 200
RADIOLOGIST_COUNT = 6
SECRETARY_COUNT = 2
CHUNK = 2000
EVENTS: dict[str, str] = {
    DecisionKind.ACCEPT: "referral.accepted",
    DecisionKind.DECLINE: "referral.declined",
    DecisionKind.REQUEST_INFORMATION: "referral.information_requested",
    DecisionKind.REDIRECT_SURGERY: "referral.redirected_to_surgery",
}
BOOKING_STATUS: dict[str, str] = {
    Status.SCHEDULED: BookingStatus.BOOKED,
    Status.DONE: BookingStatus.DONE,
    Status.CANCELLED: BookingStatus.CANCELLED,
}


@dataclass(frozen=True)
class Accounts:
    gps: list[int]  # in username order: the first ones refer the most
    radiologists: list[int]
    secretaries: list[int]


@dataclass(frozen=True)
class Summary:
    referrals: int
    seconds: float
    by_status: dict[str, int]


def ensure_accounts(names: Names, rng: random.Random) -> Accounts:
    """The volume's GPs, radiologists and secretaries (created once, without a usable password:
    `manage.py changepassword vol-radio-1` to log in as one)."""
    specs = [(f"{VOLUME_PREFIX}gp-{n:03d}", Role.GP) for n in range(1, GP_COUNT + 1)]
    specs += [
        (f"{VOLUME_PREFIX}radio-{n}", Role.RADIOLOGIST) for n in range(1, RADIOLOGIST_COUNT + 1)
    ]
    specs += [(f"{VOLUME_PREFIX}sec-{n}", Role.SECRETARY) for n in range(1, SECRETARY_COUNT + 1)]
    existing = set(
        User.objects.filter(username__startswith=VOLUME_PREFIX).values_list("username", flat=True)
    )
    missing = [
        User(
            username=username,
            role=role,
            first_name=rng.choice(names.female + names.male),
            last_name=rng.choice(names.last),
            email=f"{username}@example.invalid",
            rpps=f"99{index:09d}" if role == Role.GP else "",
            practice_address="1 rue de la Fiction, 75000 Paris" if role == Role.GP else "",
            password=make_password(None),
        )
        for index, (username, role) in enumerate(specs)
        if username not in existing
    ]
    User.objects.bulk_create(missing)
    rows = User.objects.filter(username__startswith=VOLUME_PREFIX).order_by("username")
    ids: dict[str, list[int]] = {Role.GP: [], Role.RADIOLOGIST: [], Role.SECRETARY: []}
    for pk, role in rows.values_list("pk", "role"):
        ids.setdefault(role, []).append(pk)
    return Accounts(ids[Role.GP], ids[Role.RADIOLOGIST], ids[Role.SECRETARY])


@contextmanager
def explicit_timestamps(*models: type[Model]) -> Iterator[None]:
    """Let bulk_create keep the fictional created_at/updated_at instead of stamping now()."""
    switched = []
    for model in models:
        for f in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(f, flag, False):
                    setattr(f, flag, False)
                    switched.append((f, flag))
    try:
        yield
    finally:
        for f, flag in switched:
            setattr(f, flag, True)


def reset_volume() -> int:
    """Delete every referral of the volume's GPs and what hangs on it; returns how many."""
    referrals = Referral.objects.filter(gp__username__startswith=VOLUME_PREFIX)
    count = referrals.count()
    patient_ids = set(referrals.exclude(patient=None).values_list("patient_id", flat=True))
    with transaction.atomic():
        referrals.update(current_decision=None)
        # _raw_delete: one DELETE each, where the ORM would load every row to cascade by hand.
        answers = FollowUpAnswer.objects.filter(followup__referral__in=referrals)
        answers._raw_delete(connection.alias)
        FollowUp.objects.filter(referral__in=referrals)._raw_delete(connection.alias)
        TreatedReferral.objects.filter(referral__in=referrals)._raw_delete(connection.alias)
        ProcedureReport.objects.filter(referral__in=referrals)._raw_delete(connection.alias)
        for model in (TimelineEvent, Booking, ImagingAppointment, Attachment, EligibilitySnapshot):
            model.objects.filter(referral__in=referrals)._raw_delete(connection.alias)
        Decision.objects.filter(referral__in=referrals)._raw_delete(connection.alias)
        FractureLevel.objects.filter(referral__in=referrals)._raw_delete(connection.alias)
        referrals._raw_delete(connection.alias)
        orphans = Patient.objects.filter(pk__in=patient_ids, referrals=None, bookings=None)
        orphans._raw_delete(connection.alias)
        sessions = DaySession.objects.filter(room__startswith=VOLUME_ROOM_PREFIX, bookings=None)
        sessions._raw_delete(connection.alias)
    return count


def bulk_insert(model: type[Model], rows: Iterable[Model]) -> None:
    """bulk_create, or COPY on PostgreSQL: ids come from the table's sequence first, then the
    rows stream in text form (Django's bulk INSERT quotes every JSON value in Python, ten times
    slower for snapshots and decisions)."""
    objs = list(rows)
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs)
        return
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    db = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup per value
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding = False
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in [model._meta.pk, *fields])
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                # The pk of a related row saved after it was assigned (patient, decision, …).
                prepare = obj._prepare_related_fields_for_save  # type: ignore[attr-defined]
                prepare(operation_name="bulk_insert")
                values = [f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields]
                copy.write_row([obj.pk, *values])


def _insert(
    chunk: list[Built], accounts: Accounts, packer: SessionPacker, rng: random.Random
) -> None:
    now = timezone.now()
    new_patients = list({id(b.patient): b.patient for b in chunk if b.patient.pk is None}.values())
    bulk_insert(Patient, new_patients)
    for b in chunk:
        b.referral.patient = b.patient
    with explicit_timestamps(Referral, EligibilitySnapshot):
        bulk_insert(Referral, [b.referral for b in chunk])
        bulk_insert(
            EligibilitySnapshot,
            [
                EligibilitySnapshot(
                    referral=b.referral,
                    created_at=b.submitted_at,
                    reason="submitted",
                    ruleset_version=b.output["ruleset"],
                    verdict=b.referral.verdict,
                    facts=b.facts,
                    output=b.output,
                )
                for b in chunk
                if b.submitted_at is not None
            ],
        )
    for b in chunk:
        for level in b.levels:
            level.referral = b.referral
    bulk_insert(FractureLevel, [lv for b in chunk for lv in b.levels])
    decisions = _insert_decisions(chunk, accounts, rng)
    decided = [b.referral.pk for b in chunk if b.decisions]
    latest = Decision.objects.filter(referral=OuterRef("pk")).order_by("-decided_at", "-id")
    Referral.objects.filter(pk__in=decided).update(
        current_decision=Subquery(latest.values("pk")[:1])
    )
    bookings = _insert_bookings(chunk, accounts, packer, rng)
    bulk_insert(TimelineEvent, _events(chunk, decisions, bookings, accounts))
    after = outcomes(chunk, bookings, radiologists=accounts.radiologists, rng=rng, now=now)
    bulk_insert(ProcedureReport, after.reports)
    bulk_insert(FollowUp, after.followups)
    bulk_insert(FollowUpAnswer, after.answers)
    # The quality figures' rows, as report_sign and the follow-up services write them.
    treated_refresh(referral_ids=[r.referral_id for r in after.reports])


def _insert_decisions(
    chunk: list[Built], accounts: Accounts, rng: random.Random
) -> dict[int, list[Decision]]:
    made: dict[int, list[Decision]] = {}
    for step in (0, 1):  # a second decision supersedes the first: insert the first ones first
        rows = []
        for b in chunk:
            if len(b.decisions) <= step:
                continue
            previous = made[b.referral.pk][-1] if step else None
            decision = Decision(
                referral=b.referral,
                radiologist_id=rng.choice(accounts.radiologists),
                supersedes=previous,
                ruleset_version=b.output["ruleset"],
                engine_verdict=b.referral.verdict,
                facts=b.facts,
                engine_output=b.output,
                **b.decisions[step],
            )
            made.setdefault(b.referral.pk, []).append(decision)
            rows.append(decision)
        bulk_insert(Decision, rows)
    return made


def _late_cause(b: Built, day: Any, rng: random.Random) -> str:
    """Past the ideal window, what the desk answered to « why not earlier » (as it must now)."""
    ideal_until = b.referral.ideal_until
    if ideal_until is None or day <= ideal_until:
        return ""
    return rng.choice((LateCause.NO_ROOM, LateCause.NO_ROOM, LateCause.PATIENT, LateCause.OTHER))


def _insert_bookings(
    chunk: list[Built], accounts: Accounts, packer: SessionPacker, rng: random.Random
) -> dict[int, Booking]:
    now = timezone.now()
    bookings: dict[int, Booking] = {}
    for b in chunk:
        if b.booking_day is None:
            continue
        accept = b.decisions[-1]
        minutes = procedure_minutes(len(accept["levels_to_treat"]))
        session, start = packer.place(b.booking_day, minutes=minutes, stay=accept["stay"])
        booked_at = min(accept["decided_at"] + timedelta(hours=rng.uniform(1, 30)), now)
        status = BOOKING_STATUS[b.status]
        changed = status != BookingStatus.BOOKED
        bookings[b.referral.pk] = Booking(
            referral=b.referral,
            patient_id=b.patient.pk,
            session=session,
            status=status,
            minutes=minutes,
            stay=accept["stay"],
            start_time=start,
            arrival_time=time_of(max(0, start.hour * 60 + start.minute - 60)),
            booked_by_id=accounts.secretaries[0],
            booked_at=booked_at,
            status_changed_by_id=accounts.secretaries[-1] if changed else None,
            status_changed_at=min(session.starts_at() + timedelta(hours=4), now)
            if changed
            else None,
            cancel_reason="Demande du patient." if status == BookingStatus.CANCELLED else "",
            change_reason=ChangeReason.PATIENT if status == BookingStatus.CANCELLED else "",
            late_cause=_late_cause(b, session.date, rng),
        )
    bulk_insert(DaySession, packer.new)
    packer.new = []
    bulk_insert(Booking, bookings.values())
    return bookings


def _events(
    chunk: list[Built],
    decisions: dict[int, list[Decision]],
    bookings: dict[int, Booking],
    accounts: Accounts,
) -> Iterator[TimelineEvent]:
    for b in chunk:
        referral = b.referral
        levels = [lv.level for lv in b.levels]
        yield TimelineEvent(
            referral=referral,
            action="referral.created",
            actor_id=referral.gp_id,
            at=b.created_at,
            data={"levels": levels},
        )
        if b.submitted_at is not None:
            yield TimelineEvent(
                referral=referral,
                action="referral.submitted",
                actor_id=referral.gp_id,
                at=b.submitted_at,
                data={"verdict": referral.verdict},
            )
        for decision in decisions.get(referral.pk, []):
            yield TimelineEvent(
                referral=referral,
                action=EVENTS[decision.kind],
                actor_id=decision.radiologist_id,
                at=decision.decided_at,
                data={
                    "decision_id": decision.pk,
                    "engine_verdict": decision.engine_verdict,
                    "ruleset": decision.ruleset_version,
                    "against_engine": bool(decision.justification),
                    "supersedes": decision.supersedes_id,
                    "levels_to_treat": decision.levels_to_treat,
                },
            )
        booking = bookings.get(referral.pk)
        if booking is None:
            continue
        data = {
            "booking": booking.pk,
            "date": booking.session.date.isoformat(),
            "time": booking.start_time.strftime("%H:%M"),
            "room": booking.session.room,
        }
        yield TimelineEvent(
            referral=referral,
            action="booking.created",
            actor_id=booking.booked_by_id,
            at=booking.booked_at,
            data=data,
        )
        if booking.status_changed_at is not None:
            action = "booking.done" if booking.status == BookingStatus.DONE else "booking.cancelled"
            yield TimelineEvent(
                referral=referral,
                action=action,
                actor_id=booking.status_changed_by_id,
                at=booking.status_changed_at,
                data=data,
            )


def _gp_weights(count: int) -> list[float]:
    # A long tail: a few large practices refer the most, most GPs a few patients a year.
    return [1 / (rank + 1) ** 0.6 for rank in range(count)]


def analyse(*, vacuum: bool = True) -> None:
    """Fresh planner statistics (and a visibility map, for index-only counts) after the load, as
    autovacuum would leave them in production."""
    tables = [
        m._meta.db_table
        for m in (
            Patient,
            Referral,
            FractureLevel,
            EligibilitySnapshot,
            Decision,
            TimelineEvent,
            DaySession,
            Booking,
            User,
            ProcedureReport,
            FollowUp,
            FollowUpAnswer,
            TreatedReferral,
            MonthlyFigures,
        )
    ]
    # VACUUM cannot run inside a transaction (a test's, or a caller's atomic block).
    vacuum = vacuum and connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"VACUUM ANALYZE {name}" if vacuum else f"ANALYZE {name}")


def seed_volume(
    *,
    referrals: int,
    seed: int = 0,
    mix: Sequence[tuple[str, float]] = STATUS_MIX,
    chunk: int = CHUNK,
    vacuum: bool = True,
    keep_day: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Insert `referrals` fictional referrals (added to any already there); none booked on
    `keep_day` (the bench's day, timed on the same content before and after)."""
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 (reproducible fiction, not secrets)
    names = Names.fictional(seed)
    accounts = ensure_accounts(names, rng)
    counts = quotas(referrals, mix)
    statuses = [status for status, n in counts.items() for _ in range(n)]
    rng.shuffle(statuses)
    gps = rng.choices(accounts.gps, _gp_weights(len(accounts.gps)), k=len(statuses))
    nirs = NirAllocator(Patient.objects.filter(nir__contains="99999").values_list("nir", flat=True))
    taken = set(
        DaySession.objects.filter(room__startswith=VOLUME_ROOM_PREFIX).values_list("date", "room")
    )
    packer = SessionPacker(
        taken=taken, radiologist_ids=accounts.radiologists, by=accounts.secretaries[0]
    )
    generator = Generator(
        rng=rng,
        names=names,
        nirs=nirs,
        now=timezone.now(),
        span=max(60, referrals // 70),
        keep_day=keep_day,
    )
    next_analyse = chunk
    for start in range(0, len(statuses), chunk):
        built = [
            generator.build(status, gp)
            for status, gp in zip(
                statuses[start : start + chunk], gps[start : start + chunk], strict=True
            )
        ]
        with transaction.atomic():
            _insert(built, accounts, packer, rng)
        done = min(start + chunk, len(statuses))
        if done >= next_analyse:
            # Statistics that follow the growth (each doubling): on an empty database's
            # statistics, PostgreSQL read every decision for each referral of a chunk, and a
            # chunk at 30,000 referrals took 70 s instead of 3.
            analyse(vacuum=False)
            next_analyse = done * 2
        if progress is not None:
            progress(f"{done:,}/{len(statuses):,} referrals ({time.monotonic() - started:.0f} s)")
    # Every closed month's quality figures, as the daily task keeps them (again: a reset or an
    # earlier seed may have kept months that these rows now change).
    months_keep(today=timezone.localdate(), again=True)
    if vacuum:
        analyse()
    return Summary(referrals, time.monotonic() - started, counts)


class Command(BaseCommand):
    help = "Load N fictional referrals in bulk (bench and load tests; refused when DEBUG is off)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--referrals", type=int, required=True, help="how many to add")
        parser.add_argument(
            "--seed", type=int, default=0, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the previous volume data first"
        )
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument(
            "--keep-day",
            type=date.fromisoformat,
            help="book no one on this day (ISO date): its schedule stays as it is",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_volume fills the database with fictional patients: run it with DEBUG=true "
                "on a development or bench database, or add --force if this database is one."
            )
        if options["referrals"] < 1:
            raise CommandError("--referrals must be at least 1.")
        if options["reset"]:
            deleted = reset_volume()
            self.stdout.write(f"Deleted {deleted:,} volume referrals.")
        summary = seed_volume(
            referrals=options["referrals"],
            seed=options["seed"],
            keep_day=options["keep_day"],
            progress=self.stdout.write,
        )
        mix = ", ".join(f"{status} {n:,}" for status, n in summary.by_status.items())
        self.stdout.write(
            self.style.SUCCESS(f"{summary.referrals:,} referrals in {summary.seconds:.0f} s: {mix}")
        )
