"""`manage.py quality_report --month 2026-11 [--output file.pdf]`: the monthly quality report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from quality.periods import month_period
from quality.report import monthly_report_pdf


class Command(BaseCommand):
    help = "Write the quality report of one month (YYYY-MM) as a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--output", help="the PDF's path (qualite-YYYY-MM.pdf by default)")

    def handle(self, *args: Any, **options: Any) -> None:
        period = month_period(options["month"])
        if period is None:
            raise CommandError("--month must be YYYY-MM, for example 2026-11")
        path = Path(options["output"] or f"qualite-{period.slug}.pdf")
        path.write_bytes(monthly_report_pdf(period, today=timezone.localdate()))
        self.stdout.write(str(path))
