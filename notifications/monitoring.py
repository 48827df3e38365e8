"""What a monitoring probe asks of the task queue and of the messages (`manage.py queue_status`,
docs/deployment.md « What to monitor »): counts only, no patient data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min
from django_tasks_db.models import DBTaskResult, get_date_max

from notifications.choices import MessageStatus
from notifications.models import Message
from referrals.models import TimelineEvent

# A message « sending » for longer than this is stuck (the scheduler re-queues it after 15 min).
STUCK_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class QueueStatus:
    ready: int  # tasks due now that no worker has taken yet
    oldest_wait: timedelta | None  # how long the oldest of them has waited
    running: int
    failed_tasks_24h: int  # tasks that raised (a message's failed attempt is not one)
    failed_sends_24h: int  # messages given up on (after their last attempt) in 24 h
    failed_messages: int  # all messages the desk sees as « non envoyés » (until it resends them)
    stuck_sending: int

    def problems(self, *, max_wait: timedelta) -> list[str]:
        found = []
        if self.oldest_wait is not None and self.oldest_wait > max_wait:
            minutes = int(self.oldest_wait.total_seconds() // 60)
            found.append(f"a task has waited {minutes} min: is a worker running?")
        if self.stuck_sending:
            found.append(f"{self.stuck_sending} message(s) stuck sending: a worker died?")
        if self.failed_tasks_24h:
            found.append(f"{self.failed_tasks_24h} task(s) failed in 24 h: see the worker's log")
        if self.failed_sends_24h:
            found.append(
                f"{self.failed_sends_24h} message(s) given up on in 24 h: the mail or SMS "
                "provider? (the desk sees them and may resend them)"
            )
        return found


def queue_status(*, now: datetime) -> QueueStatus:
    ready = DBTaskResult.objects.ready()
    # run_after is « the far future » for a task to run at once: it waits since it was enqueued.
    oldest = min(
        (
            moment
            for moment in (
                ready.filter(run_after=get_date_max()).aggregate(m=Min("enqueued_at"))["m"],
                ready.exclude(run_after=get_date_max()).aggregate(m=Min("run_after"))["m"],
            )
            if moment is not None
        ),
        default=None,
    )
    return QueueStatus(
        ready=ready.count(),
        oldest_wait=now - oldest if oldest is not None else None,
        running=DBTaskResult.objects.running().count(),
        failed_tasks_24h=DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timedelta(hours=24))
        .count(),
        failed_sends_24h=TimelineEvent.objects.filter(
            action="notification.failed", at__gte=now - timedelta(hours=24)
        ).count(),
        failed_messages=Message.objects.filter(status=MessageStatus.FAILED).count(),
        stuck_sending=Message.objects.filter(
            status=MessageStatus.SENDING, claimed_at__lt=now - STUCK_AFTER
        ).count(),
    )
