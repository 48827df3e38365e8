"""What the prefetch lacks, read from the CDS client's FHIR server (CDS Hooks 2.0 "FHIR resource
access"): each prefetch template the call did not fill is rendered with the hook's context and
fetched from `fhirServer` with the `fhirAuthorization` access token.

Only the FHIR server registered for the client (CdsClient.fhir_server) is ever called, through
fhir_api/outbound.py (https, bounded, no redirect). Without fhirServer and fhirAuthorization
nothing is fetched, and the engine says what is missing; when a fetch is needed and fails, the
service answers 412 Precondition Failed, as the spec asks."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django.utils.translation import gettext as _

from clinic.errors import DomainError
from fhir_api.cds import PREFETCH, check_resource
from fhir_api.outbound import OutboundError, get_json

TOKEN = re.compile(r"\{\{context\.(\w+)\}\}")
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


class PrefetchUnavailable(Exception):
    """Data the service needs could not be fetched (HTTP 412); the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _render(template: str, context: dict[str, Any]) -> str | None:
    """The template's query with the context's ids, or None when one is missing or not an id."""
    values = {}
    for name in TOKEN.findall(template):
        value = context.get(name)
        if not isinstance(value, str) or not FHIR_ID.fullmatch(value):
            return None
        values[name] = quote(value, safe="")
    return TOKEN.sub(lambda m: values[m.group(1)], template)


def _authorization(body: dict[str, Any]) -> str:
    auth = body.get("fhirAuthorization")
    if (
        not isinstance(auth, dict)
        or not isinstance(auth.get("access_token"), str)
        or not auth["access_token"]
        or str(auth.get("token_type", "")).lower() != "bearer"
    ):
        raise DomainError(
            _("« fhirAuthorization » : un access_token et token_type Bearer."),
            field="fhirAuthorization",
        )
    return str(auth["access_token"])


def fill_prefetch(body: dict[str, Any], *, servers: set[str]) -> list[str]:
    """Fetch into body["prefetch"] each template it lacks; returns the keys fetched.
    `servers` are the FHIR base URLs registered for the calling client."""
    prefetch = body.setdefault("prefetch", {})
    missing = [key for key in PREFETCH if prefetch.get(key) is None]
    server = body.get("fhirServer")
    if not missing or server is None or body.get("fhirAuthorization") is None:
        return []
    token = _authorization(body)
    base = str(server).rstrip("/")
    if base not in servers:
        raise PrefetchUnavailable(
            _("Serveur FHIR non enregistré pour ce client : envoyez le prefetch.")
        )
    context = body.get("context") or {}
    fetched = []
    for key in missing:
        query = _render(PREFETCH[key], context)
        if query is None:
            continue
        try:
            resource = get_json(f"{base}/{query}", headers={"Authorization": f"Bearer {token}"})
            check_resource(f"prefetch.{key}", resource)
        except (OutboundError, DomainError):
            raise PrefetchUnavailable(
                _("Le serveur FHIR n’a pas donné « %(key)s » : envoyez-le dans le prefetch.")
                % {"key": key}
            ) from None
        prefetch[key] = resource
        fetched.append(key)
    return fetched
