"""A new fracture of a patient the clinic already treated: marked on the worklist (adjacent to a
treated level or not, months since the procedure), first among referrals of the same window, and
the radiologist's page asks about osteoporosis treatment."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.models import Patient, Referral
from referrals.services.submission import referral_submit
from tests.conftest import client_for
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory
from tests.procedures.helpers import signed_report
from tests.referrals.radiology import submitted_referral
from tests.referrals.test_worklist import _names_in_order

URL = reverse("home_radiologist")


def _referred_again(patient: Patient, gp: User, level: str, age: int) -> Referral:
    draft = ReferralFactory(gp=gp, patient=patient, pain_nrs=7)
    FractureLevelFactory(
        referral=draft, level=level, fracture_date=timezone.localdate() - timedelta(days=age)
    )
    return referral_submit(referral=draft, by=gp, confirm_new=True)


def test_a_patient_treated_at_l1_referred_for_t12_is_marked_and_first_of_the_window(
    secretary: User, radiologist: User, gp: User
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist, levels=("L1",))
    patient = Patient.objects.get(pk=report.referral.patient_id)
    patient.birth_name, patient.first_names = "DEJATRAITEE", "Anne"
    patient.save(update_fields=["birth_name", "first_names"])

    with time_machine.travel("2027-07-20 09:00 +02:00", tick=False):
        # Same ideal window, closer deadlines: without the mark they would come first.
        submitted_referral(
            patient={"birth_name": "AUTRE", "first_names": "Anne"},
            levels=({"level": "L3", "age": 18},),
        )
        _referred_again(patient, gp, "T12", age=5)
        submitted_referral(
            patient={"birth_name": "LOIN", "first_names": "Anne"},
            levels=({"level": "L4", "age": 200},),
        )
        html = client_for(radiologist).get(URL).content.decode()

    assert _names_in_order(html) == ["DEJATRAITEE Anne", "AUTRE Anne", "LOIN Anne"]
    assert "nouvelle fracture (adjacente) · 7 mois après le geste (L1)" in html
    assert html.count("new-fracture-mark") == 1


def test_a_new_fracture_far_from_the_treated_level_is_not_adjacent_and_the_page_asks(
    secretary: User, radiologist: User, gp: User
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist, levels=("L1",))
    patient = Patient.objects.get(pk=report.referral.patient_id)

    with time_machine.travel("2027-02-20 09:00 +01:00", tick=False):
        referral = _referred_again(patient, gp, "T8", age=5)
        client = client_for(radiologist)
        listing = client.get(URL).content.decode()
        page = client.get(reverse("referrals:radiology_referral", args=[referral.pk]))

    assert "nouvelle fracture (non adjacente) · 2 mois après le geste (L1)" in listing
    html = page.content.decode()
    assert "Le patient a-t-il un traitement de l’ostéoporose ?" in html
    assert "G-FLS" in html


def test_a_referral_waiting_when_the_patient_is_treated_becomes_a_new_fracture(
    secretary: User, radiologist: User, gp: User
) -> None:
    patient = PatientFactory()
    waiting = _referred_again(patient, gp, "L3", age=5)
    assert not Referral.objects.get(pk=waiting.pk).new_fracture

    signed_report(secretary=secretary, radiologist=radiologist, patient=patient)

    assert Referral.objects.get(pk=waiting.pk).new_fracture
