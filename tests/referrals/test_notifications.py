"""The GP is e-mailed on every decision, only once the decision is committed, with a link and no
health data; the GP's referral page shows the decision and its letter."""

from __future__ import annotations

from smtplib import SMTPException
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.choices import DecisionKind
from referrals.models import Referral
from referrals.services.decisions import (
    accept_referral,
    decline_referral,
    redirect_to_surgery,
    request_information,
)
from tests.referrals.radiology import submitted_referral

PATIENT = {"birth_name": "DUPONT", "first_names": "Jeanne"}


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise SMTPException("connection refused")


def _accept(referral: Referral, radiologist: User) -> Any:
    return accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1"],
        stay="day_hospital",
        anaesthesia="local",
    )


def test_no_email_before_the_decision_is_committed(
    gp: User, radiologist: User, django_capture_on_commit_callbacks: Any
) -> None:
    referral = submitted_referral(gp=gp, patient=PATIENT)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _accept(referral, radiologist)
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_no_email_when_the_decision_is_rolled_back(
    gp: User, radiologist: User, django_capture_on_commit_callbacks: Any
) -> None:
    referral = submitted_referral(gp=gp, patient=PATIENT)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _accept(referral, radiologist)
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not referral.decisions.exists()


def test_gp_gets_a_french_email_with_a_link_and_only_the_patients_initials(
    radiologist_client: Client,
    gp: User,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = "https://cimento.example"
    referral = submitted_referral(
        gp=gp, patient=PATIENT, clinical_note="Ostéoporose sévère, chute le 3."
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = radiologist_client.post(
            reverse("referrals:accept", args=[referral.pk]),
            {"levels_to_treat": ["L1"], "stay": "day_hospital", "anaesthesia": "local"},
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [gp.email]
    assert f"demande n° {referral.pk}" in message.subject
    assert "D. J." in message.body
    assert "https://cimento.example/medecin/demandes/" in message.body
    assert "Bonjour Docteur Claire Martin" in message.body
    for health_data in ("DUPONT", "Jeanne", "Ostéoporose", "L1", "acceptée", "cimentoplastie"):
        assert health_data not in message.body, health_data
        assert health_data not in message.subject, health_data
    assert referral.events.filter(action="notification.sent").count() == 1


@pytest.mark.parametrize(
    "kind", [DecisionKind.DECLINE, DecisionKind.REQUEST_INFORMATION, DecisionKind.REDIRECT_SURGERY]
)
def test_every_decision_notifies_the_gp(
    gp: User, radiologist: User, django_capture_on_commit_callbacks: Any, kind: str
) -> None:
    referral = submitted_referral(
        gp=gp, patient=PATIENT, levels=[{"level": "L1", "age": 10, "posterior_arch_involved": True}]
    )

    with django_capture_on_commit_callbacks(execute=True):
        if kind == DecisionKind.DECLINE:
            decline_referral(referral=referral, by=radiologist, reason="Motif")
        elif kind == DecisionKind.REQUEST_INFORMATION:
            request_information(referral=referral, by=radiologist, message_to_gp="IRM ?")
        else:
            redirect_to_surgery(referral=referral, by=radiologist, reason="Arc postérieur")

    assert len(mail.outbox) == 1
    if kind == DecisionKind.REQUEST_INFORMATION:
        assert "informations demandées" in mail.outbox[0].subject
        assert "Complétez la demande" in mail.outbox[0].body


def test_a_mail_server_failure_keeps_the_decision(
    gp: User, radiologist: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.referrals.test_notifications.FailingBackend"
    referral = submitted_referral(gp=gp, patient=PATIENT)

    with django_capture_on_commit_callbacks(execute=True):
        decision = _accept(referral, radiologist)

    referral.refresh_from_db()
    assert referral.current_decision == decision
    assert not referral.events.filter(action="notification.sent").exists()


def test_gp_panel_shows_the_decision_the_radiologist_and_the_letter(
    gp: User, radiologist: User
) -> None:
    referral = submitted_referral(gp=gp, patient=PATIENT)
    decision = decline_referral(
        referral=referral,
        by=radiologist,
        reason="<b>Fracture consolidée</b>",
        message_to_gp="Je reste disponible.",
        justification="Œdème absent",
    )
    referral.refresh_from_db()

    html = render_to_string("referrals/includes/gp_decision_panel.html", {"referral": referral})

    assert "Indication refusée" in html
    assert "Dr Hélène Lefèvre" in html
    assert "&lt;b&gt;Fracture consolidée&lt;/b&gt;" in html
    assert "Je reste disponible." in html
    assert "Œdème absent" not in html  # the justification is for the clinic's file
    assert reverse("reports:decision_letter", args=[decision.pk]) in html


def test_gp_panel_waits_for_a_decision(gp: User) -> None:
    referral = submitted_referral(gp=gp)

    html = render_to_string("referrals/includes/gp_decision_panel.html", {"referral": referral})

    assert "En attente de l’avis du radiologue." in html


def test_gp_referral_page_shows_the_decision_panel(
    gp_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(gp=gp, patient=PATIENT)
    request_information(referral=referral, by=radiologist, message_to_gp="Joindre l'IRM svp")

    response = gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))

    assert response.status_code == 200
    assert "Joindre l&#x27;IRM svp" in response.content.decode()
