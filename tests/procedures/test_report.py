"""The procedure report: signed by the radiologist, it records the procedure as done (through the
workflow), never changes afterwards (an addendum corrects it), and plans the follow-ups; the
discharge letter says when each antithrombotic restarts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from clinic.append_only import AppendOnlyError
from clinic.errors import DomainError
from clinic.models import User
from followups.models import FollowUp
from procedures.documents import discharge_pdf
from procedures.models import ProcedureReport
from procedures.services.report import report_addendum, report_sign
from referrals.choices import Status
from referrals.models import Referral
from scheduling.models import BookingStatus
from tests.conftest import client_for
from tests.procedures.helpers import (
    THU_10,
    TUE_8,
    arrived_booking,
    complete_checklist,
    report_input,
    signed_report,
)


def _text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_signing_the_report_records_the_procedure_as_done_and_plans_the_followups(
    secretary: User, radiologist: User
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist)

    referral = Referral.objects.get(pk=report.referral_id)
    assert referral.status == Status.DONE
    assert report.booking.status == BookingStatus.DONE
    assert referral.patient.treated_levels == " L1 "  # type: ignore[union-attr]
    due = dict(FollowUp.objects.filter(referral=referral).values_list("kind", "due_on"))
    assert due == {"d1": date(2026, 12, 9), "m1": date(2027, 1, 8), "m3": date(2027, 3, 8)}
    actions = list(referral.events.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == [
        "procedure.checklist_completed",
        "booking.done",
        "procedure.report_signed",
    ]


def test_the_report_is_refused_while_the_checklist_is_incomplete(
    secretary: User, radiologist: User
) -> None:
    booking = arrived_booking(secretary=secretary, radiologist=radiologist)
    referral = Referral.objects.get(pk=booking.referral_id)

    with pytest.raises(DomainError, match="Check-list de sécurité incomplète"):
        report_sign(referral=referral, by=radiologist, data=report_input(), today=TUE_8)
    assert not ProcedureReport.objects.exists()
    assert Referral.objects.get(pk=referral.pk).status == Status.ARRIVED


def test_levels_other_than_planned_need_a_reason(secretary: User, radiologist: User) -> None:
    booking = arrived_booking(secretary=secretary, radiologist=radiologist)
    complete_checklist(booking, secretary)
    referral = Referral.objects.get(pk=booking.referral_id)

    with pytest.raises(DomainError) as refused:
        report_sign(referral=referral, by=radiologist, data=report_input(("L1", "L2")), today=TUE_8)
    assert refused.value.field == "levels_reason"

    report = report_sign(
        referral=referral,
        by=radiologist,
        data=report_input(("L1", "L2"), levels_reason="L2 fracturée aussi au scanner du jour"),
        today=TUE_8,
    )
    assert report.treated_levels == ["L1", "L2"]


def test_a_signed_report_never_changes_and_takes_addenda(
    secretary: User, radiologist: User
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist)

    report.conclusion = "changed"
    with pytest.raises(AppendOnlyError):
        report.save()
    with pytest.raises(DomainError, match="addendum"):
        report_sign(referral=report.referral, by=radiologist, data=report_input(), today=TUE_8)
    report_addendum(report=report, by=radiologist, text="Volume L1 : 5,0 mL et non 4,5 mL.")

    content = (
        client_for(radiologist)
        .get(reverse("procedures:report_pdf", args=[report.referral_id]))
        .content
    )
    text = _text(content)
    assert "Volume L1 : 5,0 mL et non 4,5 mL." in text
    assert "12,40 Gy·cm²" in text
    assert "4 min 32 s" in text
    assert "Arceau Siemens Cios Alpha" in text


def test_the_discharge_letter_says_when_each_antithrombotic_restarts(
    secretary: User, radiologist: User, tmp_path: object
) -> None:
    report = signed_report(
        secretary=secretary,
        radiologist=radiologist,
        day=THU_10,
        antithrombotics=["vka", "aspirin"],
        vka_bridging=False,
    )
    response = client_for(report.referral.gp).get(
        reverse("procedures:discharge_pdf", args=[report.referral_id])
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = _text(response.content)
    assert "Lettre de liaison" in text
    assert "vendredi 11 décembre 2026 (J+1)" in text
    assert "ostéodensitométrie" in text
    assert "(24 h/24)" in text


def test_no_report_yet_is_a_404_for_everyone(secretary: User, radiologist_client: Client) -> None:
    booking = arrived_booking(secretary=secretary)

    for name in ("procedures:report_pdf", "procedures:discharge_pdf"):
        assert radiologist_client.get(reverse(name, args=[booking.referral_id])).status_code == 404


def test_the_discharge_letter_never_leaves_the_signature_alone_on_a_page(
    secretary: User, radiologist: User
) -> None:
    """A letter long enough to run onto a second page (VKA, osteoporosis, warning signs) keeps the
    follow-up appointments with the closing words and the signature, and agrees with the
    patient's sex (« né le », never « né(e) »)."""
    report = signed_report(
        secretary=secretary, radiologist=radiologist, day=THU_10, antithrombotics=["vka"]
    )
    referral = Referral.objects.get(pk=report.referral_id)
    referral.patient.sex = "M"
    referral.patient.save(update_fields=["sex"])

    content = discharge_pdf(referral)

    for page in PdfReader(io.BytesIO(content)).pages:
        text = " ".join(page.extract_text().split())
        if "Bien confraternellement" in text:
            assert "Rendez-vous de suivi" in text
    whole = _text(content)
    assert ", né le " in whole
    assert "né(e)" not in whole
