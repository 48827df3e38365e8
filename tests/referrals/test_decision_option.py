"""The continue-clopidogrel option (clinical-rules.md, Derived values): the radiologist may treat
under clopidogrel to stay in the ideal window; the booking window and the convocation then follow
the option's plan. Clock frozen on Friday 4 December 2026."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from clinic.errors import DomainError
from clinic.models import User
from referrals.choices import Stay
from referrals.models import Referral
from referrals.services.decisions import accept_referral
from scheduling.instructions import medication_instructions
from scheduling.plan import dated_entries, decision_plan
from scheduling.windows import plan_for
from tests.referrals.radiology import submitted_referral

pytestmark = pytest.mark.usefixtures("frozen_friday")


@pytest.fixture
def frozen_friday() -> object:
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False) as traveller:
        yield traveller


def _on_clopidogrel() -> Referral:
    # 18 days old today: stopping clopidogrel (last dose J−6) puts J on day 24, past the ideal
    # window; continuing it allows J tomorrow, on day 19.
    return submitted_referral(levels=[{"level": "L1", "age": 18}], antithrombotics=["clopidogrel"])


def test_the_accept_form_offers_to_continue_clopidogrel_when_the_engine_lists_it(
    radiologist_client: Client,
) -> None:
    referral = _on_clopidogrel()
    html = radiologist_client.get(reverse("referrals:accept", args=[referral.pk])).content.decode()
    assert 'value="continue_clopidogrel"' in html
    assert "Poursuivre le clopidogrel (Plavix) pour traiter plus tôt" in html
    assert "Indication probable — délai idéal" in html


def test_the_option_is_not_offered_without_clopidogrel(radiologist_client: Client) -> None:
    referral = submitted_referral(levels=[{"level": "L1", "age": 18}])
    html = radiologist_client.get(reverse("referrals:accept", args=[referral.pk])).content.decode()
    assert "continue_clopidogrel" not in html


def test_choosing_the_option_moves_the_booking_window_and_the_convocation(
    radiologist_client: Client,
) -> None:
    referral = _on_clopidogrel()
    response = radiologist_client.post(
        reverse("referrals:accept", args=[referral.pk]),
        {
            "based_on": "",
            "levels_to_treat": ["L1"],
            "stay": Stay.DAY_HOSPITAL,
            "anaesthesia": "local",
            "option": "continue_clopidogrel",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    decision = referral.current_decision
    assert decision is not None and decision.option == "continue_clopidogrel"
    assert referral.events.get(action="referral.accepted").data["option"] == (
        "continue_clopidogrel"
    )
    plan = plan_for(referral)
    assert plan.earliest == date(2026, 12, 5)
    assert plan.target == date(2026, 12, 7)  # the ideal window (fracture on 16 November)
    texts = [
        i.text
        for i in medication_instructions(
            antithrombotics=["clopidogrel"],
            plan=dated_entries(decision_plan(decision, today=date(2026, 12, 4)).medication,
                               date(2026, 12, 7)),
        )
    ]  # fmt: skip
    assert any("sans l’arrêter" in text for text in texts)
    assert not any("Dernière prise" in text or "dernière prise" in text for text in texts)


def test_without_the_option_the_clopidogrel_hold_sets_the_window(radiologist: User) -> None:
    referral = _on_clopidogrel()
    accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1"],
        stay=Stay.DAY_HOSPITAL,
        anaesthesia="local",
        justification="Fenêtre idéale manquée : indication maintenue.",
        notify_gp=False,
    )
    referral.refresh_from_db()
    assert plan_for(referral).earliest == date(2026, 12, 10)


def test_an_option_the_engine_does_not_list_is_refused(radiologist: User) -> None:
    referral = submitted_referral(levels=[{"level": "L1", "age": 5}])
    with pytest.raises(DomainError) as refused:
        accept_referral(
            referral=referral,
            by=radiologist,
            levels_to_treat=["L1"],
            stay=Stay.DAY_HOSPITAL,
            anaesthesia="local",
            option="continue_clopidogrel",
            notify_gp=False,
        )
    assert refused.value.field == "option"
