"""Keep a month's quality report: render it once, store the PDF (Django's storage API) and its
row. Idempotent: a month already kept is returned as it is, unless `replace` (the command's
--store on demand) asks for a fresh one."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.models import User
from quality.models import MonthlyReport
from quality.periods import Period
from quality.report import monthly_report_pdf


def previous_month(today: date) -> Period:
    """The month before `today`'s: the one the report of the first of a month covers."""
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return Period(start, today.replace(day=1))


def monthly_report_store(
    *, period: Period, today: date, by: User | None = None, replace: bool = False
) -> MonthlyReport:
    existing = MonthlyReport.objects.filter(month=period.start).first()
    if existing is not None and not replace:
        return existing
    # Rendered outside the transaction: a few seconds that need no lock.
    content = ContentFile(monthly_report_pdf(period, today=today))
    now = timezone.now()
    if existing is not None:
        with transaction.atomic():
            report = MonthlyReport.objects.select_for_update().get(pk=existing.pk)
            old = report.pdf.name
            report.pdf.save(f"{period.slug}.pdf", content, save=False)
            report.generated_at, report.generated_by = now, by
            report.save(update_fields=["pdf", "generated_at", "generated_by"])
        if old and old != report.pdf.name:
            report.pdf.storage.delete(old)
        return report
    report = MonthlyReport(month=period.start, generated_at=now, generated_by=by)
    report.pdf.save(f"{period.slug}.pdf", content, save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Another worker kept the same month meanwhile: theirs stands, our file goes.
        report.pdf.storage.delete(str(report.pdf.name))
        return MonthlyReport.objects.get(month=period.start)
    return report
