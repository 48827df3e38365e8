"""manage.py queue_status: the task queue and the messages, for a monitoring probe.

Prints one `name value` line per figure; exits 1 and says why on stderr when something needs a
look (a task waiting longer than --max-wait-minutes, a message stuck or given up on, a task that
raised in the last 24 hours). docs/deployment.md, « What to monitor »."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from notifications.monitoring import queue_status


class Command(BaseCommand):
    help = (
        "The task queue's length and wait, failed and stuck messages; exit 1 if one needs a look."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-wait-minutes",
            type=int,
            default=10,
            help="A task due for longer than this means no worker is taking tasks (default 10).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        status = queue_status(now=timezone.now())
        wait = status.oldest_wait.total_seconds() if status.oldest_wait is not None else 0
        for name, value in (
            ("tasks_ready", status.ready),
            ("tasks_oldest_wait_seconds", int(wait)),
            ("tasks_running", status.running),
            ("tasks_failed_24h", status.failed_tasks_24h),
            ("messages_failed_24h", status.failed_sends_24h),
            ("messages_failed", status.failed_messages),
            ("messages_stuck_sending", status.stuck_sending),
        ):
            self.stdout.write(f"{name} {value}")
        problems = status.problems(max_wait=timedelta(minutes=options["max_wait_minutes"]))
        for problem in problems:
            self.stderr.write(f"queue_status: {problem}")
        if problems:
            sys.exit(1)
