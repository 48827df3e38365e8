"""Issue 18, « Done when »: a patient on a VKA with heparin bridging, under sedation, booked on
Tuesday 30 March 2027, the day after Easter Monday. The convocation (PDF) and its .ics, the
messages to the GP and to the patient, then the scheduler's reminder and last-dose messages, each
sent once on its day.

The dates are worked out here from docs/clinical-rules.md, not by scheduling.plan:
- B-VKA: last VKA dose J−6 → Wednesday 24 March; INR on J−1, moved to the last working day
  before it when J−1 is a Sunday or a public holiday: J−1 is Easter Monday → Friday 26 March.
- Bridging: last heparin injection J−1 in the morning → Monday 29 March (a drug, not an office:
  the holiday does not move it).
- B-ANAESTHESIA: consultation at least 2 days before, on a working day: J−2 is Sunday 28 March →
  Friday 26 March.
- Reminder two working days before: Friday 26 March, then Thursday 25 March.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar

from clinic.models import User
from notifications import sms
from notifications.models import ContactConsent
from referrals.choices import Status
from scheduling.models import Booking
from tests.e2e.conftest import login, pdf_text, screenshot
from tests.factories import TEST_PASSWORD
from tests.referrals.radiology import submitted_referral
from tests.scheduling.helpers import day_session

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2027, 3, 15)  # a Monday, two weeks before
PROCEDURE = date(2027, 3, 30)  # Tuesday after Easter Monday
LAST_VKA = date(2027, 3, 24)  # J−6
LAST_HEPARIN = date(2027, 3, 29)  # J−1 morning, Easter Monday
INR_DAY = date(2027, 3, 26)  # J−1 is a holiday, J−2 a Sunday, J−3 a Saturday
ANAESTHESIA_DEADLINE = date(2027, 3, 26)  # J−2 is a Sunday
REMINDER = date(2027, 3, 25)  # second working day before
PATIENT_EMAIL = "gisele.fabre@example.invalid"
# A patient message names no drug, no diagnosis, no procedure (docs/notifications.md).
NOT_FOR_A_PATIENT_MESSAGE = ("avk", "héparine", "anticoagulant", "cimentoplastie", "fracture")

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")  # fmt: skip


def _fr(day: date) -> str:
    """« mercredi 24 mars 2027 », written here rather than with the product's long_date."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


def test_the_dates_of_this_test_follow_the_rules() -> None:
    """The constants above, checked against the French calendar of the `holidays` package."""
    french = holidays.country_holidays("FR", years=2027)
    assert PROCEDURE.weekday() == 1 and PROCEDURE - timedelta(days=1) in french
    assert PROCEDURE - timedelta(days=6) == LAST_VKA
    assert PROCEDURE - timedelta(days=1) == LAST_HEPARIN

    def working(day: date) -> bool:
        return day.weekday() < 5 and day not in french

    def last_working_on_or_before(day: date) -> date:
        while not working(day):
            day -= timedelta(days=1)
        return day

    assert last_working_on_or_before(PROCEDURE - timedelta(days=1)) == INR_DAY
    assert last_working_on_or_before(PROCEDURE - timedelta(days=2)) == ANAESTHESIA_DEADLINE
    second = last_working_on_or_before(
        last_working_on_or_before(PROCEDURE - timedelta(days=1)) - timedelta(days=1)
    )
    assert second == REMINDER


def _download(page: Any, link: str) -> bytes:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link).click()
    return Path(download_info.value.path()).read_bytes()


def _patient_mail() -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [PATIENT_EMAIL]]


def _run_scheduler(day: date, hour: int = 10) -> list[str]:
    """The command twice, as a timer late or doubled would; the patient's new e-mails."""
    before = len(_patient_mail())
    at = datetime.combine(day, time(hour, 0), tzinfo=PARIS)
    with time_machine.travel(at, tick=False):
        call_command("enqueue_due_tasks", stdout=io.StringIO())
        with time_machine.travel(at + timedelta(minutes=5), tick=False):
            call_command("enqueue_due_tasks", stdout=io.StringIO())
    return [m.subject for m in _patient_mail()[before:]]


