"""The quality dashboard, its CSV tables and the monthly PDF (radiologists and administrators)."""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from clinic.models import Role
from clinic.roles import role_required
from quality.models import MonthlyReport
from quality.pages.dashboard import dashboard as build_dashboard
from quality.pages.gp import default_period, gp_quality
from quality.periods import Period, period_from
from quality.report import monthly_report_pdf
from reports.pdf import pdf_response

QUALITY_ROLES = (Role.RADIOLOGIST, Role.ADMIN)
# The kept monthly reports listed on the dashboard, most recent first.
KEPT_REPORTS_SHOWN = 24


def _period(request: HttpRequest) -> Period:
    return period_from(
        request.GET.get("du", ""), request.GET.get("au", ""), today=timezone.localdate()
    )


@role_required(*QUALITY_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    board = build_dashboard(period, today=timezone.localdate())
    kept = MonthlyReport.objects.values("pk", "month", "generated_at")[:KEPT_REPORTS_SHOWN]
    return render(
        request, "quality/dashboard.html", {"board": board, "period": period, "kept": kept}
    )


@role_required(*QUALITY_ROLES)
def table_csv(request: HttpRequest) -> HttpResponse:
    """One table of the dashboard (`?tableau=<key>`, a fixed name, never data) as CSV."""
    period = _period(request)
    key = request.GET.get("tableau", "")
    table = build_dashboard(period, today=timezone.localdate()).table(key)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"qualite-{table.key}-{period.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # Excel reads UTF-8 only with its mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return response


@role_required(*QUALITY_ROLES)
def report_pdf(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    content = monthly_report_pdf(period, today=timezone.localdate())
    return pdf_response(content, filename=f"qualite-{period.slug}")


@role_required(*QUALITY_ROLES)
def kept_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A monthly report the task queue kept, read back through the storage API."""
    report = get_object_or_404(MonthlyReport, pk=pk)
    with report.pdf.open("rb") as stored:
        content = stored.read()
    return pdf_response(content, filename=f"qualite-{report.month:%Y-%m}")


@role_required(Role.GP)
def gp_page(request: HttpRequest) -> HttpResponse:
    """The GP's own patients' delays and outcomes against the clinic's median (a year by
    default: a GP's month holds a few patients)."""
    today = timezone.localdate()
    period = _period(request) if request.GET.get("du") else default_period(today)
    gp_id = request.user.pk
    assert gp_id is not None  # role_required: a logged-in GP
    page = gp_quality(period, gp_id=gp_id, today=today)
    return render(request, "quality/gp.html", {"page": page, "period": period})
