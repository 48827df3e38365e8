"""The convocation of a patient on a VKA under sedation, booked on a Tuesday after a public-holiday
Monday: every date they must keep (read back from the PDF) and the .ics; the words that fit a
woman, a man and a person whose sex is not known; how long they lie prone; no sentence that
contradicts another."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from clinic.models import User
from referrals.choices import Stay
from scheduling.models import Booking, ImagingAppointment
from scheduling.services.bookings import booking_create
from tests.factories import PatientFactory
from tests.scheduling.helpers import accepted_referral, day_session

PARIS = ZoneInfo("Europe/Paris")
# Whit Monday 2027 is 17 May; Easter Monday 2027 is 29 March (the `holidays` package agrees).
TUE_AFTER_WHIT_MONDAY = date(2027, 5, 18)
TUE_AFTER_EASTER_MONDAY = date(2027, 3, 30)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[time_machine.Coordinates]:
    # Monday 8 March 2027: both procedure days are more than the VKA's six days ahead.
    with time_machine.travel("2027-03-08 09:00 +01:00", tick=False) as traveller:
        yield traveller


def _book(secretary: User, day: date, *, sex: str = "F", **referral: object) -> Booking:
    patient = PatientFactory(sex=sex, first_names="Camille", birth_date=date(1941, 3, 2))
    return booking_create(
        referral=accepted_referral(patient=patient, **referral),
        session=day_session(day),
        by=secretary,
        confirm_outside_ideal=True,  # two months ahead: the dates are what is tested here
    )


def _vka_under_sedation(secretary: User, day: date, **extra: object) -> Booking:
    return _book(
        secretary,
        day,
        antithrombotics=["vka"],
        vka_bridging=True,
        anaesthesia="sedation",
        **extra,
    )


def _pdf_text(client: Client, booking: Booking) -> str:
    response = client.get(reverse("scheduling:convocation", args=[booking.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_vka_patient_under_sedation_after_whit_monday_gets_every_date(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _vka_under_sedation(secretary, TUE_AFTER_WHIT_MONDAY))

    assert "Mardi 18 mai 2027" in text
    # B-VKA: last dose on J−6.
    assert "Dernière prise le mercredi 12 mai 2027, puis plus rien jusqu’au geste" in text
    # Bridging: the last heparin injection on J−1 in the morning (a holiday changes nothing at
    # home).
    assert "dernière piqûre d’héparine du relais le lundi 17 mai 2027 au matin" in text
    # The INR of J−1 cannot be taken on Whit Monday: the last working day before it, the Friday
    # (« working day: Monday–Friday, not a public holiday », clinical-rules.md).
    assert (
        "contrôler l’INR le vendredi 14 mai 2027 (la veille du geste, le lundi 17 mai 2027, est un "
        "jour férié) : il doit être inférieur ou égal à 1,5" in text
    )
    assert "Le résultat de votre prise de sang (INR) du vendredi 14 mai 2027" in text
    # The anaesthesia consultation by J−2, a Sunday: the Friday, a working day.
    assert "au plus tard le vendredi 14 mai 2027" in text
    assert "au plus tard le dimanche" not in text
    # « Vos dates »: the same days, in order.
    dates = re.search(r"Vos dates d’ici au geste (.*?) Avant le geste", text)
    assert dates is not None
    assert re.findall(r"[A-Z][a-z]+di \d+ mai 2027", dates.group(1)) == [
        "Mercredi 12 mai 2027",
        "Vendredi 14 mai 2027",
        "Vendredi 14 mai 2027",
        "Lundi 17 mai 2027",
        "Mardi 18 mai 2027",
    ]


@pytest.mark.parametrize(
    ("day", "last_dose", "inr", "consultation"),
    [
        (TUE_AFTER_WHIT_MONDAY, "mercredi 12 mai", "vendredi 14 mai", "vendredi 14 mai"),
        (TUE_AFTER_EASTER_MONDAY, "mercredi 24 mars", "vendredi 26 mars", "vendredi 26 mars"),
    ],
)
def test_dates_after_a_public_holiday_monday(
    secretary: User,
    secretary_client: Client,
    day: date,
    last_dose: str,
    inr: str,
    consultation: str,
) -> None:
    text = _pdf_text(secretary_client, _vka_under_sedation(secretary, day))

    assert f"Dernière prise le {last_dose} 2027" in text
    assert f"contrôler l’INR le {inr} 2027" in text
    assert f"au plus tard le {consultation} 2027" in text


def test_the_ics_matches_the_convocation(secretary: User, secretary_client: Client) -> None:
    booking = _vka_under_sedation(secretary, TUE_AFTER_WHIT_MONDAY)
    text = _pdf_text(secretary_client, booking)

    response = secretary_client.get(reverse("scheduling:convocation_ics", args=[booking.pk]))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")

    start = event.decoded("DTSTART")
    assert start == datetime(2027, 5, 18, 7, 0, tzinfo=PARIS)
    assert f"Arrivée {start.hour} h {start.minute:02d}" in text
    assert "Mardi 18 mai 2027" in text
    assert event.decoded("DTEND") == booking.procedure_at() + timedelta(minutes=booking.minutes)
    assert "AVK" not in response.content.decode()


def test_sedation_means_fasting_someone_at_home_and_no_driving(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _vka_under_sedation(secretary, TUE_AFTER_WHIT_MONDAY))

    assert "Ne mangez plus rien à partir de minuit" in text
    assert "jusqu’à 5 h 00" in text  # clear drinks until 2 hours before the 7 h 00 arrival
    assert "une personne doit rester avec vous la première nuit" in text
    assert "ne devez pas conduire pendant les 24 heures" in text
    assert "Les documents remis lors de la consultation d’anesthésie" in text


def test_local_anaesthesia_allows_a_light_meal_and_asks_no_consultation(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, TUE_AFTER_WHIT_MONDAY))

    assert "pas besoin de venir à jeun" in text and "repas léger" in text
    assert "Consultation d’anesthésie" not in text
    assert "la première nuit" not in text


def test_before_and_after_the_patient_knows_when_to_call(
    secretary: User, secretary_client: Client
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, TUE_AFTER_WHIT_MONDAY))

    assert "si vous avez de la fièvre ou une infection" in text
    assert "engourdissement nouveau apparaît dans les jambes" in text
    emergency = settings.CLINIC_EMERGENCY_PHONE
    assert f"la clinique au {emergency} (joignable 24 h sur 24), ou le 15" in text
    assert "douleur dans la poitrine ou un essoufflement" in text


def test_everything_to_bring_is_listed(secretary: User, secretary_client: Client) -> None:
    text = _pdf_text(
        secretary_client,
        _book(
            secretary,
            TUE_AFTER_WHIT_MONDAY,
            mri_available=False,
            mri_contraindicated=True,
            mri_alternative="bone_scan",
        ),
    )

    for item in (
        "de l’examen fait à la place de l’IRM (scintigraphie osseuse)",
        "Le formulaire de consentement, signé",
        "désignation de votre personne de confiance",
        "carte Vitale",
        "Vos ordonnances en cours",
        "pièce d’identité",
    ):
        assert item in text, item


@pytest.mark.parametrize(
    ("sex", "words", "not_words"),
    [
        ("F", ["Madame,", "née le 02/03/1941", "vous restez éveillée"], ["né(e)", "Monsieur"]),
        ("M", ["Monsieur,", "né le 02/03/1941", "vous restez éveillé."], ["née", "Madame"]),
        (
            "",
            ["Madame, Monsieur,", "date de naissance : 02/03/1941", "sans vous endormir"],
            ["né(e)", "éveillé", "née le", "né le"],
        ),
    ],
    ids=["woman", "man", "unknown"],
)
def test_the_convocation_agrees_with_the_patients_sex(
    secretary: User, secretary_client: Client, sex: str, words: list[str], not_words: list[str]
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, TUE_AFTER_WHIT_MONDAY, sex=sex))

    for word in words:
        assert word in text, word
    for word in not_words:
        assert word not in text, word


@pytest.mark.parametrize(
    ("levels", "said"),
    [(["L1"], "environ 30 minutes pour une vertèbre"), (["L1", "L2"], "environ 1 heure pour 2")],
)
def test_the_patient_knows_how_long_they_lie_prone(
    secretary: User, secretary_client: Client, levels: list[str], said: str
) -> None:
    text = _pdf_text(secretary_client, _book(secretary, TUE_AFTER_WHIT_MONDAY, levels=levels))

    assert f"Le geste se fait à plat ventre, pendant {said}" in text


def test_day_hospital_and_overnight_stays_say_one_thing_each(
    secretary: User, secretary_client: Client
) -> None:
    day = _pdf_text(secretary_client, _book(secretary, TUE_AFTER_WHIT_MONDAY))
    night = _pdf_text(
        secretary_client, _book(secretary, TUE_AFTER_EASTER_MONDAY, stay=Stay.OVERNIGHT)
    )

    assert "rentrerez chez vous le jour même" in day
    assert "lendemain" not in day
    assert "rentrerez chez vous le lendemain" in night
    assert "jour même" not in night


def test_the_convocation_names_imaging_appointments_still_to_come(
    secretary: User, secretary_client: Client
) -> None:
    booking = _book(secretary, TUE_AFTER_WHIT_MONDAY)
    at = timezone.make_aware(datetime(2027, 5, 10, 14, 30))
    for cancelled in (None, timezone.now()):
        ImagingAppointment.objects.create(
            referral=booking.referral,
            modality="ct",
            at=at,
            place="Centre, 1er étage",
            created_by=secretary,
            cancelled_at=cancelled,
        )

    text = _pdf_text(secretary_client, booking)

    assert "Scanner le lundi 10 mai 2027 à 14 h 30" in text
    assert text.count("Scanner au centre à 14 h 30") == 1  # the cancelled one is not listed
