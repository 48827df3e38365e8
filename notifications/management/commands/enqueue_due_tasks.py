"""manage.py enqueue_due_tasks: enqueue the time-based work that is due (notifications.scheduler).

Run it every few minutes (deploy/systemd/cimento-scheduler.timer, or cron `*/5 * * * *`); it is
idempotent, so a run twice or late sends nothing twice. The worker (`manage.py db_worker`) does
the work."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.scheduler import HOOKS

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue the reminders, last-dose messages and periodic jobs that are due (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        failed = []
        for hook in HOOKS:
            try:
                count = hook.run(now)
            except Exception:
                # One broken hook must not keep the others' work from being enqueued.
                logger.exception("enqueue_due_tasks: %s failed", hook.name)
                failed.append(hook.name)
                continue
            self.stdout.write(f"{hook.name}: {count} enqueued")
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
