"""Write every quality figures' row again from the record (quality/facts.py), then every closed
month's kept tally (quality/months.py): after the migration that adds them, or whenever data was
loaded without the services."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from quality.facts import treated_rebuild
from quality.months import months_keep


class Command(BaseCommand):
    help = (
        "Rebuild the quality dashboard's rows (one per treated referral) from the record, and "
        "the kept figures of every closed month."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            written = treated_rebuild()
        kept = months_keep(today=timezone.localdate(), again=True)
        self.stdout.write(f"{written} treated referrals written, {kept} months kept")
