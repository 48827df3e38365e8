"""The monthly quality report: the dashboard's tables and charts as a PDF (reports/pdf.py)."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from quality.pages.dashboard import dashboard
from quality.periods import Period
from reports.pdf import render_pdf


def monthly_report_pdf(period: Period, *, today: date) -> bytes:
    with translation.override("fr"):
        board = dashboard(period, today=today)
        return render_pdf("quality/report_pdf.html", {"board": board, "period": period})
