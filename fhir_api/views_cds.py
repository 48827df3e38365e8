"""The CDS Hooks 2.0 endpoints (docs/api.md, docs/cds-hooks.openapi.yaml): discovery, the
vertebroplasty service and its feedback. Thin: the cards come from fhir_api/cds.py, feedback is
stored by fhir_api/cds_feedback.py. Calls carry the FHIR API's OAuth bearer token."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clinic.errors import DomainError
from fhir_api import cds
from fhir_api.auth import client_user, public_endpoint
from fhir_api.cds_feedback import cds_feedback_record

# A client that may send a referral may ask the engine's advice on one.
CDS_SCOPE = "system/ServiceRequest.write"
MAX_BODY = 2_000_000


def _json(payload: Any, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"  # cards speak of a patient
    return response


def _error(message: str, *, status: int, field: str | None = None) -> JsonResponse:
    return _json({"error": message, **({"field": field} if field else {})}, status=status)


def _body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY:
        raise DomainError(_("Requête trop volumineuse."))
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise DomainError(_("Le corps de la requête doit être du JSON.")) from None


@public_endpoint
@require_GET
def discovery(request: HttpRequest) -> HttpResponse:
    return _json({"services": cds.services()})


def _authorised(request: HttpRequest, service_id: str) -> HttpResponse | None:
    # JSON only, checked first: the token check would otherwise parse a form body (and a
    # multipart one without its boundary is an error before any view code runs).
    if request.content_type != "application/json":
        return _error(_("Envoyez du JSON (Content-Type: application/json)."), status=415)
    found = client_user(request, CDS_SCOPE)
    if isinstance(found, HttpResponse):
        return found
    request.user = found
    if cds.service_hook(service_id) is None:
        return _error(_("Service CDS inconnu."), status=404)
    return None


@public_endpoint
@require_POST
def service(request: HttpRequest, service_id: str) -> HttpResponse:
    refused = _authorised(request, service_id)
    if refused is not None:
        return refused
    try:
        body = _body(request)
        cds.check_request(body, str(cds.service_hook(service_id)))
    except DomainError as error:
        return _error(error.message, status=400, field=error.field)
    refer_url = request.build_absolute_uri(reverse("referrals:gp_referral_new"))
    cards = cds.cards_for(body, today=timezone.localdate(), refer_url=refer_url)
    return _json({"cards": cards})


@public_endpoint
@require_POST
def feedback(request: HttpRequest, service_id: str) -> HttpResponse:
    refused = _authorised(request, service_id)
    if refused is not None:
        return refused
    try:
        cds_feedback_record(
            service=service_id,
            body=_body(request),
            application=getattr(request, "oauth_application", None),
        )
    except DomainError as error:
        return _error(error.message, status=400, field=error.field)
    return _json({})
