"""Keep the quality figures of every closed month that has none yet or whose rows changed since
(quality/months.py): run once a day by the scheduler (notifications/scheduler.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from quality.months import months_keep


class Command(BaseCommand):
    help = "Keep the quality figures of the closed months not kept yet or changed since."

    def handle(self, *args: Any, **options: Any) -> None:
        kept = months_keep(today=timezone.localdate())
        self.stdout.write(f"{kept} months kept")
