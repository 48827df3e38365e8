"""The task queue's work for the quality reports (enqueued by notifications/scheduler.py)."""

from __future__ import annotations

from django_tasks import task


@task()
def keep_monthly_report(month: str) -> str:
    """Render and keep the report of `month` (YYYY-MM), once: a second run returns the first."""
    from django.utils import timezone

    from quality.periods import month_period
    from quality.services.monthly_report import monthly_report_store

    period = month_period(month)
    if period is None:
        raise ValueError(f"not a month: {month!r}")
    report = monthly_report_store(period=period, today=timezone.localdate())
    return str(report.pdf.name)
