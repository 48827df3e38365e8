"""The GP and the patient each receive exactly the messages of a booking's life (booked, moved,
cancelled) once it commits; the patient's say when and where, never why (no drug, no diagnosis),
and go only to details the clinic confirmed, on the channel the patient chose at the desk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from clinic.models import User
from eligibility.engine import DRUG_LABELS
from notifications import sms
from notifications.models import ContactConsent, Message
from referrals.models import Referral
from scheduling.models import Booking
from scheduling.services.bookings import booking_cancel, booking_create, booking_reschedule
from scheduling.services.imaging import imaging_appointment_create
from tests.factories import PatientFactory
from tests.scheduling.helpers import accepted_referral, day_session

TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)
# Words that would tell a health condition or a treatment: none may reach a patient's message.
HEALTH_WORDS = (
    "fracture",
    "vertèbre",
    "ciment",
    "spondyloplastie",
    "ostéopor",
    "L1",
    "AVK",
    "anticoagul",
    "héparine",
    "Coumadine",
    "Préviscan",
    "Sintrom",
)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel("2026-11-27 09:00 +01:00", tick=False) as traveller:
        yield traveller


def _vka_referral(gp: User, **patient: Any) -> Referral:
    return accepted_referral(
        gp=gp,
        antithrombotics=["vka"],
        vka_bridging=True,
        anaesthesia="sedation",
        patient=PatientFactory(birth_name="DUPONT", first_names="Jeanne", **patient),
    )


def _sent(capture: Any, action: Any) -> Any:
    with capture(execute=True):
        return action()


def _patient_texts() -> list[str]:
    return [m.text for m in sms.outbox] + [
        f"{m.subject}\n{m.body}" for m in mail.outbox if m.to != ["gp@example.invalid"]
    ]


def test_gp_and_patient_each_get_booked_moved_cancelled_and_nothing_else(
    gp: User, secretary: User, django_capture_on_commit_callbacks: Any
) -> None:
    gp.email = "gp@example.invalid"
    gp.save(update_fields=["email"])
    referral = _vka_referral(gp, phone="06 12 34 56 78")
    tuesday = day_session(TUE_8)
    thursday = day_session(THU_10, start=time(14), end=time(18))

    booking = _sent(
        django_capture_on_commit_callbacks,
        lambda: booking_create(
            referral=referral,
            session=tuesday,
            by=secretary,
            confirm_outside_ideal=True,
            contact_channel="sms",
        ),
    )
    moved = _sent(
        django_capture_on_commit_callbacks,
        lambda: booking_reschedule(
            booking=booking,
            session=thursday,
            by=secretary,
            reason_kind="patient",
            confirm_outside_ideal=True,
        ),
    )
    _sent(
        django_capture_on_commit_callbacks,
        lambda: booking_cancel(booking=moved, by=secretary, reason_kind="medical"),
    )

    assert [m.to for m in mail.outbox] == [["gp@example.invalid"]] * 3
    subjects = [m.subject for m in mail.outbox]
    assert [s.split(" : ")[1] for s in subjects] == [
        f"rendez-vous programmé pour votre demande n° {referral.pk}",
        f"rendez-vous déplacé pour votre demande n° {referral.pk}",
        f"rendez-vous annulé pour votre demande n° {referral.pk}",
    ]
    for message in mail.outbox:  # a link and the initials, as for decisions
        assert "D. J." in message.body
        assert f"/medecin/demandes/{referral.pk}/" in message.body
        for secret in ("DUPONT", "Jeanne", "8 décembre", "10 décembre", *HEALTH_WORDS):
            assert secret not in message.body + message.subject, secret

    assert [m.to for m in sms.outbox] == ["+33612345678"] * 3
    booked, moved_text, cancelled = (m.text for m in sms.outbox)
    assert "votre rendez-vous est fixé au mardi 8 décembre 2026, arrivée à" in booked
    assert "12 rue de l'Exemple, 75005 Paris" in booked  # the place
    assert "01 00 00 00 00" in booked  # the clinic's phone
    assert "consignes de votre convocation" in booked  # generic instructions
    assert "déplacé au jeudi 10 décembre 2026, arrivée à 13 h 00" in moved_text
    assert "rendez-vous du jeudi 10 décembre 2026 est annulé" in cancelled

    # Every message is on the referral's timeline.
    sent = referral.events.filter(action="notification.sent")
    assert sorted((e.data["recipient"], e.data["kind"]) for e in sent) == sorted(
        [(who, kind) for who in ("gp", "patient") for kind in ("booked", "moved", "cancelled")]
    )


def test_patient_messages_never_name_a_drug_nor_a_diagnosis(
    gp: User, secretary: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Every kind a patient can receive, by e-mail and by SMS, for a patient on a VKA."""
    from notifications.choices import Kind
    from notifications.content import render_message

    referral = _vka_referral(gp)
    booking = booking_create(
        referral=referral,
        session=day_session(TUE_8),
        by=secretary,
        confirm_outside_ideal=True,
        contact_channel="email",
    )
    drugs = [label for labels in DRUG_LABELS.values() for label in labels.values()]
    for channel, to in (("email", "patient@example.invalid"), ("sms", "+33612345678")):
        for kind in (Kind.BOOKED, Kind.MOVED, Kind.CANCELLED, Kind.REMINDER, Kind.LAST_DOSE):
            message = Message(
                referral=referral, booking=booking, kind=kind, recipient="patient",
                channel=channel, to=to,
            )  # fmt: skip
            content = render_message(message)
            text = f"{content.subject}\n{content.body}"
            assert "8 décembre 2026" in text and "01 00 00 00 00" in text, (channel, kind)
            for word in (*HEALTH_WORDS, *drugs, "Jeanne", "DUPONT"):
                assert word.lower() not in text.lower(), (channel, kind, word)
    last_dose = render_message(
        Message(
            referral=referral,
            booking=booking,
            kind=Kind.LAST_DOSE,
            recipient="patient",
            channel="sms",
            to="+33612345678",
        )
    )
    assert "dernière prise aujourd’hui du médicament indiqué sur votre convocation" in (
        last_dose.body
    )