def test_vka_patient_under_sedation_after_easter_monday_documents_messages_and_reminders(
    open_page: Any, gp: User, radiologist: User, secretary: User
) -> None:
    clinic = settings.CLINIC_NAME
    with time_machine.travel(datetime.combine(TODAY, time(9, 0), tzinfo=PARIS), tick=True):
        referral = submitted_referral(
            gp=gp,
            patient={"birth_name": "FABRE", "first_names": "Gisèle", "email": PATIENT_EMAIL},
            levels=[{"level": "L1", "age": 4}],
            antithrombotics=["vka"],
            vka_bridging=True,
            anaesthesia="sedation",
        )
        day_session(PROCEDURE, radiologist=radiologist)

        # The radiologist accepts on their page, keeping the engine's plan and the sedation.
        reviewer = open_page()
        login(reviewer, radiologist.username, TEST_PASSWORD)
        reviewer.goto(f"{reviewer.base_url}/radiologie/demandes/{referral.pk}/")
        reviewer.get_by_role("link", name="Accepter", exact=True).click()
        reviewer.wait_for_url(f"**/radiologie/demandes/{referral.pk}/accepter/")
        reviewer.get_by_role("button", name="Enregistrer la décision").click()
        reviewer.wait_for_url(f"**/radiologie/demandes/{referral.pk}/")
        referral.refresh_from_db()
        assert referral.status == Status.ACCEPTED
        assert referral.current_decision is not None
        assert referral.current_decision.anaesthesia == "sedation"

        # The secretary books the Tuesday after Easter Monday, the patient agreeing to e-mails.
        desk = open_page()
        login(desk, secretary.username, TEST_PASSWORD)
        desk.wait_for_url("**/secretariat/")
        desk.get_by_role("region", name="Patients à programmer").get_by_role(
            "link", name="Programmer FABRE Gisèle"
        ).click()
        desk.wait_for_url(f"**/secretariat/demandes/{referral.pk}/programmer/")
        proposals = desk.get_by_role("group", name="Séances proposées")
        assert _fr(PROCEDURE) in proposals.inner_text().lower()
        proposals.get_by_role("radio").first.check()
        consent = desk.get_by_role("group", name="Le patient accepte d’être prévenu par")
        assert PATIENT_EMAIL in consent.inner_text()
        consent.get_by_role("radio", name="E-mail").check()
        screenshot(desk, "vka-holiday-book-1280")
        desk.set_viewport_size({"width": 390, "height": 844})
        screenshot(desk, "vka-holiday-book-390")
        desk.set_viewport_size({"width": 1280, "height": 900})
        desk.get_by_role("button", name="Programmer").click()
        desk.wait_for_url(f"**/secretariat/demandes/{referral.pk}/")
        booking = Booking.objects.get(referral=referral)
        assert booking.session.date == PROCEDURE
        assert ContactConsent.objects.get(patient=referral.patient).channel == "email"

        text = pdf_text(_download(desk, "Télécharger la convocation (PDF)"))
        ics = Calendar.from_ical(_download(desk, "Fichier agenda (.ics)"))

    # The convocation names every date of the plan, on the days worked out above.
    assert f"Dernière prise le {_fr(LAST_VKA)}, puis plus rien jusqu’au geste" in text
    assert f"dernière piqûre d’héparine du relais le {_fr(LAST_HEPARIN)} au matin" in text
    assert (
        f"contrôler l’INR le {_fr(INR_DAY)} (la veille du geste, le {_fr(LAST_HEPARIN)}, "
        "est un jour férié)"
    ) in text
    assert f"au plus tard le {_fr(ANAESTHESIA_DEADLINE)}" in text
    assert f"Le résultat de votre prise de sang (INR) du {_fr(INR_DAY)}" in text
    assert "samedi" not in text and "dimanche" not in text  # no date on a weekend
    assert _fr(PROCEDURE).capitalize() in text
    arrival = booking.arrival_time
    assert f"Arrivée {arrival.hour} h {arrival.minute:02d}" in text

    # The .ics is the same appointment: the arrival on the procedure day, Paris time.
    (event,) = ics.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime.combine(PROCEDURE, arrival, tzinfo=PARIS)
    assert start.utcoffset() == timedelta(hours=2)  # summer time began on 28 March
    assert clinic in str(event.get("location"))

    # The GP: the decision and the booking, by e-mail, initials only; the patient: the booking.
    number = referral.pk
    assert [(m.to, m.subject) for m in mail.outbox if m.to != [PATIENT_EMAIL]] == [
        ([gp.email], f"{clinic} : avis rendu sur votre demande n° {number}"),
        ([gp.email], f"{clinic} : rendez-vous programmé pour votre demande n° {number}"),
    ]
    assert [m.subject for m in _patient_mail()] == [
        f"{clinic} : votre rendez-vous du {_fr(PROCEDURE)}"
    ]
    assert sms.outbox == []
    (booked,) = _patient_mail()
    body = booked.body
    assert f"Votre rendez-vous est fixé au {_fr(PROCEDURE)}" in body
    assert f"{arrival.hour} h {arrival.minute:02d}" in body
    assert settings.CLINIC_PHONE in body
    assert not [word for word in NOT_FOR_A_PATIENT_MESSAGE if word in body.lower()]
    for gp_mail in mail.outbox[:2]:
        assert "FABRE" not in gp_mail.body and "Gisèle" not in gp_mail.body

    # The scheduler, every day until the eve, twice each time: each message once, on its day.
    sent = {}
    for offset in range((PROCEDURE - TODAY).days):
        day = TODAY + timedelta(days=offset)
        assert _run_scheduler(day, hour=8) == [], f"before 9:00 on {day}"
        sent[day] = _run_scheduler(day)
    assert {day: subjects for day, subjects in sent.items() if subjects} == {
        LAST_VKA: [f"{clinic} : dernière prise aujourd’hui"],
        REMINDER: [f"{clinic} : rappel de votre rendez-vous du {_fr(PROCEDURE)}"],
        LAST_HEPARIN: [f"{clinic} : dernière prise aujourd’hui"],
    }
    last_dose = next(m for m in _patient_mail() if "dernière prise" in m.subject)
    assert "Dernière prise aujourd’hui du médicament indiqué sur votre convocation" in (
        last_dose.body
    )
    for message in _patient_mail():
        assert not [word for word in NOT_FOR_A_PATIENT_MESSAGE if word in message.body.lower()]
    # Nothing more to the GP.
    assert len([m for m in mail.outbox if m.to == [gp.email]]) == 2
