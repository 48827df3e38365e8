"""The indication report PDF through the product (test client: access check, queries, template,
WeasyPrint) against WeasyPrint alone rendering the same page from a static string."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from bench.pages import RADIOLOGIST, BenchError, logged_in
from bench.report import Row
from bench.timing import interleaved, median, p95
from bench.volume import VOLUME_PREFIX
from referrals.choices import Status
from referrals.models import Referral
from reports.documents import report_context
from reports.pdf import STYLESHEET, render_html

PDF_TARGET_RATIO = 1.5


def report_referral() -> Referral:
    """A typical report: an accepted referral with two levels and a decision."""
    referral = (
        Referral.objects.filter(gp__username__startswith=VOLUME_PREFIX, status=Status.ACCEPTED)
        .annotate(n=Count("levels"))
        .filter(n=2)
        .order_by("pk")
        .first()
    )
    if referral is None:
        raise BenchError("no accepted two-level referral to print: seed more referrals")
    return referral


def indication_report(*, runs: int) -> Row:
    from weasyprint import CSS, HTML

    referral = report_referral()
    client = logged_in(RADIOLOGIST)
    url = reverse("reports:indication_report", args=[referral.pk])
    html = render_html(
        "reports/indication_report.html", report_context(referral, today=timezone.localdate())
    )
    stylesheet = CSS(filename=str(STYLESHEET))  # parsed once, as the product does
    base_url = str(settings.BASE_DIR)

    def product() -> None:
        response = client.get(url)
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise BenchError(f"indication report answered {response.status_code}")

    def weasyprint_alone() -> None:
        HTML(string=html, base_url=base_url).write_pdf(stylesheets=[stylesheet])

    times = interleaved({"page": product, "base": weasyprint_alone}, runs=runs, warmup=2)
    page = [t * 1000 for t in times["page"]]
    base = [t * 1000 for t in times["base"]]
    row = Row(
        f"indication report PDF ({len(html) // 1000} kB of HTML)",
        median(page),
        p95(page),
        "ms",
        via="client",
        baseline=median(base),
        target=f"median <= {PDF_TARGET_RATIO}x WeasyPrint alone",
        runs=len(page),
    )
    row.met = (row.ratio or 0.0) <= PDF_TARGET_RATIO
    return row
