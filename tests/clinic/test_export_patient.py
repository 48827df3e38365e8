from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from clinic.models import AccessLog, User
from followups.models import FollowUp
from procedures.services.report import report_addendum
from referrals.management.commands.export_patient import export_patient
from referrals.models import Referral
from referrals.services.evaluation import referral_evaluate
from referrals.services.timeline import log_event
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory
from tests.procedures.helpers import signed_report


def test_export_holds_the_patient_their_referrals_and_everything_attached(
    db: None, gp: object
) -> None:
    patient = PatientFactory(birth_name="EXEMPLE", first_names="Jeanne")
    referral = ReferralFactory(patient=patient, gp=gp, clinical_note="chute dans l'escalier")
    FractureLevelFactory(referral=referral, level="L2")
    referral_evaluate(referral=referral, reason="submitted")
    log_event(referral=referral, action="referral.submitted", actor=gp)
    ReferralFactory()  # someone else's data must not leak into the export

    out = io.StringIO()
    call_command("export_patient", str(patient.pk), stdout=out)
    data = json.loads(out.getvalue())

    assert data["patient"]["birth_name"] == "EXEMPLE"
    assert [r["clinical_note"] for r in data["referrals"]] == ["chute dans l'escalier"]
    assert [lv["level"] for lv in data["related"]["referrals.FractureLevel"]] == ["L2"]
    assert len(data["related"]["referrals.EligibilitySnapshot"]) == 1
    assert data["related"]["referrals.TimelineEvent"][0]["action"] == "referral.submitted"
    assert AccessLog.objects.filter(patient_id=patient.pk, what="export").count() == 1


def test_unknown_patient_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="No patient with id 999"):
        call_command("export_patient", "999")


@pytest.mark.parametrize(("years", "listed"), [(21, True), (19, False)])
def test_retention_lists_patients_past_the_period(
    db: None, settings: object, years: int, listed: bool
) -> None:
    settings.RETENTION_YEARS = 20  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now() - timedelta(days=365 * years + 5), tick=False):
        referral = ReferralFactory()
    out = io.StringIO()
    call_command("retention_due", stdout=out)
    assert (f"patient {referral.patient_id}:" in out.getvalue()) is listed


def test_retention_period_follows_the_setting(db: None, settings: object) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=365 * 6), tick=False):
        referral = ReferralFactory()
    settings.RETENTION_YEARS = 5  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("retention_due", stdout=out)
    assert f"patient {referral.patient_id}:" in out.getvalue()


def test_export_follows_the_patients_rows_at_any_depth(secretary: User, radiologist: User) -> None:
    """The procedure's checklist, report levels and addenda, follow-ups and their answers hang
    off bookings, reports and follow-ups, not off the referral: they are exported too."""
    report = signed_report(secretary=secretary, radiologist=radiologist)
    report_addendum(report=report, by=radiologist, text="Contrôle radiographique normal.")
    followup = FollowUp.objects.filter(referral_id=report.referral_id).order_by("due_on").first()
    assert followup is not None
    other = signed_report(secretary=secretary, radiologist=radiologist)  # another patient

    data = export_patient(Referral.objects.get(pk=report.referral_id).patient)

    related = data["related"]
    assert [lv["level"] for lv in related["procedures.TreatedLevel"]] == ["L1"]
    assert [a["text"] for a in related["procedures.ReportAddendum"]] == [
        "Contrôle radiographique normal."
    ]
    assert related["procedures.ChecklistCheck"]
    assert {f["referral"] for f in related["followups.FollowUp"]} == {report.referral_id}
    assert other.referral_id not in {r["id"] for r in data["referrals"]}
    assert all(row["report"] == report.pk for row in related["procedures.TreatedLevel"])
