"""Each client application has its own budget of calls; over it, a 429 OperationOutcome says
when to come back, and another client is not slowed down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import time_machine
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

from clinic.models import User
from tests.fhir_api.conftest import Api


def test_a_client_over_its_budget_gets_a_429_with_retry_after(
    api_for: Callable[..., Api], gp: User, other_gp: User, settings: Any
) -> None:
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW = 60
    mine, theirs = api_for(gp), api_for(other_gp)
    with time_machine.travel("2026-12-03T10:00:15+00:00", tick=False):
        for _ in range(3):
            Bundle.model_validate(mine.get("/fhir/Task").json())

        refused = mine.get("/fhir/Task")

        assert refused.status_code == 429
        assert refused["Content-Type"] == "application/fhir+json"
        outcome = OperationOutcome.model_validate(refused.json())
        assert outcome.issue[0].code == "throttled"
        assert refused["Retry-After"] == "45"  # the window ends at 10:01:00
        assert "45 s" in outcome.issue[0].diagnostics
        assert theirs.get("/fhir/Task").status_code == 200  # a budget per client

    with time_machine.travel("2026-12-03T10:01:00+00:00", tick=False):
        assert mine.get("/fhir/Task").status_code == 200


def test_cds_calls_count_against_the_same_budget(api: Api, settings: Any) -> None:
    settings.API_RATE_LIMIT = 1
    with time_machine.travel("2026-12-03T10:00:00+00:00", tick=False):
        assert api.get("/fhir/Task").status_code == 200
        response = api.client.post(
            "/cds-services/cimento-vertebroplasty",
            "{}",
            content_type="application/json",
            **api.headers,
        )

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
