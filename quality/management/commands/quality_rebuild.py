"""Write every quality figures' row again from the record (quality/facts.py): after the
migration that adds them, or whenever data was loaded without the services."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from quality.facts import treated_rebuild


class Command(BaseCommand):
    help = "Rebuild the quality dashboard's rows (one per treated referral) from the record."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            written = treated_rebuild()
        self.stdout.write(f"{written} treated referrals written")
