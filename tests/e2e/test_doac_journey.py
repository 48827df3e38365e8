"""Issue 16, « Done when »: a GP refers a patient on dabigatran with a creatinine clearance of
40 mL/min whose fracture is 18 days old; the live panel shows the last dose J−5 and why the ideal
window is missed; the radiologist accepts; the secretary books; the convocation PDF names the
right last-dose day (J−5 before the procedure, not 2026.1's J−2)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from clinic.dates import long_date
from clinic.models import User
from referrals.models import Referral
from scheduling.models import Booking
from tests.e2e.conftest import login, screenshot, start_referral, working_days_from
from tests.factories import TEST_PASSWORD, fictional_nir
from tests.scheduling.helpers import day_session

pytestmark = pytest.mark.browser


def test_dabigatran_at_40_ml_min_last_dose_j_minus_5_from_the_panel_to_the_convocation(
    open_page: Any, gp: User, radiologist: User, secretary: User
) -> None:
    today = timezone.localdate()
    # The last dose J−5 may be taken today at the latest: the first possible day is today + 5.
    procedure_day = working_days_from(today + timedelta(days=5), 1)[0]
    day_session(procedure_day, radiologist=radiologist)

    # The GP refers the patient; the live panel explains the plan and the missed window.
    doctor = open_page()
    login(doctor, gp.username, TEST_PASSWORD)
    doctor.wait_for_url("**/medecin/")
    start_referral(
        doctor,
        birth_name="Marchal",
        first_names="Simone",
        birth_date="1940-02-11",
        nir=fictional_nir("F", 1940, 2, 33),
        level="L1",
        fracture_date=today - timedelta(days=18),
    )
    doctor.get_by_label("Dabigatran (Pradaxa)").check()
    doctor.get_by_label("Clairance de la créatinine (mL/min)").fill("40")
    panel = doctor.locator("#verdict-panel")
    panel.locator(".verdict-plan", has_text="dernière prise J−5").wait_for()
    plan = panel.locator(".verdict-plan").inner_text()
    assert "Dabigatran (Pradaxa)" in plan and "dernière prise J−5" in plan
    missed = panel.locator(".verdict-ideal-missed").inner_text()
    assert "délai idéal" in missed
    assert "Indication probable" in panel.locator(".verdict-label").inner_text()
    screenshot(doctor, "doac-1-gp-live-panel")
    doctor.wait_for_load_state("networkidle")
    doctor.get_by_role("button", name="Adresser la demande").click()
    doctor.wait_for_url("**/medecin/demandes/*/")
    referral = Referral.objects.get(gp=gp)

    # The radiologist accepts, keeping the engine's plan (shown folded on the form).
    reviewer = open_page()
    login(reviewer, radiologist.username, TEST_PASSWORD)
    reviewer.goto(f"{reviewer.base_url}/radiologie/demandes/{referral.pk}/")
    reviewer.get_by_role("link", name="Accepter", exact=True).click()
    editor = reviewer.locator("details.plan-editor")
    assert editor.get_attribute("open") is None
    editor.locator("summary").click()
    assert reviewer.locator("#id_plan_dabigatran_last").input_value() == "5"
    screenshot(reviewer, "doac-2-radiologist-plan")
    reviewer.get_by_role("button", name="Enregistrer la décision").click()
    reviewer.wait_for_url(f"**/radiologie/demandes/{referral.pk}/")
    assert "Indication acceptée" in reviewer.locator("main").inner_text()

    # The secretary books the first proposed session: the day the holds allow.
    desk = open_page()
    login(desk, secretary.username, TEST_PASSWORD)
    desk.wait_for_url("**/secretariat/")
    desk.get_by_role("region", name="Patients à programmer").get_by_role(
        "link", name="Programmer MARCHAL Simone"
    ).click()
    desk.wait_for_url(f"**/secretariat/demandes/{referral.pk}/programmer/")
    assert "Dabigatran (Pradaxa) à J−5" in desk.locator("main").inner_text()
    desk.get_by_role("group", name="Séances proposées").get_by_role("radio").first.check()
    desk.get_by_role("group", name="Le patient accepte d’être prévenu par").get_by_role(
        "radio", name="Aucun message"
    ).check()
    desk.get_by_role("button", name="Programmer").click()
    desk.wait_for_url(f"**/secretariat/demandes/{referral.pk}/")
    booking = Booking.objects.get(referral=referral)
    assert booking.session.date == procedure_day

    # The convocation names the last dose on J−5.
    with desk.expect_download() as download_info:
        desk.get_by_role("link", name="Télécharger la convocation (PDF)").click()
    content = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    with translation.override("fr"):
        last_dose = long_date(procedure_day - timedelta(days=5), weekday=True)
        too_late = long_date(procedure_day - timedelta(days=2), weekday=True)
    assert f"dernière prise le {last_dose}".lower() in text.lower()
    assert too_late not in text
