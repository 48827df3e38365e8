"""Transaction Bundles as a GP's practice software would send them (docs/api.md)."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.utils import timezone

from fhir_api import codes
from tests.factories import fictional_nir

PATIENT = "urn:uuid:0d1d0b8e-0000-4000-8000-000000000001"
PRACTITIONER = "urn:uuid:0d1d0b8e-0000-4000-8000-000000000002"
REQUEST = "urn:uuid:0d1d0b8e-0000-4000-8000-000000000003"


def condition(level: str = "L1", *, days_ago: int = 10, **extensions: Any) -> dict[str, Any]:
    onset = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
    return {
        "resourceType": "Condition",
        "subject": {"reference": PATIENT},
        "bodySite": [{"coding": [{"system": codes.SNOMED, "code": codes.LEVEL_SNOMED[level]}]}],
        "onsetDateTime": onset,
        "extension": [
            {
                "url": f"{codes.LEVEL_EXTENSION}cause",
                "valueCoding": {"system": codes.CAUSE_SYSTEM, "code": "trauma"},
            },
            {"url": f"{codes.LEVEL_EXTENSION}mri-oedema", "valueBoolean": True},
            *[
                {"url": f"{codes.LEVEL_EXTENSION}{name}", "valueBoolean": value}
                for name, value in extensions.items()
            ],
        ],
    }


def fact(code: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"reference": PATIENT},
        "code": {"coding": [{"system": codes.FACT_SYSTEM, "code": code}]},
        **value,
    }


def medication(atc: str) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "status": "active",
        "subject": {"reference": PATIENT},
        "medicationCodeableConcept": {"coding": [{"system": codes.ATC, "code": atc}]},
    }


def referral_bundle(
    *,
    rpps: str = "",
    conditions: list[dict[str, Any]] | None = None,
    extra: list[dict[str, Any]] = (),
) -> dict[str, Any]:  # type: ignore[assignment]
    """An eligible L1 fracture of 10 days, MRI and CT done, pain 8, on clopidogrel."""
    today = timezone.localdate()
    resources: list[tuple[str, dict[str, Any]]] = [
        (
            PATIENT,
            {
                "resourceType": "Patient",
                "identifier": [
                    {"system": codes.NIR_SYSTEM, "value": fictional_nir("F", 1941, 3, 1)}
                ],
                "name": [{"use": "official", "family": "Rousseau", "given": ["Jeanne", "Marie"]}],
                "gender": "female",
                "birthDate": "1941-03-02",
                "telecom": [{"system": "phone", "value": "06 12 34 56 78"}],
                "extension": [
                    {
                        "url": codes.IDENTITY_RELIABILITY_URL,
                        "extension": [{"url": "identityStatus", "valueCoding": {"code": "PROV"}}],
                    }
                ],
            },
        ),
        (
            PRACTITIONER,
            {
                "resourceType": "Practitioner",
                "identifier": [{"system": codes.RPPS_SYSTEM, "value": f"8{rpps or '10000000000'}"}],
                "name": [{"family": "Martin", "given": ["Claire"]}],
            },
        ),
        (
            REQUEST,
            {
                "resourceType": "ServiceRequest",
                "status": "active",
                "intent": "order",
                "code": {"coding": [{"system": codes.SNOMED, "code": codes.VERTEBROPLASTY[0]}]},
                "subject": {"reference": PATIENT},
                "requester": {"reference": PRACTITIONER},
                "note": [{"text": "Chute de sa hauteur, douleur invalidante."}],
            },
        ),
        *[("", c) for c in (conditions if conditions is not None else [condition()])],
        (
            "",
            {
                "resourceType": "Observation",
                "status": "final",
                "subject": {"reference": PATIENT},
                "code": {"coding": [{"system": codes.LOINC, "code": codes.PAIN_NRS}]},
                "valueInteger": 8,
            },
        ),
        ("", fact("ct_date", valueDateTime=(today - timedelta(days=8)).isoformat())),
        ("", fact("mri_date", valueDateTime=(today - timedelta(days=7)).isoformat())),
        ("", fact("analgesics_failed", valueBoolean=True)),
        (
            "",
            {
                "resourceType": "Observation",
                "status": "final",
                "subject": {"reference": PATIENT},
                "code": {"coding": [{"system": codes.LOINC, "code": "777-3"}]},
                "valueQuantity": {"value": 250, "unit": "10*9/L", "system": codes.UCUM},
            },
        ),
        ("", medication("B01AC04")),
        *[("", copy.deepcopy(r)) for r in extra],
        (
            "",
            {
                "resourceType": "Task",
                "status": "requested",
                "intent": "order",
                "focus": {"reference": REQUEST},
                "owner": {"identifier": {"system": codes.FINESS_SYSTEM, "value": "750000000"}},
            },
        ),
    ]
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                **({"fullUrl": url} if url else {}),
                "resource": resource,
                "request": {"method": "POST", "url": resource["resourceType"]},
            }
            for url, resource in resources
        ],
    }


def entry(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)
