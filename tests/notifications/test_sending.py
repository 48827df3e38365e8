"""A send that fails is tried again (a bounded number of times, waiting longer each time); when
it finally fails the desk sees it on its home page and sends it again."""

from __future__ import annotations

from datetime import date, timedelta
from smtplib import SMTPException
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from notifications.models import Message
from notifications.services.sending import send_now
from scheduling.services.bookings import booking_create
from tests.scheduling.helpers import accepted_referral, day_session

TUE_8 = date(2026, 12, 8)


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise SMTPException("451 try again later")


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False) as traveller:
        yield traveller


def _book(secretary: User, capture: Any) -> Any:
    referral = accepted_referral()
    with capture(execute=True):
        booking_create(
            referral=referral,
            session=day_session(TUE_8),
            by=secretary,
            contact_channel="email",
        )
    return referral


def test_a_failing_mail_server_is_tried_4_times_then_the_desk_sees_it_and_retries(
    secretary: User,
    secretary_client: Client,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.test_sending.DownBackend"
    referral = _book(secretary, django_capture_on_commit_callbacks)

    failed = Message.objects.filter(referral=referral)
    assert sorted(failed.values_list("recipient", "status", "attempts")) == [
        ("gp", "failed", 4),
        ("patient", "failed", 4),
    ]
    assert set(failed.values_list("error", flat=True)) == {"SMTPException"}
    assert referral.events.filter(action="notification.failed").count() == 2

    home = secretary_client.get(reverse("home_secretary")).content.decode()
    assert "Messages non envoyés" in home
    assert str(referral.patient) in home
    assert "4 essais" in home

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    gp_message = failed.get(recipient="gp")
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary_client.post(reverse("notifications:retry", args=[gp_message.pk]))
    assert response.status_code == 302
    gp_message.refresh_from_db()
    assert (gp_message.status, gp_message.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1
    assert referral.events.filter(action="notification.retried", actor=secretary).exists()
    home = secretary_client.get(reverse("home_secretary")).content.decode()
    assert "1 essai" not in home and home.count("Renvoyer") == 1  # the patient's is left


def test_a_retry_waits_longer_each_time_in_the_database_queue(
    secretary: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    referral = accepted_referral()
    booking_create(referral=referral, session=day_session(TUE_8), by=secretary)
    message = Message.objects.get(referral=referral, recipient="gp")
    settings.EMAIL_BACKEND = "tests.notifications.test_sending.DownBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    assert send_now(message_id=message.pk) == "retrying"
    task = DBTaskResult.objects.get()
    assert task.run_after == timezone.now() + timedelta(minutes=5)
    assert send_now(message_id=message.pk) == "retrying"
    assert DBTaskResult.objects.order_by("-run_after").first().run_after == (  # type: ignore[union-attr]
        timezone.now() + timedelta(minutes=10)
    )
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 2)


def test_a_message_already_sent_is_not_sent_again(
    secretary: User, django_capture_on_commit_callbacks: Any
) -> None:
    referral = _book(secretary, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    for message in Message.objects.filter(referral=referral):
        assert send_now(message_id=message.pk) == "skipped"
    assert len(mail.outbox) == 2


def test_only_the_desk_retries(gp_client: Client, secretary_client: Client) -> None:
    url = reverse("notifications:retry", args=[1])
    assert gp_client.post(url).status_code == 403
    assert secretary_client.get(url).status_code == 405
    assert secretary_client.post(url).status_code == 404
