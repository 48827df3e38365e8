"""The people a client may read: its GP's patients (Patient/{id}) and its GP (Practitioner/{id}),
in FR Core 2.1.0's shapes (docs/api.md).

A patient is the clinic's record (its id), but what is served is what this GP typed on their
latest referral of that patient (`identity_for_gp`), never the clinic's shared record nor another
GP's entries (security row 29). A patient of none of this GP's referrals, or another GP, is a 404
with the same words whether it exists or not; every read is in the access log."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from clinic.audit import log_access
from clinic.models import Role, User
from fhir_api import codes
from fhir_api.resources import instant
from referrals.access import VIEW, may
from referrals.models import Referral
from referrals.services.patients import identity_for_gp

GENDER = {"F": "female", "M": "male", "I": "other"}


def patient_referral_for(request: HttpRequest, pk: int) -> Referral:
    """The request's GP's latest referral of patient `pk` they may see (else 404), logged."""
    user: User = request.user  # type: ignore[assignment]
    mine = [
        r
        for r in Referral.objects.filter(patient_id=pk, gp=user).order_by("-updated_at", "-pk")
        if may(user, VIEW, r)
    ]
    if not mine:
        attempted = Referral.objects.filter(patient_id=pk).only("pk", "patient_id").first()
        log_access(request, what="fhir.patient", referral=attempted, object_id=pk, granted=False)
        raise Http404
    log_access(request, what="fhir.patient", referral=mine[0], object_id=pk)
    return mine[0]


def practitioner_for(request: HttpRequest, pk: int) -> User:
    """The request's GP when `pk` is theirs (else 404: a client reads no other doctor), logged."""
    user: User = request.user  # type: ignore[assignment]
    granted = user.pk == pk and user.role == Role.GP
    log_access(request, what="fhir.practitioner", object_id=pk, granted=granted)
    if not granted:
        raise Http404
    return user


def patient(referral: Referral) -> dict[str, Any]:
    """FR Core Patient: the identity as the GP typed it. The NIR is an INS-NIR identifier, but
    the identity is « provisoire » (PROV) for the clinic until its staff check it, so the
    resource claims fr-core-patient, not fr-core-patient-ins (which requires a qualified one)."""
    typed = identity_for_gp(referral)
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(referral.patient_id),
        "meta": {"lastUpdated": instant(referral.updated_at), "profile": [codes.FR_CORE_PATIENT]},
        "extension": [
            {
                "url": codes.IDENTITY_RELIABILITY_URL,
                "extension": [
                    {
                        "url": "identityStatus",
                        "valueCoding": {
                            "system": codes.FR_IDENTITY_STATUS,
                            "code": "PROV",
                            "display": "Identité provisoire",
                        },
                    }
                ],
            }
        ],
    }
    if typed.get("nir"):
        resource["identifier"] = [
            {
                "use": "official",
                "type": {"coding": [{"system": codes.FR_IDENTIFIER_TYPE, "code": "INS-NIR"}]},
                "system": codes.NIR_SYSTEM,
                "value": typed["nir"],
            }
        ]
    names: list[dict[str, Any]] = []
    if typed.get("birth_name") or typed.get("first_names"):
        official: dict[str, Any] = {"use": "official", "family": typed.get("birth_name") or None}
        if typed.get("first_names"):
            official["given"] = str(typed["first_names"]).split()
        names.append({k: v for k, v in official.items() if v})
    if typed.get("used_name"):
        names.append({"use": "usual", "family": typed["used_name"]})
    if names:
        resource["name"] = names
    if typed.get("sex") in GENDER:
        resource["gender"] = GENDER[typed["sex"]]
    if typed.get("birth_date"):
        resource["birthDate"] = typed["birth_date"].isoformat()
    telecom = [
        {"system": system, "value": typed[key]}
        for system, key in (("phone", "phone"), ("email", "email"))
        if typed.get(key)
    ]
    if telecom:
        resource["telecom"] = telecom
    if typed.get("address"):
        resource["address"] = [{"text": typed["address"]}]
    if typed.get("birth_place_insee"):
        resource["extension"].append(
            {
                "url": codes.BIRTH_PLACE_URL,
                "valueAddress": {
                    "extension": [
                        {
                            "url": codes.INSEE_CODE_URL,
                            "valueCoding": {"code": typed["birth_place_insee"]},
                        }
                    ]
                },
            }
        )
    return resource


def practitioner(gp: User) -> dict[str, Any]:
    """FR Core Practitioner: the RPPS as idNatPs (« 8 » + RPPS, type IDNPS), name, practice."""
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(gp.pk),
        "meta": {"profile": [codes.FR_CORE_PRACTITIONER]},
        "active": gp.is_active,
    }
    if gp.rpps:
        resource["identifier"] = [
            {
                "use": "official",
                "type": {"coding": [{"system": codes.FR_IDENTIFIER_TYPE, "code": "IDNPS"}]},
                "system": codes.RPPS_SYSTEM,
                "value": f"8{gp.rpps}",
            }
        ]
    name = {"family": gp.last_name, "given": gp.first_name.split(), "prefix": ["Dr"]}
    if gp.last_name or gp.first_name:
        resource["name"] = [{k: v for k, v in name.items() if v}]
    telecom = [
        {"system": system, "value": value, "use": "work"}
        for system, value in (("phone", gp.phone), ("email", gp.email))
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    if gp.practice_address:
        resource["address"] = [{"use": "work", "text": gp.practice_address}]
    return resource
