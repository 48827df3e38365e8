"""The secretary's journey in a real browser: from the home list to a booked patient and the
downloaded convocation, then the printable day."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from pypdf import PdfReader

from clinic.models import User
from scheduling.models import Booking
from tests.e2e.conftest import login, screenshot, working_days_from
from tests.factories import TEST_PASSWORD
from tests.scheduling.helpers import accepted_referral, day_session


def _label(day: date) -> str:
    return capfirst(date_format(day, "l j F Y"))


def test_secretary_books_an_accepted_referral_and_downloads_the_convocation(
    page: object, secretary: User, radiologist: User
) -> None:
    # Clopidogrel: no procedure in the next five days.
    referral = accepted_referral(antithrombotics=["clopidogrel"], radiologist=radiologist)
    too_soon, first, second = working_days_from(timezone.localdate() + timedelta(days=1), 1) + (
        working_days_from(timezone.localdate() + timedelta(days=6), 2)
    )
    for day in (too_soon, first, second):
        day_session(day, radiologist=radiologist)
    patient = referral.patient.full_name

    login(page, secretary.username, TEST_PASSWORD)
    page.wait_for_url("**/secretariat/")  # type: ignore[attr-defined]
    to_book = page.get_by_role("region", name="Patients à programmer")  # type: ignore[attr-defined]
    assert patient in to_book.inner_text()
    screenshot(page, "secretary-home")

    to_book.get_by_role("link", name=f"Programmer {patient}").click()
    page.wait_for_url(f"**/secretariat/demandes/{referral.pk}/programmer/")  # type: ignore[attr-defined]
    offered = page.get_by_role("group", name="Séances proposées")  # type: ignore[attr-defined]
    assert _label(too_soon) not in offered.inner_text()  # within the clopidogrel hold
    assert _label(first) in offered.inner_text()
    assert "Clopidogrel (Plavix) à J−6" in page.locator("main").inner_text()  # type: ignore[attr-defined]
    screenshot(page, "secretary-book")
    offered.get_by_role("radio").first.check()
    page.get_by_role("radio", name="Aucun message").check()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Programmer").click()  # type: ignore[attr-defined]

    page.wait_for_url(f"**/secretariat/demandes/{referral.pk}/")  # type: ignore[attr-defined]
    main = page.locator("main")  # type: ignore[attr-defined]
    assert "Rendez-vous programmé le" in main.inner_text()
    booking = Booking.objects.get(referral=referral)
    assert booking.session.date == first
    screenshot(page, "secretary-booked")

    with page.expect_download() as download_info:  # type: ignore[attr-defined]
        page.get_by_role("link", name="Télécharger la convocation (PDF)").click()  # type: ignore[attr-defined]
    download = download_info.value
    assert download.suggested_filename == f"convocation-{first:%Y-%m-%d}.pdf"
    content = open(download.path(), "rb").read()  # noqa: SIM115
    assert content.startswith(b"%PDF")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "Clopidogrel (Plavix)" in text
    assert "Si c’est possible, dernière prise le" in text  # 2027.1: the last-dose day
    assert patient in text

    page.goto(f"{page.base_url}/secretariat/journee/?date={first:%Y-%m-%d}")  # type: ignore[attr-defined]
    assert patient in page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert page.get_by_role("button", name="Imprimer").is_visible()  # type: ignore[attr-defined]
    screenshot(page, "secretary-day")
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    assert not page.get_by_role("button", name="Imprimer").is_visible()  # type: ignore[attr-defined]
    screenshot(page, "secretary-day-print")
