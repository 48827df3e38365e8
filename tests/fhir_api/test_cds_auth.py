"""CDS Hooks 2.0 authentication: an EHR signs a JWT for each call, checked against the keys and
the issuer registered for it (manage.py cds_client_register); anything else is a 401."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B.operationoutcome import OperationOutcome

from clinic.models import User
from fhir_api.models import CdsClient, CdsFeedback
from tests.fhir_api.cds_jwt import ISSUER, Ehr, new_key, public_set, signed
from tests.fhir_api.fake_server import fake_server
from tests.fhir_api.hooks import hook_request

SIGN = "/cds-services/cimento-vertebroplasty"
SELECT = "/cds-services/cimento-vertebroplasty-select"


def _refused(response: Any, status: int = 401) -> str:
    assert response.status_code == status, response.content
    outcome = OperationOutcome.model_validate(response.json())
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    return str(outcome.issue[0].diagnostics)


def test_a_signed_jwt_of_a_registered_ehr_gets_its_cards(gp: User) -> None:
    ehr = Ehr(gp)

    response = ehr.post(SIGN, hook_request())

    assert response.status_code == 200, response.content
    rules = {c["source"]["topic"]["code"] for c in response.json()["cards"]}
    assert "B-AGE-IDEAL" in rules


def test_rsa_keys_are_accepted_too(gp: User) -> None:
    key = new_key("rsa-1", kty="RSA")
    ehr = Ehr(gp, jwks=public_set(key))
    ehr.key = key

    assert ehr.post(SIGN, hook_request()).status_code == 200


def test_calls_without_a_valid_jwt_are_refused(gp: User) -> None:
    ehr = Ehr(gp)
    body = json.dumps(hook_request())

    assert ehr.http.post(SIGN, body, content_type="application/json").status_code == 401
    garbage = ehr.post(SIGN, hook_request(), token="abc.def.ghi")
    assert "illisible" in _refused(garbage)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"iss": "https://autre-dpi.example"}, "Émetteur"),
        ({"sub": "another-client"}, "sub"),
        ({"aud": f"http://testserver{SELECT}"}, "aud"),
        ({"exp": int(time.time()) - 120}, "expiré"),
        ({"exp": int(time.time()) + 3600}, "5 minutes"),
        ({"iat": int(time.time()) + 600}, "5 minutes"),
        ({"exp": None}, "exp"),
        ({"jti": ""}, "jti"),
    ],
)
def test_each_wrong_claim_is_refused(gp: User, changes: dict[str, Any], says: str) -> None:
    ehr = Ehr(gp)
    claims = {k: v for k, v in ehr.claims(SIGN, **changes).items() if v is not None}

    response = ehr.post(SIGN, hook_request(), token=signed(ehr.key, claims))

    assert says in _refused(response)


def test_the_audience_may_be_a_list_holding_the_endpoint(gp: User) -> None:
    ehr = Ehr(gp)
    token = ehr.token(SIGN, aud=["https://ailleurs.example", f"http://testserver{SIGN}"])

    assert ehr.post(SIGN, hook_request(), token=token).status_code == 200


def test_a_jwt_signed_by_another_key_is_refused(gp: User) -> None:
    ehr = Ehr(gp)
    impostor = new_key("ehr-1")  # the same kid, another key

    response = ehr.post(SIGN, hook_request(), token=signed(impostor, ehr.claims(SIGN)))

    assert "Signature" in _refused(response)
    unknown_kid = signed(new_key("ehr-9"), ehr.claims(SIGN))
    assert "kid" in _refused(ehr.post(SIGN, hook_request(), token=unknown_kid))


def test_an_unsigned_or_symmetric_jwt_is_refused(gp: User) -> None:
    ehr = Ehr(gp)

    def b64(value: dict[str, Any]) -> str:
        import base64

        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    none = f"{b64({'alg': 'none', 'kid': 'ehr-1'})}.{b64(ehr.claims(SIGN))}."
    assert "Algorithme" in _refused(ehr.post(SIGN, hook_request(), token=none))
    hs = f"{b64({'alg': 'HS256', 'kid': 'ehr-1'})}.{b64(ehr.claims(SIGN))}.c2ln"
    assert "Algorithme" in _refused(ehr.post(SIGN, hook_request(), token=hs))


def test_a_replayed_jwt_is_refused(gp: User) -> None:
    ehr = Ehr(gp)
    token = ehr.token(SIGN)

    assert ehr.post(SIGN, hook_request(), token=token).status_code == 200
    assert "déjà utilisé" in _refused(ehr.post(SIGN, hook_request(), token=token))


def test_an_unregistered_jku_is_refused(gp: User) -> None:
    ehr = Ehr(gp)
    token = signed(ehr.key, ehr.claims(SIGN), jku="https://attaquant.example/jwks.json")

    assert "jku" in _refused(ehr.post(SIGN, hook_request(), token=token))


def test_keys_published_at_the_registered_url_are_fetched_and_rotated(gp: User) -> None:
    with fake_server() as server:
        ehr = Ehr(gp, register=False)
        server.answer("/jwks.json", public_set(ehr.key))
        call_command(
            "cds_client_register",
            "--client-id",
            ehr.client_id,
            "--issuer",
            ISSUER,
            "--jwks-url",
            f"{server.base}/jwks.json",
        )

        assert ehr.post(SIGN, hook_request()).status_code == 200
        assert ehr.post(SIGN, hook_request()).status_code == 200
        assert len(server.requests) == 1  # kept in the cache

        ehr.key = new_key("ehr-2")  # the EHR rotates its key
        server.answer("/jwks.json", public_set(ehr.key))
        assert ehr.post(SIGN, hook_request()).status_code == 200
        assert len(server.requests) == 2


def test_a_client_without_the_write_scope_is_forbidden(gp: User) -> None:
    ehr = Ehr(gp, scopes=["system/Task.read"])

    assert "portée" in _refused(ehr.post(SIGN, hook_request()), status=403)


def test_a_client_whose_gp_left_is_refused(gp: User) -> None:
    ehr = Ehr(gp)
    gp.is_active = False
    gp.save(update_fields=["is_active"])

    assert "médecin actif" in _refused(ehr.post(SIGN, hook_request()))


def test_feedback_signed_for_its_own_endpoint_is_stored(gp: User) -> None:
    ehr = Ehr(gp)
    item = {
        "card": "67443f42-f291-4997-a0a9-92920af7260f",
        "outcome": "accepted",
        "outcomeTimestamp": "2026-12-03T10:15:00Z",
    }

    wrong_aud = ehr.post(f"{SIGN}/feedback", {"feedback": [item]}, token=ehr.token(SIGN))
    assert "aud" in _refused(wrong_aud)
    response = ehr.post(f"{SIGN}/feedback", {"feedback": [item]})

    assert response.status_code == 200, response.content
    assert CdsFeedback.objects.get().application.name == "DPI de la clinique"


def test_registration_refuses_private_keys_and_plain_http(gp: User, tmp_path: Path) -> None:
    ehr = Ehr(gp, register=False)
    private = tmp_path / "jwks.json"
    private.write_text(json.dumps({"keys": [json.loads(ehr.key.export_private())]}))

    with pytest.raises(CommandError, match="public keys only"):
        call_command(
            "cds_client_register",
            *("--client-id", ehr.client_id, "--issuer", ISSUER, "--jwks-file", str(private)),
        )
    with pytest.raises(CommandError, match="JWK Set or its URL"):
        call_command("cds_client_register", "--client-id", ehr.client_id, "--issuer", ISSUER)
    with pytest.raises(CommandError, match="No API client"):
        call_command(
            "cds_client_register",
            *("--client-id", "nope", "--issuer", ISSUER, "--jwks-url", "https://x.example/k"),
        )
    assert not CdsClient.objects.exists()


def test_removing_an_issuer_stops_its_calls(gp: User) -> None:
    ehr = Ehr(gp)

    call_command("cds_client_register", "--issuer", ISSUER, "--remove")

    assert "Émetteur" in _refused(ehr.post(SIGN, hook_request()))
