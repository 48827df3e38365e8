"""The CDS Hooks 2.0 endpoints (docs/api.md, docs/cds-hooks.openapi.yaml): discovery, the
vertebroplasty service and its feedback. Thin: the cards come from fhir_api/cds.py, feedback is
stored by fhir_api/cds_feedback.py. A call carries the CDS client's signed JWT (CDS Hooks 2.0,
fhir_api/cds_auth.py) or the FHIR API's OAuth bearer token of the same client."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clinic.errors import DomainError
from clinic.models import Role, User
from fhir_api import cds
from fhir_api.auth import client_user, public_endpoint, unauthorised
from fhir_api.cds_auth import CdsAuthError, verify_cds_jwt
from fhir_api.cds_feedback import cds_cards_record, cds_feedback_record
from fhir_api.cds_prefetch import PrefetchUnavailable, fill_prefetch
from fhir_api.cds_suggestions import referral_link
from fhir_api.http import refusal
from fhir_api.models import CdsClient
from fhir_api.throttle import over_limit

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
    found = cds_caller(request) if _bearer(request).count(".") == 2 else None
    if found is None:
        found = client_user(request, CDS_SCOPE)
    if isinstance(found, HttpResponse):
        return found
    request.user = found
    if cds.service_hook(service_id) is None:
        return _error(_("Service CDS inconnu."), status=404)
    return None


def _bearer(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    return header[7:] if header.startswith("Bearer ") else ""


def cds_caller(request: HttpRequest) -> User | HttpResponse:
    """The GP a CDS client's signed JWT (fhir_api/cds_auth.py) acts for, or the refusal."""
    try:
        client = verify_cds_jwt(
            _bearer(request),
            audience=request.build_absolute_uri(request.path),
            now=timezone.now(),
        )
    except CdsAuthError as error:
        return unauthorised(error.message)
    application = client.application
    scopes = getattr(getattr(application, "api_client", None), "scope_list", [])
    if CDS_SCOPE not in scopes:
        return refusal(
            _("Ce client n’a pas la portée %(scope)s.") % {"scope": CDS_SCOPE},
            status=403,
            code="forbidden",
        )
    gp: User | None = application.user
    if gp is None or not gp.is_active or gp.role != Role.GP:
        return unauthorised(_("Ce client n’agit plus pour un médecin actif."))
    throttled = over_limit(application)
    if throttled is not None:
        return throttled
    request.oauth_application = application  # type: ignore[attr-defined]
    request.cds_client = client  # type: ignore[attr-defined]
    return gp


def _fhir_servers(request: HttpRequest) -> set[str]:
    """The FHIR servers the service may call back for this caller: its registered CDS client's
    (a JWT call), or those of every CDS client of its application (an OAuth token call)."""
    client = getattr(request, "cds_client", None)
    if client is not None:
        return {client.fhir_server} - {""}
    found = CdsClient.objects.filter(application=getattr(request, "oauth_application", None))
    return set(found.exclude(fhir_server="").values_list("fhir_server", flat=True))


@public_endpoint
@require_POST
def service(request: HttpRequest, service_id: str) -> HttpResponse:
    refused = _authorised(request, service_id)
    if refused is not None:
        return refused
    try:
        body = _body(request)
        cds.check_request(body, str(cds.service_hook(service_id)))
        fill_prefetch(body, servers=_fhir_servers(request))
    except DomainError as error:
        return _error(error.message, status=400, field=error.field)
    except PrefetchUnavailable as error:
        return _error(error.message, status=412, field="prefetch")
    link = referral_link(
        request.build_absolute_uri("/").rstrip("/"),
        request.user,  # type: ignore[arg-type]
        (body.get("prefetch") or {}).get("patient"),
    )
    cards = cds.cards_for(body, today=timezone.localdate(), link=link)
    cds_cards_record(
        service=service_id, cards=cards, application=getattr(request, "oauth_application", None)
    )
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
