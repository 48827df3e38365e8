"""The desk records the patient's choice of messages while booking, then sends again a message
that failed, from the card on its home page (screenshots at 1280 and 390 px)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from clinic.models import User
from notifications import sms
from notifications.models import ContactConsent, Message
from tests.e2e.conftest import login, screenshot
from tests.factories import TEST_PASSWORD, PatientFactory
from tests.scheduling.helpers import accepted_referral, day_session, next_weekday


def test_desk_records_sms_consent_and_retries_a_failed_message(
    page: object, secretary: User
) -> None:
    patient = PatientFactory(birth_name="ROUX", first_names="Alice", phone="06 12 34 56 78")
    referral = accepted_referral(patient=patient)
    day_session(next_weekday(timezone.localdate() + timedelta(days=3), 1))  # a Tuesday
    login(page, secretary.username, TEST_PASSWORD)
    page.wait_for_url("**/secretariat/")  # type: ignore[attr-defined]

    page.goto(f"{page.base_url}/secretariat/demandes/{referral.pk}/programmer/")  # type: ignore[attr-defined]
    consent = page.get_by_role("group", name="Le patient accepte d’être prévenu par")  # type: ignore[attr-defined]
    assert "+33612345678" in consent.inner_text()
    page.get_by_role("group", name="Séances proposées").get_by_role("radio").first.check()  # type: ignore[attr-defined]
    consent.get_by_role("radio", name="SMS").check()
    screenshot(page, "notifications-book-1280")
    page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    screenshot(page, "notifications-book-390")
    page.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
    if page.get_by_label("Je confirme une date après la date cible").count():  # type: ignore[attr-defined]
        page.get_by_label("Je confirme une date après la date cible").check()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Programmer").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"**/secretariat/demandes/{referral.pk}/")  # type: ignore[attr-defined]
    assert ContactConsent.objects.get().channel == "sms"
    assert [m.to for m in sms.outbox] == ["+33612345678"]  # « votre rendez-vous est fixé… »

    failed = Message.objects.get(recipient="gp")
    Message.objects.filter(pk=failed.pk).update(status="failed", attempts=4, error="SMTPException")
    page.goto(f"{page.base_url}/secretariat/")  # type: ignore[attr-defined]
    card = page.get_by_role("region", name="Messages non envoyés")  # type: ignore[attr-defined]
    assert "ROUX Alice" in card.inner_text()
    screenshot(page, "notifications-failed-1280")
    page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    screenshot(page, "notifications-failed-390")
    card.get_by_role("button", name="Renvoyer").click()
    page.wait_for_url("**/secretariat/")  # type: ignore[attr-defined]
    assert "Message renvoyé" in page.locator("main").inner_text()  # type: ignore[attr-defined]
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert page.get_by_role("region", name="Messages non envoyés").count() == 0  # type: ignore[attr-defined]
