"""The time-based work, enqueued by `manage.py enqueue_due_tasks` (run every 5 minutes by a
systemd timer or cron: deploy/systemd/, docs/notifications.md).

Each hook looks at the clock it is given and enqueues what is due, at most once: a message has a
unique row per (booking, kind, recipient, day), a daily or monthly job a unique JobRun per (job,
day), a follow-up invitation a unique row per (follow-up, kind, recipient, due day). Running the
command twice, or twice at once, enqueues nothing twice. A new kind of time-based work is one
more entry in HOOKS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from followups.selectors import followups_due
from followups.services.invitations import send_followup_invitation
from notifications.choices import Kind
from notifications.models import JobRun, Message
from notifications.services.dispatch import queue_patient_message_once
from notifications.services.sending import requeue_stale
from scheduling.models import Booking, BookingStatus
from scheduling.plan import dated_entries, decision_plan, last_working_day

# The reminder leaves this many working days before the procedure.
REMINDER_WORKING_DAYS = 2
# How far ahead to look for a last dose: longer than any hold of the medication plan (J−6).
LAST_DOSE_LOOKAHEAD_DAYS = 21
# A follow-up invitation still leaves this many days after its due day if the scheduler was down;
# older ones are for the desk to call (the worklist shows them late).
FOLLOWUP_CATCH_UP_DAYS = 3


@dataclass(frozen=True)
class Hook:
    name: str
    run: Callable[[datetime], int]  # the clock → how many things it enqueued


def reminder_day(procedure_day: date) -> date:
    """Two working days before: for a Tuesday after a public-holiday Monday, the Thursday."""
    day = procedure_day
    for _ in range(REMINDER_WORKING_DAYS):
        day = last_working_day(day - timedelta(days=1))
    return day


def _sending_hours(now: datetime) -> bool:
    """Patients are not texted at night."""
    return timezone.localtime(now).hour >= settings.NOTIFICATIONS_SEND_FROM_HOUR


def _booked(first: date, last: date) -> list[Booking]:
    return list(
        Booking.objects.filter(
            status=BookingStatus.BOOKED, session__date__gte=first, session__date__lte=last
        )
        .select_related("session", "referral__patient", "referral__current_decision")
        .order_by("session__date", "pk")
    )


def patient_reminders(now: datetime) -> int:
    """The reminder, from its day (two working days before) until the eve of the procedure if
    the scheduler was down; none for a booking made on or after that day (its confirmation
    just left), none for a cancelled or moved one (no longer « booked »)."""
    if not _sending_hours(now):
        return 0
    today = timezone.localtime(now).date()
    count = 0
    for booking in _booked(today + timedelta(days=1), today + timedelta(days=10)):
        day = reminder_day(booking.session.date)
        if day > today or timezone.localtime(booking.booked_at).date() >= day:
            continue
        if queue_patient_message_once(booking=booking, kind=Kind.REMINDER, day=day):
            count += 1
    return count


def last_dose_messages(now: datetime) -> int:
    """On the day of the last dose of a drug the plan stops (or the last heparin injection),
    « dernière prise aujourd'hui du médicament indiqué sur votre convocation »: one message a
    day whatever the number of drugs, never naming one."""
    if not _sending_hours(now):
        return 0
    today = timezone.localtime(now).date()
    count = 0
    for booking in _booked(today + timedelta(days=1), today + timedelta(LAST_DOSE_LOOKAHEAD_DAYS)):
        decision = booking.referral.current_decision
        if decision is None:
            continue
        plan = decision_plan(decision, today=today)
        entries = dated_entries(plan.medication, booking.session.date)
        if not any(entry.last_dose == today for entry in entries):
            continue
        if queue_patient_message_once(booking=booking, kind=Kind.LAST_DOSE, day=today):
            count += 1
    return count


def followup_invitations(now: datetime) -> int:
    """From 9:00 on its due day (D1, M1, M3), the patient's link to each follow-up not yet
    answered, on their channel: once per follow-up (its due day is the message's day), none when
    the desk already sent a link still alive or the patient gave no consent."""
    if not _sending_hours(now):
        return 0
    today = timezone.localtime(now).date()
    invited = Message.objects.filter(followup=OuterRef("pk"), kind=Kind.FOLLOWUP, day__isnull=False)
    due = (
        followups_due(on=today)
        .filter(due_on__gte=today - timedelta(days=FOLLOWUP_CATCH_UP_DAYS))
        .exclude(Exists(invited))
    )
    count = 0
    for followup_id, due_on in due.values_list("pk", "due_on"):
        if send_followup_invitation(followup_id=followup_id, now=now, day=due_on):
            count += 1
    return count


def _once(job: str, day: date, now: datetime, enqueue: Callable[[], object]) -> int:
    if JobRun.objects.filter(job=job, day=day).exists():
        return 0
    try:
        with transaction.atomic():
            JobRun.objects.create(job=job, day=day, enqueued_at=now)
            transaction.on_commit(enqueue)
    except IntegrityError:  # another run took it
        return 0
    return 1


def daily_command(command: str, *, from_hour: int) -> Callable[[datetime], int]:
    """A management command enqueued once a day, from `from_hour` (local time)."""

    def run(now: datetime) -> int:
        local = timezone.localtime(now)
        if local.hour < from_hour:
            return 0
        from notifications.tasks import run_command

        return _once(command, local.date(), now, lambda: run_command.enqueue(command))

    return run


def monthly_command(command: str) -> Callable[[datetime], int]:
    """A management command enqueued once a month, on the first run of the month."""

    def run(now: datetime) -> int:
        first = timezone.localtime(now).date().replace(day=1)
        from notifications.tasks import run_command

        return _once(command, first, now, lambda: run_command.enqueue(command))

    return run


def monthly_quality_report(now: datetime) -> int:
    """On the first run of a month, the quality report of the month just ended, kept by the
    task queue (quality/services/monthly_report.py; a month already kept is not redone)."""
    today = timezone.localtime(now).date()
    from quality.services.monthly_report import previous_month
    from quality.tasks import keep_monthly_report

    month = previous_month(today).first_month
    return _once(
        "quality_report", today.replace(day=1), now, lambda: keep_monthly_report.enqueue(month)
    )


HOOKS: tuple[Hook, ...] = (
    Hook("patient_reminders", patient_reminders),
    Hook("last_dose_messages", last_dose_messages),
    Hook("followup_invitations", followup_invitations),
    Hook("requeue_stale_messages", lambda now: requeue_stale(now=now)),
    Hook("purge_orphan_files", daily_command("purge_orphan_files", from_hour=3)),
    Hook("retention_report", monthly_command("retention_due")),
    Hook("quality_report", monthly_quality_report),
    Hook("quality_months", daily_command("quality_months", from_hour=1)),
)
