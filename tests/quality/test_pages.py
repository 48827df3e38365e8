"""The quality dashboard as its readers see it: who may open it, the period, CSV and PDF."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from clinic.models import User
from tests.conftest import client_for
from tests.quality.data import november

pytestmark = pytest.mark.django_db
NOV = {"du": "2026-11", "au": "2026-11"}


@pytest.fixture
def data(radiologist: User) -> dict:
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        return november(radiologist)


@pytest.mark.parametrize("persona", ["gp", "secretary"])
def test_only_radiologists_and_administrators_open_the_dashboard(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("quality:dashboard")).status_code == 403
    assert client.get(reverse("quality:table_csv") + "?tableau=delays").status_code == 403


def test_dashboard_shows_the_months_figures_with_charts_and_tables(
    data: dict, radiologist_client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        page = radiologist_client.get(reverse("quality:dashboard"), NOV)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") >= 6 and 'role="img"' in html
    assert "Fracture → geste" in html and "<td>42</td>" in html and "<td>172</td>" in html
    assert "Demande du patient" in html and "Fracture ancienne à l&#x27;IRM" in html


def test_queries_do_not_grow_with_the_data(
    data: dict, radiologist: User, django_assert_max_num_queries: object
) -> None:
    client = client_for(radiologist)
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        client.get(reverse("quality:dashboard"), {"du": "2026-01", "au": "2026-12"})


def test_an_empty_month_says_so(radiologist_client: Client) -> None:
    page = radiologist_client.get(reverse("quality:dashboard"), {"du": "2020-01"})
    assert "Rien dans la période." in page.content.decode()


def test_each_table_downloads_as_csv(data: dict, admin_user: User) -> None:
    query = {**NOV, "tableau": "delays"}
    response = client_for(admin_user).get(reverse("quality:table_csv"), query)
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "Délai;Patients;Médiane (jours);90e centile (jours)"
    assert "Fracture → geste;3;42;172" in text


def test_unknown_table_is_404(radiologist_client: Client) -> None:
    assert radiologist_client.get(reverse("quality:table_csv") + "?tableau=nope").status_code == 404


def test_report_pdf_is_a_pdf(data: dict, radiologist_client: Client) -> None:
    response = radiologist_client.get(reverse("quality:report_pdf"), NOV)
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"


def test_quality_report_command_writes_the_months_pdf(data: dict, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    target = tmp_path / "nov.pdf"
    call_command("quality_report", "--month", "2026-11", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_report_pdf_reads_each_title_once_and_keeps_whole_labels(
    data: dict, radiologist_client: Client
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    response = radiologist_client.get(reverse("quality:report_pdf"), NOV)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    # The tables' captions (for screen readers on the page) are not printed under the titles.
    assert text.count("Indicateurs et cibles de la clinique") == 1
    assert text.count("Pourquoi le délai idéal a été dépassé") == 1
    # A chart label too long for its line ends with an ellipsis, never cut mid-word silently.
    assert "résolue sur\n" not in text and "résolue sur place" in text
