"""FHIR responses: resources as application/fhir+json, refusals as OperationOutcome."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

FHIR_JSON = "application/fhir+json"
JSON_TYPES = (FHIR_JSON, "application/json")


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


def json_body(request: HttpRequest) -> Any:
    """The posted JSON, or FhirRefused: 415 for another media type (a form, a multipart body:
    never parsed), 413 over FHIR_MAX_BODY_BYTES (read from the stream, so that a Bundle carrying
    its reports in base64 is not held to the web forms' DATA_UPLOAD_MAX_MEMORY_SIZE), 400 for
    what is not JSON."""
    if request.content_type not in JSON_TYPES:
        raise FhirRefused(
            [
                Issue(
                    _("Envoyez du JSON FHIR (Content-Type: application/fhir+json)."),
                    code="not-supported",
                )
            ],
            status=415,
        )
    limit = settings.FHIR_MAX_BODY_BYTES
    data = request.read(limit + 1)
    if len(data) > limit:
        raise FhirRefused(
            [
                Issue(
                    _("Requête trop volumineuse : %(mb)d Mo au plus.") % {"mb": limit // 2**20},
                    code="too-costly",
                )
            ],
            status=413,
        )
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise FhirRefused(
            [Issue(_("Le corps de la requête n’est pas du JSON."), "Bundle")], status=400
        ) from None
