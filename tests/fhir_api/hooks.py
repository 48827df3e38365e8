"""CDS Hooks requests as an EHR would send them when a vertebroplasty is ordered (docs/api.md)."""

from __future__ import annotations

import copy
from typing import Any

from tests.fhir_api.bundles import referral_bundle


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r} for r in resources],
    }


def hook_request(
    *,
    hook: str = "order-sign",
    drop: tuple[str, ...] = (),
    extra: list[dict[str, Any]] = (),  # type: ignore[assignment]
    conditions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The referral_bundle's eligible L1 fracture, its ServiceRequest as the draft order and the
    rest as prefetch; `drop` leaves out the fact Observations with those codes."""
    bundle = referral_bundle(conditions=conditions, extra=list(extra))
    resources = [copy.deepcopy(e["resource"]) for e in bundle["entry"]]
    order = next(r for r in resources if r["resourceType"] == "ServiceRequest")
    order["id"] = "vp-1"
    order["status"] = "draft"
    order["subject"] = {"reference": "Patient/p-1"}

    def of(kind: str) -> list[dict[str, Any]]:
        return [r for r in resources if r["resourceType"] == kind]

    observations = [
        o for o in of("Observation") if not any(c["code"] in drop for c in o["code"]["coding"])
    ]
    return {
        "hook": hook,
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {
            "userId": "Practitioner/dr-martin",
            "patientId": "p-1",
            "draftOrders": searchset([order]),
            **({"selections": ["ServiceRequest/vp-1"]} if hook == "order-select" else {}),
        },
        "prefetch": {
            "patient": {**of("Patient")[0], "id": "p-1"},
            "conditions": searchset(of("Condition")),
            "observations": searchset(observations),
            "medications": searchset(of("MedicationStatement")),
        },
    }
