"""What the EHR did not prefetch, the service reads from the EHR's FHIR server with the token it
was given, and from no other server: a local fake FHIR server stands for the EHR's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clinic.models import User
from fhir_api.cds import PREFETCH
from tests.fhir_api.cds_jwt import Ehr
from tests.fhir_api.conftest import token_for
from tests.fhir_api.fake_server import FakeServer, fake_server
from tests.fhir_api.hooks import hook_request, searchset

SIGN = "/cds-services/cimento-vertebroplasty"
TOKEN = "jeton-du-serveur-fhir"


@pytest.fixture
def fhir_server() -> Iterator[FakeServer]:
    with fake_server() as server:
        yield server


def _rules(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {c["source"]["topic"]["code"] for c in response.json()["cards"]}


def _served(server: FakeServer, full: dict[str, Any]) -> None:
    """The fake server answers each prefetch template for patient p-1 with the hook's data."""
    for key, template in PREFETCH.items():
        query = template.replace("{{context.patientId}}", "p-1")
        server.answer(f"/fhir/{query}", full["prefetch"].get(key) or searchset([]))


def _without_prefetch(server: FakeServer, *keep: str) -> dict[str, Any]:
    body = hook_request()
    body["prefetch"] = {k: v for k, v in body["prefetch"].items() if k in keep}
    body["fhirServer"] = f"{server.base}/fhir"
    body["fhirAuthorization"] = {
        "access_token": TOKEN,
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "user/Patient.read user/Condition.read",
        "subject": "cimento",
    }
    return body


def test_missing_prefetch_is_read_from_the_registered_fhir_server(
    gp: User, fhir_server: FakeServer
) -> None:
    ehr = Ehr(gp, fhir_server=f"{fhir_server.base}/fhir/")
    _served(fhir_server, hook_request())
    expected = _rules(ehr.post(SIGN, hook_request()))

    got = _rules(ehr.post(SIGN, _without_prefetch(fhir_server, "patient")))

    assert got == expected  # the same cards as with the full prefetch
    asked = [path for path, _headers in fhir_server.requests]
    assert "/fhir/Condition?patient=p-1&clinical-status=active" in asked
    assert not any(p.startswith("/fhir/Patient/") for p in asked)  # it was prefetched
    assert {h["Authorization"] for _p, h in fhir_server.requests} == {f"Bearer {TOKEN}"}


def test_the_oauth_token_path_uses_the_applications_registered_server(
    gp: User, fhir_server: FakeServer
) -> None:
    """A call with the FHIR API's token of the same application may use it too."""
    ehr = Ehr(gp, fhir_server=f"{fhir_server.base}/fhir")
    _served(fhir_server, hook_request())
    token = token_for(ehr.client_id, ehr.client_secret)["access_token"]

    response = ehr.post(SIGN, _without_prefetch(fhir_server), token=token)

    assert "B-AGE-IDEAL" in _rules(response)
    assert len(fhir_server.requests) == len(PREFETCH)


def test_another_server_than_the_registered_one_is_never_called(
    gp: User, fhir_server: FakeServer
) -> None:
    ehr = Ehr(gp, fhir_server="https://fhir.dpi.example-clinique.fr")
    _served(fhir_server, hook_request())

    response = ehr.post(SIGN, _without_prefetch(fhir_server))

    assert response.status_code == 412
    assert "non enregistré" in response.json()["error"]
    assert fhir_server.requests == []


def test_a_failing_fhir_server_is_a_412(gp: User, fhir_server: FakeServer) -> None:
    ehr = Ehr(gp, fhir_server=f"{fhir_server.base}/fhir")
    # Nothing served: every search answers 404.

    response = ehr.post(SIGN, _without_prefetch(fhir_server, "patient"))

    assert response.status_code == 412
    assert response.json()["field"] == "prefetch"


def test_a_redirect_is_not_followed(gp: User, fhir_server: FakeServer) -> None:
    with fake_server() as elsewhere:
        ehr = Ehr(gp, fhir_server=f"{fhir_server.base}/fhir")
        _served(elsewhere, hook_request())
        fhir_server.redirect_to = f"{elsewhere.base}/fhir/Patient/p-1"

        response = ehr.post(SIGN, _without_prefetch(fhir_server))

        assert response.status_code == 412
        assert elsewhere.requests == []


def test_invalid_fhir_from_the_server_is_a_412(gp: User, fhir_server: FakeServer) -> None:
    ehr = Ehr(gp, fhir_server=f"{fhir_server.base}/fhir")
    _served(fhir_server, hook_request())
    fhir_server.answer(
        "/fhir/Condition?patient=p-1&clinical-status=active",
        {"resourceType": "Bundle", "entry": "pas une liste"},
    )

    response = ehr.post(SIGN, _without_prefetch(fhir_server, "patient"))

    assert response.status_code == 412
    assert "conditions" in response.json()["error"]


def test_a_malformed_fhir_authorization_is_a_400(gp: User, fhir_server: FakeServer) -> None:
    ehr = Ehr(gp, fhir_server=f"{fhir_server.base}/fhir")
    body = _without_prefetch(fhir_server)
    body["fhirAuthorization"] = {"token_type": "Bearer"}

    response = ehr.post(SIGN, body)

    assert response.status_code == 400
    assert response.json()["field"] == "fhirAuthorization"
    assert fhir_server.requests == []


def test_without_a_fhir_server_the_cards_say_what_is_missing(gp: User) -> None:
    ehr = Ehr(gp)
    body = hook_request()
    body["prefetch"] = {"patient": body["prefetch"]["patient"]}

    assert "CDS-NO-LEVEL" in _rules(ehr.post(SIGN, body))
