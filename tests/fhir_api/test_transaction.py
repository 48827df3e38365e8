"""A referral posted as a transaction Bundle becomes a referral as the web form makes it, or is
refused with an OperationOutcome naming each element at fault, and nothing is created."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.task import Task

from clinic.models import User
from fhir_api import codes
from referrals.choices import Status
from referrals.models import Patient, Referral, TimelineEvent
from tests.fhir_api.bundles import PATIENT, condition, entry, medication, referral_bundle
from tests.fhir_api.conftest import Api
from tests.referrals.radiology import submitted_referral


def _outcome(response: Any) -> OperationOutcome:
    assert response["Content-Type"] == "application/fhir+json"
    return OperationOutcome.model_validate(response.json())


def _counts() -> tuple[int, int, int]:
    return Referral.objects.count(), Patient.objects.count(), TimelineEvent.objects.count()


def test_a_bundle_becomes_a_submitted_referral_as_the_form_makes_it(api: Api, gp: User) -> None:
    response = api.post("/fhir/", referral_bundle(rpps=gp.rpps))

    assert response.status_code == 200, response.json()
    result = Bundle.model_validate(response.json())
    assert result.type == "transaction-response"
    referral = Referral.objects.get()
    assert referral.gp == gp
    assert referral.status == Status.SUBMITTED
    assert referral.verdict == "eligible_ideal"  # the engine ran, as on submission
    assert referral.antithrombotics == ["clopidogrel"]
    assert referral.pain_nrs == 8
    assert referral.platelets == 250
    assert referral.analgesics_failed and referral.mri_available and referral.ct_available
    assert referral.clinical_note == "Chute de sa hauteur, douleur invalidante."
    assert [lv.level for lv in referral.levels_in_order()] == ["L1"]
    assert referral.identity_as_entered["birth_name"] == "Rousseau"
    assert referral.identity_as_entered["first_names"] == "Jeanne Marie"
    actions = list(referral.events.values_list("action", flat=True))
    assert actions == ["referral.created", "referral.submitted"]
    locations = [e.response.location for e in result.entry if e.response.location]
    assert locations == [
        f"Patient/{referral.patient_id}",
        f"ServiceRequest/{referral.pk}",
        f"Task/{referral.pk}",
    ]
    task = Task.model_validate(
        next(e["resource"] for e in response.json()["entry"] if "Task" in str(e.get("resource")))
    )
    assert task.status == "requested"
    assert task.focus.reference == f"ServiceRequest/{referral.pk}"
    assert task.owner.identifier.system == codes.FINESS_SYSTEM


def _refused(api: Api, bundle: dict[str, Any]) -> OperationOutcome:
    before = _counts()
    response = api.post("/fhir/", bundle)
    assert response.status_code in (400, 422), response.content
    assert _counts() == before, "a refused Bundle created something"
    return _outcome(response)


def test_a_bundle_without_a_level_is_refused_with_the_forms_message(api: Api, gp: User) -> None:
    outcome = _refused(api, referral_bundle(rpps=gp.rpps, conditions=[]))

    messages = {i.diagnostics: i.expression for i in outcome.issue}
    assert messages == {
        "Indiquez au moins un niveau fracturé pour adresser la demande.": [
            "Bundle.entry.resource.ofType(Condition)"
        ]
    }


def test_an_unknown_vertebra_code_is_refused_at_its_coding(api: Api, gp: User) -> None:
    wrong = condition()
    wrong["bodySite"][0]["coding"][0]["code"] = "999999"
    outcome = _refused(api, referral_bundle(rpps=gp.rpps, conditions=[wrong]))

    issue = outcome.issue[0]
    assert issue.diagnostics == "Niveau inconnu : choisissez un niveau de C1 à S."
    assert issue.expression == ["Bundle.entry[3].resource.bodySite[0].coding[0].code"]


def test_an_unknown_atc_code_is_refused(api: Api, gp: User) -> None:
    outcome = _refused(api, referral_bundle(rpps=gp.rpps, extra=[medication("N02BE01")]))

    assert len(outcome.issue) == 1
    assert outcome.issue[0].code == "code-invalid"
    assert "N02BE01" in outcome.issue[0].diagnostics
    assert outcome.issue[0].expression == [
        "Bundle.entry[10].resource.medicationCodeableConcept.coding[0].code"
    ]


def test_a_nir_with_a_bad_key_is_refused_at_the_identifier(api: Api, gp: User) -> None:
    bundle = referral_bundle(rpps=gp.rpps)
    nir = entry(bundle, "Patient")["identifier"][0]
    nir["value"] = nir["value"][:13] + ("00" if nir["value"][13:] != "00" else "01")
    outcome = _refused(api, bundle)

    assert [i.expression for i in outcome.issue] == [
        ["Bundle.entry[0].resource.identifier[0].value"]
    ]
    assert "clé" in outcome.issue[0].diagnostics.lower()


def test_another_gps_patient_cannot_be_referenced(api: Api, gp: User, other_gp: User) -> None:
    theirs = submitted_referral(gp=other_gp)
    bundle = referral_bundle(rpps=gp.rpps)
    entry(bundle, "ServiceRequest")["subject"] = {"reference": f"Patient/{theirs.patient_id}"}
    outcome = _refused(api, bundle)
    unknown = referral_bundle(rpps=gp.rpps)
    entry(unknown, "ServiceRequest")["subject"] = {"reference": "Patient/987654"}
    outcome_unknown = _refused(api, unknown)

    assert outcome.issue[0].expression == ["Bundle.entry[2].resource.subject"]
    # The same words whether that patient exists or not: nothing leaks.
    assert outcome.model_dump() == outcome_unknown.model_dump()


def test_a_practitioner_other_than_the_clients_gp_is_refused(api: Api, gp: User) -> None:
    outcome = _refused(api, referral_bundle(rpps="19999999999"))

    assert outcome.issue[0].expression == ["Bundle.entry[1].resource.identifier[0].value"]
    assert outcome.issue[0].code == "forbidden"


def test_every_fault_is_named_at_once(api: Api, gp: User) -> None:
    bundle = referral_bundle(rpps=gp.rpps, extra=[medication("X99")])
    patient = entry(bundle, "Patient")
    patient["birthDate"] = "2090-01-01"
    del patient["gender"]
    _refused(api, bundle)  # an unknown code is refused before the forms run
    bundle = referral_bundle(rpps=gp.rpps)
    patient = entry(bundle, "Patient")
    patient["birthDate"] = "2090-01-01"
    patient["identifier"] = []
    del patient["gender"]
    outcome = _refused(api, bundle)

    where = sorted(i.expression[0] for i in outcome.issue)
    assert where == ["Bundle.entry[0].resource.birthDate", "Bundle.entry[0].resource.gender"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"resourceType": "Patient"}, 400),
        (
            {
                "resourceType": "Bundle",
                "type": "batch",
                "entry": [{"resource": {"resourceType": "Basic", "code": {}}}],
            },
            422,
        ),
        (
            {
                "resourceType": "Bundle",
                "type": "transaction",
                "entry": [{"resource": {"resourceType": "Patient", "birthDate": "1941-13-02"}}],
            },
            400,
        ),
    ],
)
def test_a_malformed_bundle_gets_an_operation_outcome(
    api: Api, body: dict[str, Any], status: int
) -> None:
    before = _counts()
    response = api.post("/fhir/", body)

    assert response.status_code == status
    assert _outcome(response).issue[0].severity == "error"
    assert _counts() == before


def test_the_same_patient_twice_asks_for_a_confirmation(api: Api, gp: User) -> None:
    assert api.post("/fhir/", referral_bundle(rpps=gp.rpps)).status_code == 200
    outcome = _refused(api, referral_bundle(rpps=gp.rpps))
    assert outcome.issue[0].code == "duplicate"

    confirmed = referral_bundle(rpps=gp.rpps)
    entry(confirmed, "ServiceRequest")["extension"] = [
        {"url": codes.CONFIRM_NEW_EXTENSION, "valueBoolean": True}
    ]
    assert api.post("/fhir/", confirmed).status_code == 200
    assert Referral.objects.filter(patient__isnull=False).values("patient").distinct().count() == 1


def test_the_subject_must_be_the_bundles_patient(api: Api, gp: User) -> None:
    bundle = referral_bundle(rpps=gp.rpps)
    assert entry(bundle, "ServiceRequest")["subject"]["reference"] == PATIENT
    del entry(bundle, "ServiceRequest")["subject"]
    outcome = _refused(api, bundle)  # the R4B model requires it
    assert outcome.issue[0].expression == ["Bundle.entry[2].resource.subject"]


def test_an_entry_without_a_resource_type_is_refused_not_an_error(api: Api) -> None:
    bundle = referral_bundle()
    bundle["entry"][0]["resource"]["resourceType"] = ""

    response = api.post("/fhir/", bundle)

    assert response.status_code == 400
    assert _outcome(response).issue[0].expression == ["Bundle.entry"]
    assert not Referral.objects.exists()
