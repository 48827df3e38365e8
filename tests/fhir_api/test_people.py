"""GET Patient/{id} and Practitioner/{id}: FR Core shapes, the patient as this GP typed them, only
the client's own GP's patients and the GP themself; scopes and the access log as elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.servicerequest import ServiceRequest

from clinic.models import AccessLog, User
from fhir_api import codes
from referrals.models import Referral
from tests.fhir_api.bundles import entry, referral_bundle
from tests.fhir_api.conftest import Api
from tests.referrals.radiology import submitted_referral


def _posted(api: Api, gp: User) -> tuple[Referral, Bundle]:
    bundle = referral_bundle(rpps=gp.rpps)
    patient = entry(bundle, "Patient")
    patient["name"].append({"use": "usual", "family": "Lambert"})
    patient["address"] = [{"line": ["3 rue des Lilas"], "postalCode": "75011", "city": "Paris"}]
    response = api.post("/fhir/", bundle)
    assert response.status_code == 200, response.json()
    return Referral.objects.get(), Bundle.model_validate(response.json())


def test_the_patient_reads_back_as_the_gp_sent_them_in_fr_core(api: Api, gp: User) -> None:
    referral, answer = _posted(api, gp)
    location = answer.entry[0].response.location
    assert location == f"Patient/{referral.patient_id}"

    response = api.get(f"/fhir/{location}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    patient = Patient.model_validate(response.json())
    assert patient.meta.profile == [codes.FR_CORE_PATIENT]
    (nir,) = patient.identifier
    assert nir.system == "urn:oid:1.2.250.1.213.1.4.8"
    assert nir.value == referral.identity_as_entered["nir"]
    assert (nir.type.coding[0].system, nir.type.coding[0].code) == (
        codes.FR_IDENTIFIER_TYPE,
        "INS-NIR",
    )
    official, usual = patient.name
    assert (official.use, official.family, official.given) == (
        "official",
        "Rousseau",
        ["Jeanne", "Marie"],
    )
    assert (usual.use, usual.family) == ("usual", "Lambert")
    assert patient.gender == "female"
    assert patient.birthDate.isoformat() == "1941-03-02"
    assert patient.telecom[0].value == "06 12 34 56 78"
    assert patient.address[0].text == "3 rue des Lilas, 75011 Paris"
    reliability = next(e for e in patient.extension if e.url == codes.IDENTITY_RELIABILITY_URL)
    status = reliability.extension[0].valueCoding
    assert (status.system, status.code) == (codes.FR_IDENTITY_STATUS, "PROV")
    # The ServiceRequest's subject points at it.
    request = ServiceRequest.model_validate(api.get(f"/fhir/ServiceRequest/{referral.pk}").json())
    assert request.subject.reference == location


def test_the_patient_is_what_this_gp_typed_not_the_clinics_record(api: Api, gp: User) -> None:
    referral, _answer = _posted(api, gp)
    record = referral.patient
    record.birth_name, record.phone = "DUPONT-CORRIGÉ", "01 00 00 00 00"
    record.save()

    patient = Patient.model_validate(api.get(f"/fhir/Patient/{record.pk}").json())

    assert patient.name[0].family == "Rousseau"
    assert patient.telecom[0].value == "06 12 34 56 78"


def test_the_practitioner_is_the_clients_gp_with_the_rpps(api: Api, gp: User) -> None:
    response = api.get(f"/fhir/Practitioner/{gp.pk}")

    assert response.status_code == 200
    practitioner = Practitioner.model_validate(response.json())
    assert practitioner.meta.profile == [codes.FR_CORE_PRACTITIONER]
    (rpps,) = practitioner.identifier
    assert (rpps.system, rpps.value) == ("urn:oid:1.2.250.1.71.4.2.1", f"8{gp.rpps}")
    assert rpps.type.coding[0].code == "IDNPS"
    assert (practitioner.name[0].family, practitioner.name[0].given) == ("Martin", ["Claire"])


def test_another_gps_patient_and_practitioner_are_404_and_logged_refused(
    api: Api, gp: User, other_gp: User, api_for: Callable[..., Api]
) -> None:
    theirs = submitted_referral(gp=other_gp)
    mine = submitted_referral(gp=gp)
    paths = {
        f"/fhir/Patient/{theirs.patient_id}": ("fhir.patient", theirs.patient_id),
        "/fhir/Patient/987654": ("fhir.patient", None),
        f"/fhir/Practitioner/{other_gp.pk}": ("fhir.practitioner", None),
    }
    for path, (what, patient_id) in paths.items():
        before = AccessLog.objects.count()
        response = api.get(path)
        assert response.status_code == 404, path
        outcome = OperationOutcome.model_validate(response.json())
        assert (outcome.issue[0].code, outcome.issue[0].diagnostics) == (
            "not-found",
            "Ressource introuvable.",
        )
        log = AccessLog.objects.order_by("id")[before:]
        assert [(e.user_id, e.what, e.patient_id, e.outcome) for e in log] == [
            (gp.pk, what, patient_id, "refused")
        ], path
    # The other GP's client reads their own, not the first GP's.
    other = api_for(other_gp)
    assert other.get(f"/fhir/Patient/{theirs.patient_id}").status_code == 200
    assert other.get(f"/fhir/Patient/{mine.patient_id}").status_code == 404
    assert other.get(f"/fhir/Practitioner/{gp.pk}").status_code == 404


def test_reads_are_logged_as_the_gp(api: Api, gp: User) -> None:
    referral = submitted_referral(gp=gp)
    before = AccessLog.objects.count()

    assert api.get(f"/fhir/Patient/{referral.patient_id}").status_code == 200
    assert api.get(f"/fhir/Practitioner/{gp.pk}").status_code == 200

    log = AccessLog.objects.order_by("id")[before:]
    assert [(e.user_id, e.what, e.patient_id, e.outcome) for e in log] == [
        (gp.pk, "fhir.patient", referral.patient_id, "granted"),
        (gp.pk, "fhir.practitioner", None, "granted"),
    ]


def test_each_read_needs_its_scope(gp: User, api_for: Callable[..., Api]) -> None:
    referral = submitted_referral(gp=gp)
    tasks_only = api_for(gp, ["system/Task.read"])

    for path, scope in (
        (f"/fhir/Patient/{referral.patient_id}", "system/Patient.read"),
        (f"/fhir/Practitioner/{gp.pk}", "system/Practitioner.read"),
    ):
        response = tasks_only.get(path)
        assert response.status_code == 403, path
        assert scope in OperationOutcome.model_validate(response.json()).issue[0].diagnostics


def test_the_capability_statement_lists_the_new_reads(client: object) -> None:
    statement = CapabilityStatement.model_validate(client.get("/fhir/metadata").json())  # type: ignore[attr-defined]

    served = {r.type: [i.code for i in r.interaction] for r in statement.rest[0].resource}
    assert served["Patient"] == ["read"]
    assert served["Practitioner"] == ["read"]
    assert served["DocumentReference"] == ["read", "search-type"]
