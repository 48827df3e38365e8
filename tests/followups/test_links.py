"""Follow-up links (security row 34): a random single-use token stored hashed, that expires; a
wrong, expired or used token gets the same plain page and no data. And the staff side: the
worklist of follow-ups due, a call recorded, the invitation sent once."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from clinic.models import User
from followups.models import FollowUp, FollowUpAnswer, FollowUpLink
from followups.selectors import followups_due
from followups.services.invitations import send_followup_invitation
from procedures.models import ProcedureReport
from tests.conftest import client_for
from tests.procedures.helpers import signed_report

ANSWER = {
    "pain_nrs": "2",
    "opioids": "no",
    "walking": "normal",
    "new_back_pain": "no",
    "new_fracture": "no",
    "satisfaction": "4",
}


@pytest.fixture
def report(secretary: User, radiologist: User) -> ProcedureReport:
    """Signed, the patient agreeing to e-mails when booked (its message is not the subject)."""
    report = signed_report(secretary=secretary, radiologist=radiologist, contact_channel="email")
    mail.outbox.clear()
    return report


def _m1(report: ProcedureReport) -> FollowUp:
    return FollowUp.objects.get(referral=report.referral, kind="m1")


def _send(followup: FollowUp, capture: object) -> str:
    """Invite, let the task send the e-mail (on commit), and read the token back from it."""
    with capture(execute=True):  # type: ignore[operator]
        assert send_followup_invitation(followup_id=followup.pk)
    match = re.search(r"/questionnaire/([^/\s]+)/", mail.outbox[-1].body)
    assert match
    return match.group(1)


def test_the_patient_answers_once_and_the_link_dies(
    report: ProcedureReport, django_capture_on_commit_callbacks: object
) -> None:
    token = _send(_m1(report), django_capture_on_commit_callbacks)
    url = reverse("followups:answer", args=[token])
    client = Client()

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Comment allez-vous" in html
    patient = report.referral.patient
    assert patient is not None and patient.birth_name not in html  # the questionnaire only

    done = client.post(url, ANSWER)
    assert "vos réponses sont enregistrées" in done.content.decode()
    answer = FollowUpAnswer.objects.get(followup=_m1(report))
    assert (answer.pain_nrs, answer.channel, answer.recorded_by) == (2, "link", None)
    again = client.get(url)
    assert again.status_code == 404
    assert client.post(url, {**ANSWER, "pain_nrs": "9"}).status_code == 404
    assert FollowUpAnswer.objects.get(followup=_m1(report)).pain_nrs == 2


def test_the_token_is_stored_hashed(
    report: ProcedureReport, django_capture_on_commit_callbacks: object
) -> None:
    token = _send(_m1(report), django_capture_on_commit_callbacks)
    link = FollowUpLink.objects.get()
    assert token not in link.token_hash
    assert len(link.token_hash) == 64


def test_wrong_expired_and_used_tokens_get_the_same_page(
    report: ProcedureReport, django_capture_on_commit_callbacks: object
) -> None:
    used = _send(_m1(report), django_capture_on_commit_callbacks)
    m3 = FollowUp.objects.get(referral=report.referral, kind="m3")
    expired = _send(m3, django_capture_on_commit_callbacks)
    client = Client()
    client.post(reverse("followups:answer", args=[used]), ANSWER)
    pages = {}
    with time_machine.travel(FollowUpLink.objects.get(followup__kind="m3").expires_at):
        for name, token in (("wrong", "x" * 43), ("used", used), ("expired", expired)):
            response = client.get(reverse("followups:answer", args=[token]))
            pages[name] = (response.status_code, response.content)
    assert len(set(pages.values())) == 1
    assert pages["wrong"][0] == 404


def test_an_invitation_is_sent_once_while_its_link_lives(
    report: ProcedureReport, django_capture_on_commit_callbacks: object
) -> None:
    followup = _m1(report)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert send_followup_invitation(followup_id=followup.pk)
        assert not send_followup_invitation(followup_id=followup.pk)
    assert len(mail.outbox) == 1
    assert "Votre suivi" in mail.outbox[0].subject
    assert report.referral.patient.birth_name not in mail.outbox[0].body  # type: ignore[union-attr]


def test_the_worklist_shows_what_is_due_and_the_desk_records_a_call(
    report: ProcedureReport, secretary: User
) -> None:
    d1_day = report.performed_on + timedelta(days=1)
    assert [f.kind for f in followups_due(on=d1_day)] == ["d1"]
    assert [f.kind for f in followups_due(on=d1_day + timedelta(days=40))] == ["d1", "m1"]

    with time_machine.travel(f"{d1_day.isoformat()} 10:00 +01:00", tick=False):
        secretary_client = client_for(secretary)
        worklist = secretary_client.get(reverse("followups:worklist")).content.decode()
        assert "J+1 (appel du lendemain)" in worklist
        url = reverse("followups:record", args=[report.referral_id]) + "?echeance=d1"
        response = secretary_client.post(
            url, {**ANSWER, "channel": "phone", "complication": "none", "pain_nrs": "3"}
        )
    assert response.status_code == 302
    answer = FollowUpAnswer.objects.get(followup__kind="d1")
    assert answer.pain_nrs == 3
    assert answer.recorded_by is not None
    assert not followups_due(on=d1_day).exists()


def test_export_outcomes_writes_pseudonymous_rows(
    report: ProcedureReport, settings: object, tmp_path: object
) -> None:
    settings.OUTCOMES_PSEUDONYM_KEY = "k" * 40  # type: ignore[attr-defined]
    path = f"{tmp_path}/outcomes.csv"
    call_command("export_outcomes", output=path, stderr=io.StringIO())
    rows = list(csv.DictReader(open(path, encoding="utf-8")))  # noqa: SIM115
    assert len(rows) == 1
    row = rows[0]
    patient = report.referral.patient
    assert patient is not None
    assert row["levels"] == "L1"
    assert row["baseline_pain_nrs"] == str(report.referral.pain_nrs or "")
    assert patient.birth_name not in ",".join(row.values())
    assert row["patient_id"] and row["patient_id"] != str(patient.pk)
    settings.OUTCOMES_PSEUDONYM_KEY = "z" * 40  # type: ignore[attr-defined]
    call_command("export_outcomes", output=path, stderr=io.StringIO())
    assert next(csv.DictReader(open(path, encoding="utf-8")))["patient_id"] != row["patient_id"]  # noqa: SIM115


def test_export_outcomes_refuses_without_a_key(settings: object) -> None:
    from django.core.management.base import CommandError

    settings.OUTCOMES_PSEUDONYM_KEY = ""  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="OUTCOMES_PSEUDONYM_KEY"):
        call_command("export_outcomes")


def test_due_dates_are_the_day_after_and_one_and_three_months_later() -> None:
    from followups.services.planning import due_dates

    assert due_dates(date(2027, 1, 31)) == {
        "d1": date(2027, 2, 1),
        "m1": date(2027, 2, 28),
        "m3": date(2027, 4, 30),
    }
