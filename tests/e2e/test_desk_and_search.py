"""The desk and the patient search in a real browser, at 1280 and 390 px: the search box of each
list, the desk's rows as cards on a phone (nothing off-screen), the booking page's warning of a
missing exam and its answer to a full session, a session moved with its patients."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from clinic.models import User
from scheduling.models import DaySession
from scheduling.services.bookings import booking_create
from tests.e2e.conftest import login, screenshot, working_days_from
from tests.factories import TEST_PASSWORD, PatientFactory, ReferralFactory
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _nothing_off_screen(page: object, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined]


def test_the_search_box_finds_the_gps_own_patient_only(
    page: object, gp: User, other_gp: User
) -> None:
    mine = PatientFactory(birth_name="Lefèvre", first_names="Zoé")
    ReferralFactory(gp=gp, patient=mine, status="submitted")
    theirs = PatientFactory(birth_name="Lefebvre", first_names="Anne")
    ReferralFactory(gp=other_gp, patient=theirs, status="submitted")

    login(page, gp.username, TEST_PASSWORD)
    page.wait_for_url("**/medecin/")  # type: ignore[attr-defined]
    search = page.get_by_role("search", name="Rechercher un patient")  # type: ignore[attr-defined]
    search.get_by_label("Rechercher un patient").fill("lefe")
    search.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/recherche/?q=lefe")  # type: ignore[attr-defined]
    results = page.locator(".search-results").inner_text()  # type: ignore[attr-defined]
    assert "LEFÈVRE Zoé" in results and "LEFEBVRE" not in results
    screenshot(page, "search-gp-1280")
    page.set_viewport_size(PHONE)  # type: ignore[attr-defined]
    _nothing_off_screen(page, PHONE["width"])
    screenshot(page, "search-gp-390")

    page.get_by_role("link", name="LEFÈVRE Zoé").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/medecin/demandes/*/")  # type: ignore[attr-defined]


def test_the_desk_rows_are_cards_on_a_phone_with_their_buttons_on_screen(
    page: object, secretary: User, radiologist: User
) -> None:
    to_book = accepted_referral(radiologist=radiologist)
    today = timezone.localdate()
    session = day_session(working_days_from(today + timedelta(days=1), 1)[0])
    booking_create(referral=accepted_referral(), session=session, by=secretary)
    page.set_viewport_size(PHONE)  # type: ignore[attr-defined]

    login(page, secretary.username, TEST_PASSWORD)
    page.wait_for_url("**/secretariat/")  # type: ignore[attr-defined]
    button = page.get_by_role("link", name=f"Programmer {to_book.patient.full_name}")  # type: ignore[attr-defined]
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    _nothing_off_screen(page, PHONE["width"])
    screenshot(page, "desk-home-390")

    page.goto(f"{page.base_url}/secretariat/journee/?date={session.date.isoformat()}")  # type: ignore[attr-defined]
    # The booking's « Déplacer » (its accessible name goes on with the patient's name).
    move = page.get_by_role("link", name=re.compile(r"^Déplacer (?!la séance)")).first  # type: ignore[attr-defined]
    box = move.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    _nothing_off_screen(page, PHONE["width"])
    screenshot(page, "desk-day-390")


def test_booking_warns_of_a_missing_exam_and_a_full_session_is_let_go(
    page: object, secretary: User, radiologist: User
) -> None:
    first, second = working_days_from(timezone.localdate() + timedelta(days=2), 2)
    tight = day_session(first, start=time(8, 0), end=time(9, 0), procedure_minutes=60)
    roomy = day_session(second, room="Salle 2")
    booking_create(referral=accepted_referral(), session=tight, by=secretary)  # 30 minutes left
    referral = accepted_referral(levels=("L1", "L2"), ct_available=False)  # 60 minutes

    login(page, secretary.username, TEST_PASSWORD)
    page.wait_for_url("**/secretariat/")  # type: ignore[attr-defined]
    page.goto(f"{page.base_url}/secretariat/demandes/{referral.pk}/programmer/")  # type: ignore[attr-defined]
    warning = page.locator(".missing-imaging-warning").inner_text()  # type: ignore[attr-defined]
    assert "Imagerie manquante" in warning and "aucun rendez-vous" in warning

    # Another desk took the room meanwhile: the page still offered it.
    page.evaluate(f"document.getElementById('session-{tight.pk}').disabled = false")  # type: ignore[attr-defined]
    page.check(f"#session-{tight.pk}")  # type: ignore[attr-defined]
    page.check("#contact-none")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Programmer").click()  # type: ignore[attr-defined]
    error = page.locator("#session-error").inner_text()  # type: ignore[attr-defined]
    assert "est complète" in error and "Séances avec de la place" in error and "Salle 2" in error
    assert not page.is_checked(f"#session-{tight.pk}")  # type: ignore[attr-defined]
    assert page.is_enabled(f"#session-{roomy.pk}")  # type: ignore[attr-defined]
    screenshot(page, "desk-book-full-1280")
    page.set_viewport_size(PHONE)  # type: ignore[attr-defined]
    _nothing_off_screen(page, PHONE["width"])
    screenshot(page, "desk-book-full-390")


def test_a_session_moves_with_its_patient(page: object, secretary: User, radiologist: User) -> None:
    first, second = working_days_from(timezone.localdate() + timedelta(days=2), 2)
    session = day_session(first, radiologist=radiologist)
    booked = booking_create(referral=accepted_referral(), session=session, by=secretary)

    login(page, secretary.username, TEST_PASSWORD)
    page.wait_for_url("**/secretariat/")  # type: ignore[attr-defined]
    page.goto(f"{page.base_url}/secretariat/seances/{session.pk}/deplacer/")  # type: ignore[attr-defined]
    assert booked.referral.patient.full_name in page.locator("main").inner_text()  # type: ignore[attr-defined]
    page.get_by_label("Nouveau jour").fill(second.isoformat())  # type: ignore[attr-defined]
    screenshot(page, "desk-session-move-1280")
    page.get_by_role("button", name="Déplacer la séance et prévenir les patients").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"**/secretariat/journee/?date={second.isoformat()}")  # type: ignore[attr-defined]
    assert "avec son patient, prévenu" in page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert DaySession.objects.get(pk=session.pk).date == second
