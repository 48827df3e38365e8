"""The CDS Hooks service: discovery, cards from the engine on a vertebroplasty order, feedback
stored for the quality dashboard, and the same bearer tokens as the FHIR API."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from clinic.models import User
from eligibility.engine import RULES_BY_ID
from fhir_api.models import CdsCard, CdsFeedback
from quality.pages.dashboard import dashboard
from quality.periods import Period
from tests.fhir_api.bundles import fact
from tests.fhir_api.conftest import Api
from tests.fhir_api.hooks import hook_request

SIGN = "/cds-services/cimento-vertebroplasty"
SELECT = "/cds-services/cimento-vertebroplasty-select"


def _post(api: Api, path: str, body: dict[str, Any]) -> Any:
    """As a CDS client posts: application/json (not FHIR's media type)."""
    return api.client.post(path, json.dumps(body), content_type="application/json", **api.headers)


def _cards(api: Api, body: dict[str, Any], path: str = SIGN) -> list[dict[str, Any]]:
    response = _post(api, path, body)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["cards"]


def _by_rule(cards: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["source"]["topic"]["code"]: c for c in cards}


def test_discovery_lists_the_order_sign_and_order_select_services(client: Any) -> None:
    response = client.get("/cds-services")

    assert response.status_code == 200
    services = response.json()["services"]
    assert {(s["id"], s["hook"]) for s in services} == {
        ("cimento-vertebroplasty", "order-sign"),
        ("cimento-vertebroplasty-select", "order-select"),
    }
    for service in services:
        assert set(service) == {"id", "hook", "title", "description", "prefetch"}
        assert service["prefetch"]["patient"] == "Patient/{{context.patientId}}"
        assert all("{{context.patientId}}" in q for q in service["prefetch"].values())


def test_an_eligible_fracture_gets_an_info_card_for_the_probable_indication(api: Api) -> None:
    cards = _cards(api, hook_request())

    by_rule = _by_rule(cards)
    assert "critical" not in {c["indicator"] for c in cards}
    assert by_rule["B-AGE-IDEAL"]["indicator"] == "info"
    assert by_rule["B-AGE-IDEAL"]["summary"].startswith("L1 — ")
    for card in cards:
        rule = RULES_BY_ID[card["source"]["topic"]["code"]]
        assert len(card["summary"]) <= 140
        assert card["indicator"] in ("info", "warning", "critical")
        assert rule.id in card["source"]["label"]
        assert rule.source in card["detail"]  # the rule's source, as on the rules page
        assert card["links"] == [
            {
                "label": "Adresser le patient dans Cimento",
                "url": "http://testserver/medecin/demandes/nouvelle/",
                "type": "absolute",
            }
        ]
        assert bool(card["overrideReasons"]) == (card["indicator"] != "info")


def test_a_contraindication_gives_a_critical_card_with_its_rule_id(api: Api) -> None:
    body = hook_request(extra=[fact("active_infection", valueBoolean=True)])

    cards = _cards(api, body)

    assert cards[0]["indicator"] == "critical"  # the most serious first
    infection = _by_rule(cards)["G-INFECTION"]
    assert infection["indicator"] == "critical"
    assert "G-INFECTION" in infection["source"]["label"]
    reasons = {r["code"] for r in infection["overrideReasons"]}
    assert "clinical-judgement" in reasons


def test_a_missing_mri_gives_a_warning(api: Api) -> None:
    with_mri = _by_rule(_cards(api, hook_request()))
    without = _by_rule(_cards(api, hook_request(drop=("mri_date",))))

    assert "B-IMAGING" not in with_mri
    assert without["B-IMAGING"]["indicator"] == "warning"
    assert "IRM" in without["B-IMAGING"]["summary"]


def test_order_select_shares_the_cards_and_other_orders_get_none(api: Api) -> None:
    selected = _cards(api, hook_request(hook="order-select"), SELECT)
    assert "B-AGE-IDEAL" in _by_rule(selected)

    body = hook_request()
    body["context"]["draftOrders"]["entry"][0]["resource"]["code"]["coding"][0]["code"] = "1234"
    assert _cards(api, body) == []


def test_no_fractured_level_is_a_warning_to_describe_it(api: Api) -> None:
    cards = _cards(api, hook_request(conditions=[]))

    assert [(c["indicator"], c["source"]["topic"]["code"]) for c in cards] == [
        ("warning", "CDS-NO-LEVEL")
    ]


def test_the_service_needs_the_fhir_apis_bearer_token_and_scope(
    client: Any, api_for: Callable[..., Api], gp: User
) -> None:
    body = json.dumps(hook_request())
    assert client.post(SIGN, body, content_type="application/json").status_code == 401
    bad = client.post(SIGN, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401
    reader = api_for(gp, scopes=["system/Task.read"])
    assert _post(reader, SIGN, hook_request()).status_code == 403


def test_a_wrong_hook_or_service_is_refused(api: Api) -> None:
    assert _post(api, SIGN, hook_request(hook="order-select")).status_code == 400
    assert _post(api, "/cds-services/unknown", hook_request()).status_code == 404


def test_feedback_is_stored_append_only(api: Api) -> None:
    card = _cards(api, hook_request(extra=[fact("active_infection", valueBoolean=True)]))[0]
    reason = card["overrideReasons"][1]
    feedback = {
        "feedback": [
            {
                "card": card["uuid"],
                "outcome": "overridden",
                "overrideReason": {"reason": reason, "userComment": "Infection traitée."},
                "outcomeTimestamp": "2026-12-03T10:15:00Z",
            }
        ]
    }

    response = _post(api, f"{SIGN}/feedback", feedback)

    assert response.status_code == 200, response.content
    stored = CdsFeedback.objects.get()
    assert str(stored.card) == card["uuid"]
    assert stored.outcome == "overridden"
    assert stored.override_code == "clinical-judgement"
    assert stored.user_comment == "Infection traitée."
    assert stored.application is not None
    assert stored.application.name == "Logiciel du cabinet"
    with pytest.raises(RuntimeError):
        stored.save()
    with pytest.raises(RuntimeError):
        stored.delete()


def test_malformed_feedback_stores_nothing(api: Api) -> None:
    good = {
        "card": "67443f42-f291-4997-a0a9-92920af7260f",
        "outcome": "accepted",
        "outcomeTimestamp": "2026-12-03T10:15:00+01:00",
    }
    bad = {**good, "outcome": "ignored"}

    response = _post(api, f"{SIGN}/feedback", {"feedback": [good, bad]})

    assert response.status_code == 400
    assert response.json()["field"] == "feedback[1].outcome"
    assert not CdsFeedback.objects.exists()


@pytest.mark.parametrize(
    "moment", ["0153-06-12T01:01:43+22:36", "2026-12-03T10:15:00", "2026-02-30T10:15:00Z"]
)
def test_an_impossible_feedback_time_is_bad_input_not_a_server_error(api: Api, moment: str) -> None:
    """An offset beyond ±14 h (PostgreSQL refused it with a 500), no zone, no such day."""
    item = {
        "card": "67443f42-f291-4997-a0a9-92920af7260f",
        "outcome": "accepted",
        "outcomeTimestamp": moment,
    }

    response = _post(api, f"{SIGN}/feedback", {"feedback": [item]})

    assert response.status_code == 400
    assert response.json()["field"] == "feedback[0].outcomeTimestamp"
    assert not CdsFeedback.objects.exists()


def test_a_body_not_sent_as_json_is_refused(api: Api) -> None:
    response = api.post(SIGN, hook_request())  # application/fhir+json

    assert response.status_code == 415


def test_the_dashboard_counts_each_rules_cards_and_what_clients_said(api: Api) -> None:
    infection = hook_request(extra=[fact("active_infection", valueBoolean=True)])
    first = _by_rule(_cards(api, infection))
    again = _by_rule(_cards(api, infection))
    rule = next(code for code, card in first.items() if card["indicator"] == "critical")
    assert CdsCard.objects.filter(rule=rule).count() == 2
    overridden, accepted = first[rule], again[rule]
    items = [
        {
            "card": overridden["uuid"],
            "outcome": "overridden",
            "overrideReason": {"reason": overridden["overrideReasons"][1]},
            "outcomeTimestamp": "2026-12-03T10:15:00Z",
        },
        {
            "card": accepted["uuid"],
            "outcome": "accepted",
            "outcomeTimestamp": "2026-12-03T10:16:00Z",
        },
    ]
    assert _post(api, f"{SIGN}/feedback", {"feedback": items}).status_code == 200

    # The clinic's day (Paris), not the UTC one: they differ between 23:00 and midnight UTC.
    today = timezone.localdate(CdsCard.objects.get(card=overridden["uuid"]).issued_at)
    month = Period(today.replace(day=1), today + timedelta(days=1))
    table = dashboard(month, today=today).table("cds_cards")
    assert table is not None
    row = next(r for r in table.rows if r[0] == rule)
    assert row[1:] == ("2", "1", "1", overridden["overrideReasons"][1]["display"])
