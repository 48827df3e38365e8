"""The follow-up questionnaire's link goes through notifications: `manage.py enqueue_due_tasks`
run every 5 minutes sends the D1, M1 and M3 links once each, on their day, on the channel the
patient agreed to, and none for a follow-up already answered; the token is minted when the
message leaves, so no row holds it in clear, and a failed attempt's link dies with it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from followups.models import FollowUp, FollowUpLink
from followups.services.answers import AnswerInput, followup_record
from notifications import sms
from notifications.models import Message
from notifications.sms.base import BaseSmsBackend, SmsError, SmsMessage
from procedures.models import ProcedureReport
from tests.conftest import client_for
from tests.procedures.helpers import signed_report

# Signed on Tuesday 8 December 2026: D1 Wednesday 9 December, M1 8 January, M3 8 March 2027.
DUE = {"d1": date(2026, 12, 9), "m1": date(2027, 1, 8), "m3": date(2027, 3, 8)}
LINK = re.compile(r"https?://[^\s]*/questionnaire/([^/\s]+)/")


@pytest.fixture
def report(
    secretary: User, radiologist: User, django_capture_on_commit_callbacks: Any
) -> ProcedureReport:
    """The patient agreed to SMS when booked (that booking's own SMS is not the subject)."""
    with django_capture_on_commit_callbacks(execute=True):
        report = signed_report(secretary=secretary, radiologist=radiologist, contact_channel="sms")
    sms.outbox.clear()
    return report


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel("2026-12-08 18:00 +01:00", tick=False) as traveller:
        yield traveller


def _run_every_5_minutes(
    clock: time_machine.Coordinates, due: date, capture: Any
) -> list[tuple[datetime, SmsMessage]]:
    """From the eve at 18:00 until the morning after the due day."""
    received = []
    instant = timezone.make_aware(datetime.combine(due, datetime.min.time())) - timedelta(hours=6)
    end = instant + timedelta(hours=36)
    while instant < end:
        clock.move_to(instant)
        before = len(sms.outbox)
        with capture(execute=True):
            call_command("enqueue_due_tasks", stdout=_Quiet())
        received += [(timezone.localtime(), message) for message in sms.outbox[before:]]
        instant += timedelta(minutes=5)
    return received


def _run_once(clock: time_machine.Coordinates, at: str, capture: Any) -> list[SmsMessage]:
    clock.move_to(at)
    before = len(sms.outbox)
    with capture(execute=True):
        call_command("enqueue_due_tasks", stdout=_Quiet())
    return sms.outbox[before:]


def _opens(message: SmsMessage) -> bool:
    """The message's link opens its questionnaire (now)."""
    match = LINK.search(message.text)
    assert match, message.text
    return "Comment allez-vous" in Client().get(match.group(0)).content.decode()


def _token(message: SmsMessage) -> str:
    match = LINK.search(message.text)
    assert match, message.text
    return match.group(1)


def test_each_followup_link_leaves_once_on_its_day_and_none_once_answered(
    report: ProcedureReport,
    clock: time_machine.Coordinates,
    secretary: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    patient = report.referral.patient
    assert patient is not None
    d1 = _run_every_5_minutes(clock, DUE["d1"], django_capture_on_commit_callbacks)
    assert _opens(d1[-1][1])
    m1 = _run_every_5_minutes(clock, DUE["m1"], django_capture_on_commit_callbacks)
    assert _opens(m1[-1][1])
    # The desk reached the patient by phone before M3: no link for it.
    clock.move_to("2027-03-05 10:00 +01:00")
    _call_recorded(FollowUp.objects.get(referral=report.referral, kind="m3"), secretary)
    m3 = _run_every_5_minutes(clock, DUE["m3"], django_capture_on_commit_callbacks)

    assert [(at.date(), at.hour, at.minute, sent.to) for at, sent in d1 + m1 + m3] == [
        (DUE["d1"], 9, 0, "+33600000000"),
        (DUE["m1"], 9, 0, "+33600000000"),
    ]
    for _at, sent in d1 + m1:
        assert "comment allez-vous" in sent.text
        words = LINK.sub("", sent.text).lower()
        assert patient.birth_name.lower() not in words
        for word in ("l1", "vertèbre", "cimentoplastie", "fracture", "warfarine"):
            assert word not in words
    # The timeline tells both.
    events = report.referral.events.filter(action="notification.sent", data__kind="followup")
    assert events.count() == 2


def test_an_sms_invitation_carries_a_working_link_and_no_row_holds_its_token(
    report: ProcedureReport,
    clock: time_machine.Coordinates,
    django_capture_on_commit_callbacks: Any,
) -> None:
    received = _run_once(clock, "2026-12-09 09:00 +01:00", django_capture_on_commit_callbacks)
    assert len(received) == 1
    token = _token(received[0])
    page = Client().get(reverse("followups:answer", args=[token]))
    assert page.status_code == 200
    assert "Comment allez-vous" in page.content.decode()

    message = Message.objects.get(kind="followup")
    assert (message.status, message.channel, message.followup.kind) == ("sent", "sms", "d1")  # type: ignore[union-attr]
    for model in apps.get_models():
        for row in model._default_manager.values():
            assert token not in repr(row), model


class FlakySms(BaseSmsBackend):
    """An SMS provider that refuses the first message and takes the next ones."""

    calls = 0

    def send(self, message: SmsMessage) -> None:
        FlakySms.calls += 1
        if FlakySms.calls == 1:
            raise SmsError("503")
        sms.outbox.append(message)


def test_a_failed_attempt_kills_its_link_and_the_retry_sends_a_new_one(
    report: ProcedureReport,
    clock: time_machine.Coordinates,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.SMS_BACKEND = "tests.notifications.test_followup_invitations.FlakySms"
    FlakySms.calls = 0
    received = _run_once(clock, "2026-12-09 09:00 +01:00", django_capture_on_commit_callbacks)
    assert len(received) == 1
    message = Message.objects.get(kind="followup")
    assert (message.status, message.attempts) == ("sent", 2)
    links = FollowUpLink.objects.filter(followup=message.followup)
    assert links.count() == 2
    assert links.filter(expires_at__gt=timezone.now()).count() == 1  # the failed one is dead
    assert Client().get(reverse("followups:answer", args=[_token(received[0])])).status_code == 200


def test_the_desk_sends_the_link_the_same_way_and_once_while_it_lives(
    report: ProcedureReport,
    clock: time_machine.Coordinates,
    secretary: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    clock.move_to("2027-01-08 08:30 +01:00")  # M1's day, before the scheduler's hour
    desk = client_for(secretary)
    worklist = desk.get(reverse("followups:worklist")).content.decode()
    assert "Envoyer le lien" in worklist
    url = reverse("followups:send_link", args=[report.referral_id])
    with django_capture_on_commit_callbacks(execute=True):
        sent = desk.post(url, {"echeance": "m1"}, follow=True)
    assert "Lien du questionnaire envoyé au patient par SMS" in sent.content.decode()
    assert len(sms.outbox) == 1
    assert Client().get(LINK.search(sms.outbox[0].text).group(0)).status_code == 200  # type: ignore[union-attr]

    with django_capture_on_commit_callbacks(execute=True):
        again = desk.post(url, {"echeance": "m1"}, follow=True)
        clock.move_to("2027-01-08 09:00 +01:00")
        call_command("enqueue_due_tasks", stdout=_Quiet())
    assert "Un lien encore valable est déjà parti" in again.content.decode()
    assert len(sms.outbox) == 1  # neither the second press nor the scheduler sent another
    assert report.referral.events.filter(action="followup.link_sent").count() == 1


def _call_recorded(followup: FollowUp, by: User) -> None:
    followup_record(
        followup=followup,
        by=by,
        data=AnswerInput(
            pain_nrs=1,
            opioids=False,
            walking="normal",
            new_back_pain=False,
            new_fracture=False,
            satisfaction="4",
        ),
    )


def test_an_invitation_answered_before_it_leaves_is_not_sent(
    report: ProcedureReport,
    clock: time_machine.Coordinates,
    secretary: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    clock.move_to("2026-12-09 09:00 +01:00")
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        call_command("enqueue_due_tasks", stdout=_Quiet())
    # The desk reached the patient by phone while the worker was busy.
    _call_recorded(FollowUp.objects.get(referral=report.referral, kind="d1"), secretary)
    for callback in waiting:
        callback()
    assert sms.outbox == []
    assert Message.objects.get(kind="followup").status == "dropped"
    assert not FollowUpLink.objects.exists()


def test_a_link_that_never_leaves_is_on_the_desks_card_and_opens_nothing(
    report: ProcedureReport,
    clock: time_machine.Coordinates,
    secretary: User,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.SMS_BACKEND = "tests.notifications.test_followup_invitations.DownSms"
    assert _run_once(clock, "2026-12-09 09:00 +01:00", django_capture_on_commit_callbacks) == []
    message = Message.objects.get(kind="followup")
    assert (message.status, message.attempts) == ("failed", 4)
    assert not FollowUpLink.objects.filter(expires_at__gt=timezone.now()).exists()
    home = client_for(secretary).get(reverse("home_secretary")).content.decode()
    assert "Messages non envoyés" in home
    assert "Questionnaire de suivi" in home


class DownSms(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        raise SmsError("503")


def test_no_link_for_a_patient_who_agreed_to_no_message(
    secretary: User, radiologist: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist, contact_channel="none")
    with time_machine.travel("2026-12-09 10:00 +01:00", tick=False):
        desk = client_for(secretary)
        assert "Envoyer le lien" not in desk.get(reverse("followups:worklist")).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("enqueue_due_tasks", stdout=_Quiet())
            refused = desk.post(
                reverse("followups:send_link", args=[report.referral_id]),
                {"echeance": "d1"},
                follow=True,
            )
    assert "pas accepté de messages" in refused.content.decode()
    assert not Message.objects.filter(kind="followup").exists()
    assert not FollowUpLink.objects.exists()


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
