"""The CDS Hooks endpoints fuzzed from their OpenAPI description (docs/cds-hooks.openapi.yaml):
no server error, and every answer matches the description (status, content type, schema)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.fhir_api.conftest import Api

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

SPEC = Path(settings.BASE_DIR) / "docs" / "cds-hooks.openapi.yaml"
schema = schemathesis.openapi.from_path(SPEC)
schema.app = get_wsgi_application()  # requests go through Django in-process, as the test client's


@pytest.fixture
def bearer(api: Api) -> Iterator[dict[str, str]]:
    """The API client's token; the WSGI handler keeps the test's database connection open (as
    Django's test client does), so that it sees the test's data."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": api.headers["HTTP_AUTHORIZATION"]}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_cds_hooks_match_their_openapi_description(case: Any, bearer: dict[str, str]) -> None:
    # A request the description allows may still carry invalid FHIR (an empty Bundle.type):
    # refusing it is right, so "schema-valid data accepted" is not checked.
    case.call_and_validate(
        base_url="http://localhost",
        headers=bearer,
        excluded_checks=[positive_data_acceptance],
    )
