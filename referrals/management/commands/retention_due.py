"""manage.py retention_due: patients whose records are past the retention period (settings.
RETENTION_YEARS after their last stay or referral activity). Lists them for the medical records
officer; deleting is a human decision, so this command never deletes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Max, QuerySet
from django.utils import timezone

from referrals.models import Patient


def retention_cutoff(now: datetime) -> datetime:
    try:
        return now.replace(year=now.year - settings.RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - settings.RETENTION_YEARS, day=28)


def patients_past_retention(now: datetime) -> QuerySet[Patient]:
    return (
        Patient.objects.annotate(last_activity=Max("referrals__updated_at"))
        .filter(last_activity__lt=retention_cutoff(now))
        .order_by("last_activity")
    )


class Command(BaseCommand):
    help = "List patients whose records are past the retention period (never deletes)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        due = patients_past_retention(now)
        self.stdout.write(
            f"Retention: {settings.RETENTION_YEARS} years; records untouched since before "
            f"{retention_cutoff(now):%Y-%m-%d}: {due.count()} patient(s)."
        )
        for patient in due:
            last: datetime = patient.last_activity  # type: ignore[attr-defined]  # annotated
            self.stdout.write(f"  patient {patient.pk}: last activity {last:%Y-%m-%d}")
