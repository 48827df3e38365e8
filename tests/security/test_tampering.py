"""Checklist row 6: fields a form does not offer are ignored. A GP who adds `status=accepted`,
another GP's id or another patient's id to a post gets exactly what the form would have given."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Decision, Patient, Referral
from referrals.services.decisions import request_information
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory
from tests.referrals.form_data import referral_data
from tests.referrals.radiology import submitted_referral

NEW = reverse("referrals:gp_referral_new")


def _forged(victim: Referral) -> dict[str, Any]:
    """Every name a tamperer might try, bare and with each form prefix."""
    values = {
        "status": "accepted",
        "gp": victim.gp_id,
        "gp_id": victim.gp_id,
        "patient": victim.patient_id,
        "patient_id": victim.patient_id,
        "id": victim.pk,
        "pk": victim.pk,
        "referral": victim.pk,
        "verdict": "eligible_ideal",
        "current_decision": 1,
        "submitted_at": "2020-01-01T00:00",
        "target_before": "2020-01-01",
    }
    forged: dict[str, Any] = {}
    for prefix in ("", "facts-", "patient-", "levels-0-", "reply-", "files-"):
        forged |= {f"{prefix}{name}": value for name, value in values.items()}
    return forged


def _state(referral: Referral) -> tuple[Any, ...]:
    referral.refresh_from_db()
    patient = referral.patient
    return (
        referral.gp_id,
        referral.status,
        referral.patient_id,
        patient.birth_name if patient else None,
        patient.nir if patient else None,
        referral.events.count(),
        list(referral.levels.values_list("level", flat=True)),
    )


def _victim(other_gp: User) -> Referral:
    referral = ReferralFactory(
        gp=other_gp, patient=PatientFactory(birth_name="Victime", first_names="Paule")
    )
    FractureLevelFactory(referral=referral, level="T8")
    return referral


def test_a_new_referral_ignores_forged_status_gp_and_patient(
    gp_client: Client, gp: User, other_gp: User
) -> None:
    victim = _victim(other_gp)
    before = _state(victim)

    response = gp_client.post(NEW, referral_data() | _forged(victim))

    assert response.status_code == 302
    created = Referral.objects.exclude(pk=victim.pk).get()
    assert created.gp == gp
    assert created.status == "submitted"  # what "Adresser la demande" gives, not "accepted"
    assert created.patient_id != victim.patient_id
    assert created.patient.birth_name.upper() == "ROUSSEAU"
    assert created.verdict == "eligible_ideal" and created.current_decision is None
    assert [lv.level for lv in created.levels.all()] == ["L1"]
    assert _state(victim) == before
    assert Patient.objects.count() == 2


def test_saving_a_draft_with_forged_fields_keeps_it_a_draft_of_its_gp(
    gp_client: Client, gp: User, other_gp: User
) -> None:
    victim = _victim(other_gp)
    gp_client.post(NEW, referral_data(action="save"))
    draft = Referral.objects.get(gp=gp)
    before = _state(victim)

    url = reverse("referrals:gp_referral_edit", args=[draft.pk])
    gp_client.post(url, referral_data(action="save") | _forged(victim))

    draft.refresh_from_db()
    assert (draft.gp, draft.status, draft.submitted_at) == (gp, "draft", None)
    assert draft.patient_id != victim.patient_id
    assert _state(victim) == before


def test_an_answer_to_the_radiologist_cannot_set_its_own_decision(
    gp_client: Client, gp: User, other_gp: User, radiologist: User
) -> None:
    victim = _victim(other_gp)
    referral = submitted_referral(gp=gp, patient={"birth_name": "Rousseau"})
    request_information(referral=referral, by=radiologist, message_to_gp="L'IRM ?", notify_gp=False)
    before = _state(victim)
    url = reverse("referrals:gp_referral_edit", args=[referral.pk])
    data = referral_data(**{"patient-nir": "", "reply-reply": "Voici"}) | _forged(victim)

    response = gp_client.post(url, data)

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "submitted"  # back to the radiologist, not accepted
    assert referral.current_decision.kind == "request_information"
    assert Decision.objects.count() == 1
    assert _state(victim) == before


def test_a_gp_cannot_post_a_decision_nor_a_booking(
    gp_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(gp=gp)
    for name in ("accept", "decline", "request_information", "redirect_to_surgery"):
        url = reverse(f"referrals:{name}", args=[referral.pk])
        data = {"levels_to_treat": ["L1"], "stay": "day_hospital", "reason": "x"}
        assert gp_client.post(url, data).status_code == 403
    book = reverse("scheduling:book", args=[referral.pk])
    assert gp_client.post(book, {"session": 1}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "submitted" and not Decision.objects.exists()
