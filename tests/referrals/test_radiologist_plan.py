"""The radiologist's plan (clinical-rules.md, « The radiologist's plan »): when accepting, the
radiologist may change a last dose or a resume day, or add an entry for fondaparinux or another
antithrombotic, with a reason; the booking window, the convocation and the GP's letter then
follow it. Clock frozen on Friday 4 December 2026."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from clinic.errors import DomainError
from clinic.models import User
from referrals.choices import Stay
from referrals.models import Referral
from referrals.services.decisions import accept_referral
from scheduling.services.bookings import booking_create
from scheduling.windows import plan_for
from tests.referrals.radiology import submitted_referral
from tests.scheduling.helpers import day_session

MONDAY_14 = date(2026, 12, 14)


@pytest.fixture(autouse=True)
def frozen_friday() -> Iterator[object]:
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False) as traveller:
        yield traveller


def _on_dabigatran(**fields: Any) -> Referral:
    # Clearance below 50 mL/min: the engine's plan is last dose J−5, resume J+2.
    return submitted_referral(
        levels=[{"level": "L1", "age": 10}],
        antithrombotics=["dabigatran"],
        creatinine_clearance=40,
        **fields,
    )


def _accept(client: Client, referral: Referral, **plan: str) -> Any:
    data = {
        "based_on": "",
        "levels_to_treat": ["L1"],
        "stay": Stay.DAY_HOSPITAL,
        "anaesthesia": "local",
        "plan_dabigatran_last": "5",
        "plan_dabigatran_resume": "2",
        **plan,
    }
    return client.post(reverse("referrals:accept", args=[referral.pk]), data)


def _text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_the_accept_form_shows_the_engines_plan_folded_and_prefilled(
    radiologist_client: Client,
) -> None:
    referral = _on_dabigatran()
    html = radiologist_client.get(reverse("referrals:accept", args=[referral.pk])).content.decode()
    assert (
        '<details class="plan-editor' in html
        and 'plan-editor border rounded px-3 py-2 mb-3" open' not in html
    )
    assert "Plan médicamenteux" in html
    assert "moteur : J−5, J+2" in html
    assert 'name="plan_dabigatran_last" value="5"' in html
    assert 'name="plan_dabigatran_resume" value="2"' in html
    # Drugs without a hold rule can be added by the radiologist.
    assert "Fondaparinux (Arixtra)" in html and 'name="plan_other_last"' in html


def test_a_changed_last_dose_with_a_reason_is_recorded_and_said_on_the_timeline(
    radiologist_client: Client,
) -> None:
    referral = _on_dabigatran()
    response = _accept(
        radiologist_client,
        referral,
        plan_dabigatran_last="7",
        plan_reason="Clairance en baisse depuis un mois.",
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    decision = referral.current_decision
    assert decision is not None
    assert [(e["drug"], e["last_dose_day"], e["resume_day"]) for e in decision.medication_plan] == [
        ("dabigatran", -7, 2)
    ]
    assert decision.plan_reason == "Clairance en baisse depuis un mois."
    event = referral.events.get(action="referral.plan_changed")
    assert event.data["reason"] == "Clairance en baisse depuis un mois."
    page = radiologist_client.get(reverse("referrals:radiology_referral", args=[referral.pk]))
    html = page.content.decode()
    assert "Plan médicamenteux adapté par le radiologue" in html
    assert "Dabigatran (Pradaxa) : dernière prise J−7 (moteur J−5), reprise J+2" in html
    assert "Clairance en baisse depuis un mois." in html


def test_the_gp_sees_the_changed_plan_and_why_on_their_referral_page(
    radiologist_client: Client, gp: User, gp_client: Client
) -> None:
    referral = _on_dabigatran(gp=gp)
    _accept(radiologist_client, referral, plan_dabigatran_last="7", plan_reason="Clairance basse.")
    html = gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk])).content
    assert "dernière prise J−7 (moteur J−5)" in html.decode()
    assert "Clairance basse." in html.decode()


def test_a_changed_plan_without_a_reason_is_refused_and_keeps_what_was_typed(
    radiologist_client: Client,
) -> None:
    referral = _on_dabigatran()
    response = _accept(
        radiologist_client, referral, plan_dabigatran_last="7", plan_dabigatran_resume="3"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vous avez modifié le plan médicamenteux du moteur : expliquez pourquoi" in html
    assert 'name="plan_dabigatran_last" value="7"' in html
    assert 'name="plan_dabigatran_resume" value="3"' in html
    assert 'plan-editor border rounded px-3 py-2 mb-3" open' in html  # unfolded
    referral.refresh_from_db()
    assert referral.current_decision is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("plan_dabigatran_last", "0", "de J−1 à J−30"),
        ("plan_dabigatran_last", "31", "de J−1 à J−30"),
        ("plan_dabigatran_resume", "0", "de J+1 à J+30"),
        ("plan_dabigatran_resume", "deux", "de J+1 à J+30"),
    ],
)
def test_days_out_of_range_are_refused_with_a_clear_message(
    radiologist_client: Client, field: str, value: str, message: str
) -> None:
    referral = _on_dabigatran()
    response = _accept(radiologist_client, referral, **{field: value, "plan_reason": "Motif."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dabigatran (Pradaxa) : indiquez" in html and message in html
    assert f'value="{value}"' in html and "Motif." in html
    referral.refresh_from_db()
    assert referral.current_decision is None


def test_a_reason_without_a_change_is_refused(radiologist_client: Client) -> None:
    referral = _on_dabigatran()
    response = _accept(radiologist_client, referral, plan_reason="Rien de changé.")
    assert "Le plan est celui du moteur : modifiez une date du plan" in response.content.decode()


def test_the_engines_plan_kept_records_no_plan_of_the_radiologist(
    radiologist_client: Client,
) -> None:
    referral = _on_dabigatran()
    assert _accept(radiologist_client, referral).status_code == 302
    referral.refresh_from_db()
    assert referral.current_decision is not None
    assert referral.current_decision.medication_plan is None
    assert not referral.events.filter(action="referral.plan_changed").exists()


def test_an_entry_for_fondaparinux_needs_both_days_and_then_reaches_the_convocation(
    radiologist_client: Client, secretary: User, secretary_client: Client
) -> None:
    referral = submitted_referral(antithrombotics=["fondaparinux"])
    base = {"based_on": "", "levels_to_treat": ["L1"], "stay": "day_hospital"}
    url = reverse("referrals:accept", args=[referral.pk])
    half = radiologist_client.post(
        url, {**base, "anaesthesia": "local", "plan_fondaparinux_last": "3"}
    )
    assert "indiquez la dernière prise et la reprise, ou laissez les deux vides" in (
        half.content.decode()
    )
    response = radiologist_client.post(
        url,
        {
            **base,
            "anaesthesia": "local",
            "justification": "Avis du radiologue : fracture récente, douleur invalidante.",
            "plan_fondaparinux_last": "3",
            "plan_fondaparinux_resume": "1",
            "plan_reason": "Fondaparinux à dose curative, fonction rénale normale.",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    booking = booking_create(referral=referral, session=day_session(MONDAY_14), by=secretary)
    text = _text(secretary_client.get(reverse("scheduling:convocation", args=[booking.pk])))
    assert "Fondaparinux (Arixtra)" in text
    assert "dernière prise le vendredi 11 décembre 2026" in text.lower()


def test_a_changed_last_dose_moves_the_booking_window_the_convocation_and_the_letter(
    radiologist_client: Client, secretary: User, secretary_client: Client, gp_client: Client
) -> None:
    referral = _on_dabigatran()
    _accept(radiologist_client, referral, plan_dabigatran_last="7", plan_reason="Clairance basse.")
    referral.refresh_from_db()
    plan = plan_for(referral)
    assert plan.earliest == date(2026, 12, 11)  # today + 7, not today + 5
    assert "J−7" in plan.earliest_reason
    booking = booking_create(referral=referral, session=day_session(MONDAY_14), by=secretary)
    text = _text(secretary_client.get(reverse("scheduling:convocation", args=[booking.pk])))
    # J−7 before Monday 14 December; the engine's J−5 would have said Wednesday 9.
    assert "dernière prise le lundi 7 décembre 2026" in text.lower()
    assert "9 décembre" not in text
    decision = referral.current_decision
    assert decision is not None
    letter = _text(radiologist_client.get(reverse("reports:decision_letter", args=[decision.pk])))
    assert "dernière prise J−7" in letter and "J−5" not in letter
    assert "Plan adapté par le radiologue : Clairance basse." in letter


def test_an_option_and_a_changed_plan_cannot_be_combined(radiologist_client: Client) -> None:
    # 18 days old, on clopidogrel: the engine lists the continue-clopidogrel option.
    referral = submitted_referral(
        levels=[{"level": "L1", "age": 18}], antithrombotics=["clopidogrel"]
    )
    response = _accept(
        radiologist_client,
        referral,
        option="continue_clopidogrel",
        plan_clopidogrel_last="8",
        plan_clopidogrel_resume="1",
        plan_reason="Motif.",
    )
    assert response.status_code == 200
    assert "il remplace celui de l’option" in response.content.decode()


def test_the_service_refuses_a_plan_out_of_range_or_without_a_reason(
    radiologist: User,
) -> None:
    referral = _on_dabigatran()
    entry = {"drug": "dabigatran", "rule": "G-DOAC-DABIGATRAN", "resume_day": 2}
    for plan, reason in (
        ([{**entry, "last_dose_day": -7}], " "),
        ([{**entry, "last_dose_day": -31}], "Motif."),
        ([{**entry, "last_dose_day": 2}], "Motif."),
        ([{**entry, "last_dose_day": -7, "drug": "unknown"}], "Motif."),
    ):
        with pytest.raises(DomainError):
            accept_referral(
                referral=referral,
                by=radiologist,
                levels_to_treat=["L1"],
                stay=Stay.DAY_HOSPITAL,
                anaesthesia="local",
                medication_plan=plan,
                plan_reason=reason,
            )
    referral.refresh_from_db()
    assert referral.current_decision is None
