"""What a broken or hostile client sends to the FHIR API is answered with an OperationOutcome
(never an HTML page, never a server error), and nothing is created."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.operationoutcome import OperationOutcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referrals.models import Referral
from tests.fhir_api.bundles import referral_bundle
from tests.fhir_api.conftest import Api


def _outcome(response: Any, status: int) -> OperationOutcome:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/fhir+json"
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].severity == "error"
    return outcome


def _post(api: Api, body: bytes, content_type: str) -> Any:
    client = Client(raise_request_exception=False)
    return client.post("/fhir/", body, content_type=content_type, **api.headers)


def test_a_multipart_body_without_its_boundary_is_a_415_not_a_server_error(api: Api) -> None:
    """The token check used to read request.POST, which raised on the missing boundary."""
    for content_type in ("multipart/form-data", "multipart/form-data; boundary="):
        response = _post(api, b"--x\r\nContent-Disposition: form-data\r\n", content_type)

        outcome = _outcome(response, 415)
        assert "application/fhir+json" in outcome.issue[0].diagnostics
    assert not Referral.objects.exists()


def test_a_multipart_body_without_a_token_is_a_401(client: Client) -> None:
    response = client.post("/fhir/", b"--x\r\n", content_type="multipart/form-data")

    assert _outcome(response, 401).issue[0].code == "login"


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "application/xml"]
)
def test_a_body_of_another_media_type_is_a_415(api: Api, content_type: str) -> None:
    bundle = json.dumps(referral_bundle()).encode()

    assert _outcome(_post(api, bundle, content_type), 415).issue[0].code == "not-supported"
    assert not Referral.objects.exists()


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe{}", b" ", b'{"resourceType": "Bundle",'])
def test_a_body_that_is_not_json_is_a_400(api: Api, body: bytes) -> None:
    outcome = _outcome(_post(api, body, "application/fhir+json"), 400)

    assert "JSON" in outcome.issue[0].diagnostics


@pytest.mark.parametrize("body", [b"[]", b"null", b"12", b'"Bundle"', b'{"resourceType": 3}'])
def test_json_that_is_not_a_bundle_is_a_400(api: Api, body: bytes) -> None:
    _outcome(_post(api, body, "application/fhir+json"), 400)
    assert not Referral.objects.exists()


def test_a_body_over_the_fhir_limit_is_a_413(api: Api, settings: Any) -> None:
    settings.FHIR_MAX_BODY_BYTES = 1024 * 1024
    bundle = referral_bundle()
    bundle["entry"][0]["resource"]["padding"] = "x" * (1024 * 1024)

    outcome = _outcome(_post(api, json.dumps(bundle).encode(), "application/fhir+json"), 413)

    assert "1 Mo" in outcome.issue[0].diagnostics
    assert not Referral.objects.exists()


def test_a_body_declared_over_the_request_limit_is_a_413_outcome(api: Api, settings: Any) -> None:
    """Refused from its Content-Length before it is read (clinic.middleware)."""
    settings.REQUEST_MAX_BYTES = 50_000

    response = _post(api, b"{" + b" " * 60_000 + b"}", "application/fhir+json")

    assert _outcome(response, 413).issue[0].code == "too-costly"


def test_another_method_is_a_405_outcome(api: Api) -> None:
    response = api.client.put("/fhir/", b"{}", content_type="application/fhir+json", **api.headers)

    assert _outcome(response, 405).issue[0].code == "not-supported"
    assert response["Allow"] == "POST"
    assert _outcome(api.client.delete("/fhir/Task/1", **api.headers), 405)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["resourceType", "type", "entry", "resource", "fullUrl", "x"]),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=12,
        ).map(lambda value: json.dumps(value).encode()),
    ),
    content_type=st.sampled_from(
        ["application/fhir+json", "application/json", "multipart/form-data", "text/csv"]
    ),
)
def test_any_body_gets_an_outcome_and_creates_nothing(
    api: Api, body: bytes, content_type: str
) -> None:
    response = _post(api, body, content_type)

    assert 400 <= response.status_code < 500, response.content
    OperationOutcome.model_validate(response.json())
    assert not Referral.objects.exists()
