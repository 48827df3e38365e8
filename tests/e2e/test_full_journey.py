"""The whole journey in a real browser, each person in their own browser: a GP refers, the
radiologist accepts, the secretary books, the GP sees the date on their home page and downloads the
decision letter. And the "needs information" round trip: the radiologist asks, the GP answers and
resubmits, the radiologist reads the answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from clinic.models import User
from referrals.choices import Status
from referrals.models import Referral
from scheduling.models import Booking
from tests.e2e.conftest import (
    download_text,
    login,
    screenshot,
    settle,
    start_referral,
    working_days_from,
)
from tests.factories import TEST_PASSWORD, fictional_nir
from tests.referrals.radiology import submitted_referral
from tests.scheduling.helpers import day_session


def test_gp_refers_radiologist_accepts_secretary_books_gp_sees_the_date_and_the_letter(
    open_page: Any, gp: User, radiologist: User, secretary: User
) -> None:
    today = timezone.localdate()
    first_day = working_days_from(today + timedelta(days=2), 1)[0]
    day_session(first_day, radiologist=radiologist)

    # The GP refers a patient.
    doctor = open_page()
    login(doctor, gp.username, TEST_PASSWORD)
    doctor.wait_for_url("**/medecin/")
    start_referral(
        doctor,
        birth_name="Lemoine",
        first_names="Odette",
        birth_date="1938-06-14",
        nir=fictional_nir("F", 1938, 6, 41),
        level="L2",
        fracture_date=today - timedelta(days=8),
    )
    doctor.locator("#verdict-panel .verdict-label", has_text="délai idéal").wait_for()
    settle(doctor)
    doctor.get_by_role("button", name="Adresser la demande").click()
    doctor.wait_for_url("**/medecin/demandes/*/")
    assert "Demande adressée à la clinique" in doctor.locator("main").inner_text()
    referral = Referral.objects.get(gp=gp)
    screenshot(doctor, "journey-1-gp-submitted")

    # The radiologist accepts it from the worklist.
    reviewer = open_page()
    login(reviewer, radiologist.username, TEST_PASSWORD)
    reviewer.wait_for_url("**/radiologie/")
    reviewer.locator("table.worklist").get_by_role("link", name="LEMOINE Odette").click()
    reviewer.wait_for_url(f"**/radiologie/demandes/{referral.pk}/")
    reviewer.get_by_role("link", name="Accepter", exact=True).click()
    assert reviewer.get_by_role("checkbox", name="L2").is_checked()
    reviewer.get_by_role("button", name="Enregistrer la décision").click()
    reviewer.wait_for_url(f"**/radiologie/demandes/{referral.pk}/")
    assert "Indication acceptée" in reviewer.locator("main").inner_text()
    screenshot(reviewer, "journey-2-radiologist-accepted")

    # The secretary books the first proposed session.
    desk = open_page()
    login(desk, secretary.username, TEST_PASSWORD)
    desk.wait_for_url("**/secretariat/")
    to_book = desk.get_by_role("region", name="Patients à programmer")
    to_book.get_by_role("link", name="Programmer LEMOINE Odette").click()
    desk.wait_for_url(f"**/secretariat/demandes/{referral.pk}/programmer/")
    desk.get_by_role("group", name="Séances proposées").get_by_role("radio").first.check()
    desk.get_by_role("radio", name="Aucun message").check()
    screenshot(desk, "journey-3-secretary-book")
    desk.get_by_role("button", name="Programmer").click()
    desk.wait_for_url(f"**/secretariat/demandes/{referral.pk}/")
    assert "Rendez-vous programmé le" in desk.locator("main").inner_text()
    booking = Booking.objects.get(referral=referral)
    assert booking.session.date == first_day

    # The GP finds the date on their home page and downloads the decision letter.
    doctor.goto(f"{doctor.base_url}/medecin/")
    row = doctor.locator("table.gp-referrals tbody tr").filter(has_text="LEMOINE Odette")
    assert f"{first_day:%d/%m/%Y}" in row.inner_text()
    assert "Programmée" in row.inner_text()
    screenshot(doctor, "journey-4-gp-home-with-date")
    row.get_by_role("link", name="LEMOINE Odette").click()
    doctor.wait_for_url(f"**/medecin/demandes/{referral.pk}/")
    assert "Cimentoplastie programmée" in doctor.locator("main").inner_text()
    # The date is set: the panel no longer says the secretary will call to set one.
    assert "contactera votre patient" not in doctor.locator(".gp-decision-panel").inner_text()
    screenshot(doctor, "journey-5-gp-referral-scheduled")
    with doctor.expect_download() as download_info:
        doctor.get_by_role("link", name="Télécharger le courrier (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"courrier-decision-demande-{referral.pk}")
    letter = download_text(download)
    assert "LEMOINE" in letter.upper() and "Odette" in letter
    referral.refresh_from_db()
    assert referral.status == Status.SCHEDULED


def test_radiologist_asks_gp_answers_and_resubmits_radiologist_reads_the_answer(
    open_page: Any, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(
        gp=gp,
        patient={"birth_name": "Fontaine", "first_names": "Irène"},
        levels=[{"level": "T11", "age": 12, "mri_oedema": None}],
        mri_available=False,
    )
    question = "L'IRM a-t-elle été faite ? Merci de joindre son compte rendu."
    answer = "IRM faite le 2, œdème en T11 ; compte rendu joint."

    reviewer = open_page()
    login(reviewer, radiologist.username, TEST_PASSWORD)
    reviewer.goto(f"{reviewer.base_url}/radiologie/demandes/{referral.pk}/")
    reviewer.get_by_role("link", name="Demander des informations").click()
    reviewer.get_by_label("Informations demandées au médecin").fill(question)
    reviewer.get_by_role("button", name="Enregistrer la décision").click()
    reviewer.wait_for_url(f"**/radiologie/demandes/{referral.pk}/")
    assert "Demande d’informations envoyée au médecin" in reviewer.locator("main").inner_text()

    doctor = open_page()
    login(doctor, gp.username, TEST_PASSWORD)
    doctor.wait_for_url("**/medecin/")
    assert "Le radiologue attend votre réponse" in doctor.locator("main").inner_text()
    doctor.get_by_role("link", name="FONTAINE Irène").first.click()
    assert question in doctor.locator(".question-callout").inner_text()
    screenshot(doctor, "journey-6-gp-question")
    doctor.get_by_role("link", name="Répondre, compléter et renvoyer").click()
    doctor.get_by_label("IRM du rachis réalisée").check()
    doctor.select_option("#id_levels-0-mri_oedema", "true")
    doctor.locator("#verdict-panel .verdict-label", has_text="délai idéal").wait_for()
    doctor.get_by_label("Votre réponse au radiologue").fill(answer)
    settle(doctor)
    doctor.get_by_role("button", name="Renvoyer la demande complétée").click()
    main = doctor.locator("main")
    main.get_by_text("Demande complétée et renvoyée au radiologue.").wait_for()
    panel = doctor.locator(".gp-decision-panel")
    assert "Informations transmises" in panel.inner_text()
    assert "Informations demandées" not in panel.inner_text()
    assert question in panel.inner_text()
    screenshot(doctor, "journey-7-gp-answered")

    reviewer.goto(f"{reviewer.base_url}/radiologie/")
    reviewer.locator("table.worklist").get_by_role("link", name="FONTAINE Irène").click()
    reviewer.wait_for_url(f"**/radiologie/demandes/{referral.pk}/")
    assert answer in reviewer.locator(".gp-answer").inner_text()
    assert "Demander des informations" in reviewer.locator("main").inner_text()
    screenshot(reviewer, "journey-8-radiologist-reads-the-answer")
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED and referral.mri_available
