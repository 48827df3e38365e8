"""After the procedure, in a real browser: the desk notes the arrival, the checklist is refused
while an item is missing then completed, the radiologist signs the report and downloads the
discharge letter with the restart days, the desk records the D1 call, the patient answers M1
through their link (then the link is dead), and the referral's timeline shows each step."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from django.core import mail

from clinic.models import User
from referrals.choices import Status
from referrals.models import Referral
from scheduling.services.bookings import booking_create
from tests.e2e.conftest import download_text, login, screenshot
from tests.factories import TEST_PASSWORD
from tests.procedures.helpers import THU_10
from tests.scheduling.helpers import accepted_referral, day_session


def _message(page: Any) -> str:
    return str(page.locator(".messages").inner_text())


def test_arrival_checklist_report_letter_followups_and_timeline(
    open_page: Any, secretary: User, radiologist: User
) -> None:
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False):
        referral = accepted_referral(
            antithrombotics=["vka"], vka_bridging=False, radiologist=radiologist
        )
        booking = booking_create(
            referral=referral,
            session=day_session(THU_10, radiologist=radiologist),
            by=secretary,
            contact_channel="email",
        )
    patient = referral.patient
    assert patient is not None
    patient.email = "patient@example.invalid"
    patient.save(update_fields=["email"])
    name = patient.full_name

    with time_machine.travel("2026-12-10 08:00 +01:00", tick=True) as clock:
        # The desk notes the arrival from the day view.
        desk = open_page(timeout=15_000)
        login(desk, secretary.username, TEST_PASSWORD)
        desk.goto(f"{desk.base_url}/secretariat/journee/?date=2026-12-10")
        desk.get_by_role("button", name=f"Arrivée — {name}").click()
        assert "arrivée notée" in _message(desk)

        # The checklist: refused while the fasting is not checked, then complete.
        desk.get_by_role("link", name=f"Check-list et geste — {name}").click()
        desk.wait_for_url(f"**/geste/demandes/{referral.pk}/")
        for label in (
            "Identité du patient vérifiée avec l’INS",
            "Information donnée et consentement signé",
            "Personne de confiance désignée (ou refus noté)",
            "Niveau(x) à traiter confirmé(s) sur les images",
            "Antithrombotiques arrêtés comme prévu",
            "INR du jour contrôlé (patient sous AVK)",
            "Allergies recherchées",
            "Imagerie disponible en salle",
        ):
            desk.get_by_label(label, exact=True).check()
        desk.get_by_label("INR du jour", exact=True).fill("1,3")
        desk.get_by_role("button", name="Enregistrer la check-list").click()
        assert "Check-list incomplète : il manque « Jeûne respecté »" in _message(desk)
        screenshot(desk, "after-checklist-refused")
        desk.get_by_label("Jeûne respecté", exact=True).check()
        desk.get_by_role("button", name="Enregistrer la check-list").click()
        assert "Check-list de sécurité complète." in _message(desk)
        assert "INR du jour contrôlé (patient sous AVK) : 1,3" in desk.locator("main").inner_text()

        # The radiologist signs the report: the procedure is done.
        doctor = open_page(timeout=15_000)
        login(doctor, radiologist.username, TEST_PASSWORD)
        doctor.goto(f"{doctor.base_url}/geste/demandes/{referral.pk}/")
        doctor.get_by_role("link", name="Rédiger le compte rendu").click()
        doctor.locator("#id_levels-0-volume_ml").fill("4,5")
        doctor.locator("#id_dose_area_product").fill("12,4")
        doctor.locator("#id_fluoroscopy_minutes").fill("4")
        doctor.locator("#id_fluoroscopy_seconds").fill("32")
        doctor.locator("#id_equipment").fill("Arceau Siemens Cios Alpha")
        doctor.locator("#id_discharge_treatments").fill("Paracétamol 1 g trois fois par jour.")
        doctor.locator("#id_physiotherapy").fill("10 séances de kinésithérapie du rachis.")
        screenshot(doctor, "after-report-form")
        doctor.get_by_role("button", name="Signer le compte rendu").click()
        assert "Compte rendu signé" in _message(doctor)
        assert Referral.objects.get(pk=referral.pk).status == Status.DONE
        with doctor.expect_download() as letter:
            doctor.get_by_role("link", name="Lettre de liaison (PDF)").click()
        text = download_text(letter.value)
        assert "vendredi 11 décembre 2026 (J+1)" in text  # the VKA restarts the next day
        assert "Ordonnance — kinésithérapie" in text

        # D1: the desk calls and records it.
        clock.move_to("2026-12-11 10:00 +01:00")
        desk = open_page(timeout=15_000)
        login(desk, secretary.username, TEST_PASSWORD)
        desk.goto(f"{desk.base_url}/suivi/")
        desk.get_by_role("link", name=f"Noter l’appel — {name}").click()
        form = desk.locator("form.followup-form")
        form.get_by_label("3", exact=True).check()
        form.get_by_role("group", name=re.compile("morphine")).get_by_label("Non").check()
        form.get_by_label("Marche avec une aide (canne, déambulateur)").check()
        form.get_by_role("group", name=re.compile("nouvelle douleur")).get_by_label("Non").check()
        form.get_by_role("group", name=re.compile("nouvelle fracture")).get_by_label("Non").check()
        form.get_by_label("Très satisfait").check()
        desk.get_by_role("button", name="Enregistrer le suivi").click()
        assert "enregistré" in _message(desk)

        # M1: the desk sends the link; the patient answers once.
        clock.move_to("2027-01-10 10:00 +01:00")
        desk = open_page(timeout=15_000)
        login(desk, secretary.username, TEST_PASSWORD)
        desk.goto(f"{desk.base_url}/suivi/")
        desk.get_by_role("button", name=f"Envoyer le lien — {name}").click()
        assert "Lien du questionnaire envoyé" in _message(desk)
        token = re.search(r"/questionnaire/([^/\s]+)/", mail.outbox[-1].body)
        assert token
        home = open_page(timeout=15_000)
        link = f"{home.base_url}/questionnaire/{token.group(1)}/"
        home.goto(link)
        assert name.split()[0] not in home.content()
        home.get_by_label("1", exact=True).check()
        for question in ("morphine", "nouvelle douleur", "nouvelle fracture"):
            home.get_by_role("group", name=re.compile(question)).get_by_label("Non").check()
        home.get_by_label("Marche comme avant").check()
        home.get_by_label("Très satisfait").check()
        screenshot(home, "after-patient-questionnaire")
        home.get_by_role("button", name="Envoyer mes réponses").click()
        assert "vos réponses sont enregistrées" in home.locator("main").inner_text()
        home.goto(link)
        assert "Ce lien n’est pas valable" in home.locator("main").inner_text()

        # The referral's timeline tells it all.
        doctor = open_page(timeout=15_000)
        login(doctor, radiologist.username, TEST_PASSWORD)
        doctor.goto(f"{doctor.base_url}/radiologie/demandes/{referral.pk}/")
        timeline = doctor.locator("ol.timeline").inner_text()
        screenshot(doctor, "after-timeline")
    for step in (
        "Arrivée notée",
        "Check-list de sécurité : éléments vérifiés",
        "Check-list de sécurité complète",
        "Geste réalisé",
        "Compte rendu opératoire signé",
        "Suivi recueilli par la clinique",
        "Questionnaire de suivi : envoi au patient demandé",
        "Questionnaire de suivi rempli par le patient",
    ):
        assert step in timeline, step
    assert booking.pk
