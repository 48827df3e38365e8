"""The narrow rows the quality figures read (quality/facts.py) follow the record: written when
the report is signed, completed when a follow-up is answered, and rebuilt identical."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from clinic.models import User
from followups.models import FollowUp
from followups.services.answers import AnswerInput, followup_record
from quality import selectors
from quality.models import TreatedReferral
from quality.periods import month_period
from tests.conftest import client_for
from tests.procedures.helpers import signed_report
from tests.quality.data import november

pytestmark = pytest.mark.django_db


def test_signing_the_report_puts_the_patient_in_the_months_figures(
    secretary: User, radiologist: User
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist)
    period = month_period(f"{report.performed_on:%Y-%m}")
    assert period is not None
    row = TreatedReferral.objects.get(referral=report.referral)
    referral = report.referral
    assert (row.gp_id, row.performed_on, row.pain_before) == (
        referral.gp_id,
        report.performed_on,
        referral.pain_nrs,
    )
    assert referral.ideal_until is not None
    assert row.within_ideal is (report.performed_on <= referral.ideal_until)
    assert row.fracture_procedure == (report.performed_on - referral.ideal_until).days
    figures = selectors.treated(selectors.treated_in(period))
    assert figures.delays.treated == 1
    assert figures.grades == {report.complication: 1}


def test_an_answer_recorded_by_the_desk_reaches_the_outcomes(
    secretary: User, radiologist: User
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist)
    d1 = FollowUp.objects.get(referral=report.referral, kind="d1")
    day = report.performed_on + timedelta(days=1)
    with time_machine.travel(f"{day.isoformat()} 10:00 +01:00", tick=False):
        followup_record(
            followup=d1,
            by=secretary,
            data=AnswerInput(
                pain_nrs=1,
                opioids=True,
                walking="normal",
                new_back_pain=False,
                new_fracture=False,
                satisfaction="4",
                complication="2",
            ),
        )
    period = month_period(f"{day:%Y-%m}")
    assert period is not None
    d1_figures = {o.kind: o for o in selectors.answered(period)}["d1"]
    assert (d1_figures.answers, d1_figures.median_pain, d1_figures.opioids) == (1, 1, 1)
    assert d1_figures.complications == 1


def test_the_rebuild_writes_the_same_rows_and_drops_strays(radiologist: User) -> None:
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        november(radiologist)
    before = {r.pk: model_to_dict(r) for r in TreatedReferral.objects.all()}
    assert len(before) == 3
    TreatedReferral.objects.filter(pk=min(before)).delete()
    TreatedReferral.objects.filter(pk=max(before)).update(pain_before=0, missed=False)
    call_command("quality_rebuild", stdout=None)
    after = {r.pk: model_to_dict(r) for r in TreatedReferral.objects.all()}
    assert after == before


def test_the_dashboard_shows_the_rows_figures(radiologist: User) -> None:
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        november(radiologist)
        html = client_for(radiologist).get(
            reverse("quality:dashboard"), {"du": "2026-11", "au": "2026-11"}
        )
    text = html.content.decode()
    # Fracture → geste: 16, 42, 172 days (median 42); 1 of 3 within 21 days.
    assert "<td>42</td>" in text and "<td>172</td>" in text
    assert "33 %" in text
