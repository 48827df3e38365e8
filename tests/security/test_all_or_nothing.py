"""Checklist row 23: a failure in the middle of a write (the engine, the timeline, a PDF, the mail
server) leaves nothing half-done, and e-mail goes out only once the decision is committed.

These tests commit for real (transaction=True): what they check is what another connection sees."""

from __future__ import annotations

import io
import os
from pathlib import Path
from smtplib import SMTPException
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.models import Attachment, Decision, EligibilitySnapshot, Referral, TimelineEvent
from scheduling.models import Booking
from tests.conftest import client_for
from tests.referrals.form_data import pdf, referral_data
from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(RuntimeError):
    pass


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise Boom("failure in the middle of the write")


def _failing_client(user: User) -> Client:
    client = client_for(user)
    client.raise_request_exception = False  # the user gets the 500 page
    return client


def _state() -> tuple[Any, ...]:
    return (
        list(Referral.objects.values_list("pk", "status", "current_decision_id", "verdict")),
        Decision.objects.count(),
        EligibilitySnapshot.objects.count(),
        TimelineEvent.objects.count(),
        Attachment.objects.count(),
        list(Booking.objects.values_list("pk", "status")),
    )


@pytest.fixture
def clinic(frozen: object, gp: User, radiologist: User, secretary: User) -> World:
    world = build_world(gp=gp, radiologist=radiologist, secretary=secretary)
    mail.outbox.clear()  # its decisions and booking were committed and their GP told
    return world


def test_a_submission_failing_half_way_keeps_nothing(
    gp: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("referrals.services.submission.referral_evaluate", _boom)
    data = referral_data() | {"files-mri_report": pdf("irm.pdf")}

    response = _failing_client(gp).post(reverse("referrals:gp_referral_new"), data)

    assert response.status_code == 500
    assert not Referral.objects.exists()
    assert not Attachment.objects.exists()
    assert not TimelineEvent.objects.exists()
    # The file was written before the failure; no row points at it and the daily sweep takes it.
    assert len(_stored()) == 1
    call_command("purge_orphan_files", min_age_minutes=0, stdout=io.StringIO())
    assert _stored() == []


def _stored() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_the_sweep_keeps_the_files_of_attachments_and_recent_ones(clinic: World, gp: User) -> None:
    orphan = Path(settings.MEDIA_ROOT, "attachments", "ab", "orphan.pdf")
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1.4")
    now = timezone.now().timestamp()
    os.utime(orphan, (now, now))  # written just now, by the (frozen) clock
    kept = Path(clinic.attachment.file.path)

    call_command("purge_orphan_files", stdout=io.StringIO())  # an hour's grace by default
    assert orphan.exists()
    call_command("purge_orphan_files", min_age_minutes=0, stdout=io.StringIO())

    assert not orphan.exists()
    assert kept.exists()


def test_a_decision_failing_half_way_leaves_no_decision_and_sends_no_mail(
    clinic: World, radiologist: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state()
    monkeypatch.setattr("referrals.workflow.log_event", _boom)
    url = reverse("referrals:decline", args=[clinic.submitted.pk])

    response = _failing_client(radiologist).post(
        url, {"reason": "Fracture ancienne", "justification": "Relu", "based_on": ""}
    )

    assert response.status_code == 500
    assert _state() == before
    assert mail.outbox == []


def test_the_gp_is_mailed_once_the_decision_is_committed(
    clinic: World, gp: User, radiologist: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def send(*args: Any, **kwargs: Any) -> int:
        # Another connection would see the decision: it is committed before the mail leaves.
        seen.append(Decision.objects.filter(kind="decline").exists())
        mail.outbox.append(mail.EmailMessage(*args[:4]))
        return 1

    monkeypatch.setattr("notifications.services.sending.send_mail", send)
    url = reverse("referrals:decline", args=[clinic.submitted.pk])

    response = client_for(radiologist).post(
        url, {"reason": "Fracture ancienne", "justification": "Relu"}
    )

    assert response.status_code == 302
    assert seen == [True]
    assert mail.outbox[0].to == [gp.email]


def test_a_mail_server_failure_keeps_the_decision(
    clinic: World, radiologist: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise SMTPException("relay refused")

    monkeypatch.setattr("notifications.services.sending.send_mail", refuse)
    url = reverse("referrals:decline", args=[clinic.submitted.pk])

    response = client_for(radiologist).post(
        url, {"reason": "Fracture ancienne", "justification": "Relu"}
    )

    assert response.status_code == 302
    clinic.submitted.refresh_from_db()
    assert clinic.submitted.status == "declined"


def test_a_booking_failing_half_way_takes_no_place(
    clinic: World, secretary: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state()
    monkeypatch.setattr("referrals.workflow.log_event", _boom)
    url = reverse("scheduling:book", args=[clinic.accepted.pk])

    response = _failing_client(secretary).post(
        url, {"session": clinic.session.pk, "contact_channel": "none"}
    )

    assert response.status_code == 500
    assert _state() == before


def test_a_pdf_failing_to_render_changes_nothing(
    clinic: World, gp: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state()
    monkeypatch.setattr("reports.views.render_pdf", _boom)

    response = _failing_client(gp).get(
        reverse("reports:decision_letter", args=[clinic.decision.pk])
    )

    assert response.status_code == 500
    assert _state() == before
