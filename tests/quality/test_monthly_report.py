"""The monthly quality report kept by the task queue: made on the first of the month for the
month just ended, once however often the scheduler runs, stored through Django's storage API and
downloaded from the dashboard."""

from __future__ import annotations

from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from clinic.models import User
from quality.models import MonthlyReport
from tests.conftest import client_for
from tests.quality.data import november

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _scheduler(at: str, callbacks: Any) -> None:
    with time_machine.travel(at, tick=False), callbacks(execute=True):
        call_command("enqueue_due_tasks", stdout=StringIO())


@pytest.fixture
def data(radiologist: User) -> dict:
    with time_machine.travel("2026-12-01 00:30 +01:00", tick=False):
        return november(radiologist)


def test_the_first_of_the_month_keeps_last_months_report_once(
    data: dict, django_capture_on_commit_callbacks: Any
) -> None:
    _scheduler("2026-12-01 00:05 +01:00", django_capture_on_commit_callbacks)
    _scheduler("2026-12-01 00:10 +01:00", django_capture_on_commit_callbacks)
    _scheduler("2026-12-15 10:00 +01:00", django_capture_on_commit_callbacks)

    report = MonthlyReport.objects.get()
    assert f"{report.month:%Y-%m}" == "2026-11" and report.generated_by is None
    # In the shared storage (disk or bucket), not a path on this server.
    assert report.pdf.name.startswith("quality/reports/qualite-2026-11")
    with default_storage.open(report.pdf.name, "rb") as stored:
        text = _text(stored.read())
    assert "Rapport qualité — novembre 2026" in text
    assert "Fracture → geste" in text and "172" in text  # November's figures

    _scheduler("2027-01-01 00:05 +01:00", django_capture_on_commit_callbacks)
    months = [f"{m:%Y-%m}" for m in MonthlyReport.objects.values_list("month", flat=True)]
    assert months == ["2026-12", "2026-11"]


def test_the_dashboard_lists_kept_reports_and_serves_them_to_its_readers(
    data: dict, radiologist: User, gp: User, django_capture_on_commit_callbacks: Any
) -> None:
    _scheduler("2026-12-01 00:05 +01:00", django_capture_on_commit_callbacks)
    report = MonthlyReport.objects.get()
    url = reverse("quality:kept_report", args=[report.pk])
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        page = client_for(radiologist).get(reverse("quality:dashboard")).content.decode()
        download = client_for(radiologist).get(url)
        refused = client_for(gp).get(url)
    assert url in page and "Novembre 2026" in page
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="qualite-2026-11.pdf"'
    assert "Rapport qualité — novembre 2026" in _text(download.content)
    assert refused.status_code == 403


def test_the_dashboard_says_when_none_is_kept_yet(radiologist: User) -> None:
    page = client_for(radiologist).get(reverse("quality:dashboard")).content.decode()
    assert "Aucun rapport conservé pour le moment" in page


def test_the_command_still_writes_a_file_and_stores_on_demand(
    data: dict, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _scheduler("2026-12-01 00:05 +01:00", django_capture_on_commit_callbacks)
    first = MonthlyReport.objects.get()
    target = tmp_path / "nov.pdf"
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        call_command("quality_report", "--month", "2026-11", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert MonthlyReport.objects.get().generated_at == first.generated_at  # untouched

    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False):
        call_command("quality_report", "--month", "2026-11", "--store", stdout=StringIO())
    again = MonthlyReport.objects.get()  # still one for November, made afresh
    assert again.generated_at > first.generated_at
    assert default_storage.exists(again.pdf.name)
    assert not default_storage.exists(first.pdf.name) or first.pdf.name == again.pdf.name
