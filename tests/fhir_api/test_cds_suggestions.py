"""What a card offers to do (CDS Hooks 2.0 suggestions and links): order the missing exam,
change a contraindicated order, open the patient's referral in Cimento."""

from __future__ import annotations

import json
from typing import Any

from fhir.resources.R4B.servicerequest import ServiceRequest

from clinic.models import User
from referrals.models import Referral
from tests.fhir_api.bundles import condition, fact, referral_bundle
from tests.fhir_api.conftest import Api
from tests.fhir_api.hooks import hook_request

SIGN = "/cds-services/cimento-vertebroplasty"


def _cards(api: Api, body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    response = api.client.post(
        SIGN, json.dumps(body), content_type="application/json", **api.headers
    )
    assert response.status_code == 200, response.content
    return {c["source"]["topic"]["code"]: c for c in response.json()["cards"]}


def test_a_missing_mri_suggests_ordering_it_for_the_same_patient(api: Api) -> None:
    card = _cards(api, hook_request(drop=("mri_date",)))["B-IMAGING"]

    assert card["selectionBehavior"] == "any"
    [suggestion] = card["suggestions"]
    assert suggestion["label"] == "IRM du rachis"
    assert suggestion["isRecommended"] is True
    assert len(suggestion["uuid"]) == 36
    [action] = suggestion["actions"]
    assert action["type"] == "create"
    assert action["description"] == "Ajouter la demande : IRM du rachis."
    order = ServiceRequest.model_validate(action["resource"])
    assert (order.status, order.intent) == ("draft", "proposal")
    assert order.subject.reference == "Patient/p-1"  # the draft order's patient
    assert order.code.coding[0].code == "book_mri"
    assert order.reasonCode[0].text == "Cimento B-IMAGING"


def test_an_eligible_order_gets_no_suggestion(api: Api) -> None:
    cards = _cards(api, hook_request())

    assert all("suggestions" not in c and "selectionBehavior" not in c for c in cards.values())


def test_a_posterior_arch_fracture_suggests_a_surgical_opinion_instead(api: Api) -> None:
    arch = condition("L1", **{"posterior-arch-involved": True})
    card = _cards(api, hook_request(conditions=[arch]))["B-ARCH"]

    assert card["indicator"] == "critical"
    assert card["selectionBehavior"] == "at-most-one"
    [suggestion] = card["suggestions"]
    assert suggestion["label"] == "Remplacer par : Avis chirurgical du rachis"
    delete, create = suggestion["actions"]
    assert delete == {
        "type": "delete",
        "description": "Retirer la demande de vertébroplastie.",
        "resourceId": "ServiceRequest/vp-1",
    }
    assert create["type"] == "create"
    assert ServiceRequest.model_validate(create["resource"]).code.text == (
        "Avis chirurgical du rachis"
    )


def test_a_contraindication_without_an_alternative_suggests_withdrawing_the_order(
    api: Api,
) -> None:
    body = hook_request(extra=[fact("active_infection", valueBoolean=True)])
    card = _cards(api, body)["G-INFECTION"]

    [suggestion] = card["suggestions"]
    assert suggestion["isRecommended"] is False
    assert [a["type"] for a in suggestion["actions"]] == ["delete"]
    assert {r["code"] for r in card["overrideReasons"]} >= {"clinical-judgement"}


def test_the_link_opens_the_gps_referral_of_this_patient(api: Api, gp: User) -> None:
    assert api.post("/fhir/", referral_bundle(rpps=gp.rpps)).status_code == 200
    referral = Referral.objects.get()

    card = _cards(api, hook_request())["B-AGE-IDEAL"]

    assert card["links"] == [
        {
            "label": "Ouvrir la demande dans Cimento",
            "url": f"http://testserver/medecin/demandes/{referral.pk}/",
            "type": "absolute",
        }
    ]


def test_another_gps_referral_of_the_patient_is_not_linked(
    api: Api, api_for: Any, other_gp: User
) -> None:
    theirs = api_for(other_gp)
    assert theirs.post("/fhir/", referral_bundle(rpps=other_gp.rpps)).status_code == 200

    card = _cards(api, hook_request())["B-AGE-IDEAL"]

    assert card["links"][0]["url"] == "http://testserver/medecin/demandes/nouvelle/"