def test_no_patient_message_to_details_the_clinic_has_not_confirmed(
    gp: User, secretary: User, django_capture_on_commit_callbacks: Any
) -> None:
    # A record made from a GP's form: its phone and e-mail are only what that GP typed.
    referral = _vka_referral(gp, confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(
            referral=referral,
            session=day_session(TUE_8),
            by=secretary,
            confirm_outside_ideal=True,
            contact_channel="none",
        )
    assert sms.outbox == []
    assert [m.to for m in mail.outbox] == [[referral.gp.email]]  # the GP only


def test_desk_records_the_patients_choice_and_cannot_choose_an_unconfirmed_channel(
    gp: User, secretary: User, secretary_client: Client
) -> None:
    referral = _vka_referral(gp, confirmed_at=None)
    session = day_session(TUE_8)
    url = reverse("scheduling:book", args=[referral.pk])
    page = secretary_client.get(url).content.decode()
    assert "Le patient accepte d’être prévenu par" in page or "accepte d&#x27;être" in page
    assert "pas encore confirmé par la clinique" in page  # said before anything is typed

    refused = secretary_client.post(
        url, {"session": session.pk, "confirm_outside_ideal": "on", "contact_channel": "sms"}
    )
    assert "pas encore confirmé par la clinique" in refused.content.decode()
    assert not Booking.objects.exists()  # all or nothing

    referral.patient.confirmed_at = referral.submitted_at
    referral.patient.save(update_fields=["confirmed_at"])
    page = secretary_client.get(url).content.decode()
    assert "(+33600000000)" in page  # the number the SMS would go to
    done = secretary_client.post(
        url, {"session": session.pk, "confirm_outside_ideal": "on", "contact_channel": "sms"}
    )
    assert done.status_code == 302
    consent = ContactConsent.objects.get()
    assert (consent.channel, consent.recorded_by, consent.patient) == (
        "sms",
        secretary,
        referral.patient,
    )
    assert referral.events.filter(action="patient.contact_consent").exists()


def test_missing_channel_is_asked_for_and_the_choice_kept(
    gp: User, secretary_client: Client
) -> None:
    referral = _vka_referral(gp)
    session = day_session(TUE_8)
    url = reverse("scheduling:book", args=[referral.pk])
    page = secretary_client.post(
        url, {"session": session.pk, "confirm_outside_ideal": "on"}
    ).content.decode()
    assert "Demandez au patient comment il accepte d’être prévenu" in page
    assert re.search(rf'id="session-{session.pk}"[^>]*checked', page)  # the choice stays
    assert not Booking.objects.exists()


def test_gp_is_told_an_imaging_exam_is_booked(
    gp: User, secretary: User, django_capture_on_commit_callbacks: Any
) -> None:
    referral = accepted_referral(gp=gp, mri_available=False)
    with django_capture_on_commit_callbacks(execute=True):
        imaging_appointment_create(
            referral=referral,
            modality="mri",
            at=_at(2026, 12, 7, 10),
            place="Centre, salle IRM",
            by=secretary,
        )
    assert len(mail.outbox) == 1
    assert "examen d’imagerie programmé" in mail.outbox[0].subject
    assert "IRM" not in mail.outbox[0].body
    assert sms.outbox == []  # the patient's imaging letter is a document, not a message


def _at(*args: int) -> Any:
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime(*args))
