"""What the server says about itself: the CapabilityStatement (FHIR R4 4.0.1) and the SMART
configuration (backend services: client credentials, one scope per resource)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from fhir_api.models import SCOPES

FHIR_VERSION = "4.0.1"
# (resource, interactions, search parameters)
RESOURCES: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (
        "ServiceRequest",
        ("read", "search-type"),
        (("requester", "reference"), ("_lastUpdated", "date")),
    ),
    ("Task", ("read", "search-type"), (("_lastUpdated", "date"),)),
    ("Appointment", ("read",), ()),
    ("DocumentReference", ("read", "search-type"), (("related", "reference"),)),
    ("Binary", ("read",), ()),
    ("Patient", ("read",), ()),
    ("Practitioner", ("read",), ()),
)


def token_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("oauth2_provider:token"))


def capability_statement(request: HttpRequest) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "publisher": settings.CLINIC_NAME,
        "kind": "instance",
        "software": {"name": "Cimento"},
        "implementation": {
            "description": "Cimento : demandes de cimentoplastie vertébrale",
            "url": request.build_absolute_uri(reverse("fhir_api:root")),
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "extension": [
                        {
                            "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                            "extension": [{"url": "token", "valueUri": token_url(request)}],
                        }
                    ],
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "description": "OAuth 2 client credentials ; un client agit pour un médecin.",
                },
                "resource": [
                    {
                        "type": kind,
                        "interaction": [{"code": code} for code in interactions],
                        "searchParam": [{"name": name, "type": kind_} for name, kind_ in params],
                    }
                    for kind, interactions, params in RESOURCES
                ],
                "interaction": [{"code": "transaction"}],
            }
        ],
    }


def smart_configuration(request: HttpRequest) -> dict[str, Any]:
    return {
        "token_endpoint": token_url(request),
        "revocation_endpoint": request.build_absolute_uri(reverse("oauth2_provider:revoke-token")),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": sorted(SCOPES),
        "capabilities": ["client-confidential-symmetric"],
    }
