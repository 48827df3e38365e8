"""FHIR responses: resources as application/fhir+json, refusals as OperationOutcome."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome issue: what is wrong (French, as the web form says it) and where
    (a FHIRPath expression into what was posted)."""

    message: str
    expression: str = ""
    code: str = "invalid"
    severity: str = "error"

    def as_json(self) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.message,
        }
        if self.expression:
            issue["expression"] = [self.expression]
        return issue


class FhirRefused(Exception):
    """A request the API answers with an OperationOutcome (nothing was written)."""

    def __init__(self, issues: list[Issue], *, status: int = 422) -> None:
        super().__init__("; ".join(i.message for i in issues))
        self.issues = issues
        self.status = status


def fhir_response(resource: dict[str, Any], *, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False), status=status, content_type=FHIR_JSON
    )
    # Patient data: never kept by a cache or a proxy.
    response["Cache-Control"] = "no-store"
    return response


def operation_outcome(issues: list[Issue]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [i.as_json() for i in issues]}


def outcome_response(issues: list[Issue], *, status: int) -> HttpResponse:
    return fhir_response(operation_outcome(issues), status=status)


def refusal(message: str, *, status: int, code: str, expression: str = "") -> HttpResponse:
    return outcome_response([Issue(message, expression, code=code)], status=status)
