"""`manage.py quality_report --month 2026-11 [--output file.pdf] [--store]`: the monthly quality
report on demand. --store keeps it for the dashboard (replacing the month's kept report), as the
task queue does on the first of each month."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from quality.periods import month_period
from quality.report import monthly_report_pdf
from quality.services.monthly_report import monthly_report_store


class Command(BaseCommand):
    help = "Write the quality report of one month (YYYY-MM) as a PDF, or keep it (--store)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--output", help="the PDF's path (qualite-YYYY-MM.pdf by default)")
        parser.add_argument(
            "--store",
            action="store_true",
            help="keep it in the file storage, listed on the dashboard (replaces the month's)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = month_period(options["month"])
        if period is None:
            raise CommandError("--month must be YYYY-MM, for example 2026-11")
        today = timezone.localdate()
        if options["store"]:
            report = monthly_report_store(period=period, today=today, replace=True)
            self.stdout.write(f"kept: {report.pdf.name}")
            if not options["output"]:
                return
            content = report.pdf.open("rb").read()
        else:
            content = monthly_report_pdf(period, today=today)
        path = Path(options["output"] or f"qualite-{period.slug}.pdf")
        path.write_bytes(content)
        self.stdout.write(str(path))
