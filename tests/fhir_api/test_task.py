"""The Task follows the referral: on-hold with the radiologist's question, rejected with the
reason, cancelled with the GP's, completed with its Appointment and documents; and the discovery
documents parse as what they claim to be."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
import time_machine
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.task import Task

from clinic.models import User
from fhir_api import codes
from referrals.services.decisions import decline_referral, redirect_to_surgery, request_information
from referrals.services.withdrawal import referral_withdraw
from scheduling.services.bookings import booking_mark_arrived
from tests.fhir_api.conftest import Api
from tests.procedures.helpers import done_after_checklist, signed_report
from tests.referrals.radiology import submitted_referral
from tests.security.world import SESSION_DAY, World


def _task(api: Api, pk: int) -> Task:
    response = api.get(f"/fhir/Task/{pk}")
    assert response.status_code == 200, response.content
    return Task.model_validate(response.json())


def test_information_requested_puts_the_task_on_hold_with_the_question(
    api: Api, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(gp=gp)
    request_information(
        referral=referral, by=radiologist, message_to_gp="Date de l'IRM ?", notify_gp=False
    )

    task = _task(api, referral.pk)

    assert task.status == "on-hold"
    assert task.statusReason.text == "Date de l'IRM ?"
    assert task.businessStatus.coding[0].code == "info_requested"


def test_a_declined_or_surgical_referral_is_rejected_with_its_reason(
    api: Api, gp: User, radiologist: User
) -> None:
    declined, surgical = submitted_referral(gp=gp), submitted_referral(gp=gp)
    why = "Avis clinique"  # the engine advised otherwise: the radiologist says why
    decline_referral(
        referral=declined,
        by=radiologist,
        reason="Fracture ancienne consolidée",
        justification=why,
        notify_gp=False,
    )
    redirect_to_surgery(
        referral=surgical,
        by=radiologist,
        reason="Arc postérieur",
        justification=why,
        notify_gp=False,
    )

    assert (_task(api, declined.pk).status, _task(api, declined.pk).statusReason.text) == (
        "rejected",
        "Fracture ancienne consolidée",
    )
    task = _task(api, surgical.pk)
    assert task.status == "rejected"
    assert task.businessStatus.coding[0].code == "surgical_referral"


def test_a_withdrawn_referral_is_cancelled_with_the_gps_reason(api: Api, gp: User) -> None:
    referral = submitted_referral(gp=gp)
    referral_withdraw(referral=referral, by=gp, reason="Le patient a renoncé")

    task = _task(api, referral.pk)

    assert (task.status, task.statusReason.text) == ("cancelled", "Le patient a renoncé")


def test_a_done_referral_completes_its_task_with_appointment_and_documents(
    world: World, gp: User, secretary: User, api_for: Callable[..., Api]
) -> None:
    with time_machine.travel(f"{SESSION_DAY.isoformat()} 08:30 +01:00", tick=False):
        booking_mark_arrived(booking=world.booking, by=secretary)
        done_after_checklist(booking=world.booking, by=secretary)
        task = _task(api_for(gp), world.scheduled.pk)

    assert task.status == "completed"
    outputs = [o.valueReference.reference for o in task.output]
    assert outputs[0] == f"Appointment/{world.booking.pk}"
    assert f"DocumentReference/decision-letter-{world.decision.pk}" in outputs
    # The desk noted the procedure; no report signed yet, so no discharge letter to hand over.
    assert not any("discharge-letter" in reference for reference in outputs)


def test_a_signed_report_completes_the_task_with_the_discharge_letter(
    gp: User, secretary: User, radiologist: User, api_for: Callable[..., Api]
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist, gp=gp)

    task = _task(api_for(gp), report.referral_id)

    assert task.status == "completed"
    outputs = [o.valueReference.reference for o in task.output]
    assert f"DocumentReference/discharge-letter-{report.pk}" in outputs
    assert f"DocumentReference/procedure-report-{report.pk}" in outputs
    letter = api_for(gp).get(
        f"/fhir/Binary/discharge-letter-{report.pk}", HTTP_ACCEPT="application/pdf"
    )
    assert letter.status_code == 200
    assert letter.content.startswith(b"%PDF")


def test_metadata_is_an_r4_capability_statement(client: object) -> None:
    from django.test import Client

    response = Client().get("/fhir/metadata")

    statement = CapabilityStatement.model_validate(response.json())
    assert statement.fhirVersion == "4.0.1"
    assert {r.type for r in statement.rest[0].resource} == {
        "ServiceRequest", "Task", "Appointment", "DocumentReference", "Binary", "Patient",
        "Practitioner",
    }  # fmt: skip
    smart = Client().get("/fhir/.well-known/smart-configuration").json()
    assert smart["grant_types_supported"] == ["client_credentials"]
    assert smart["token_endpoint"].endswith("/o/token/")


def test_the_patients_nir_is_given_with_its_ins_system(api: Api, gp: User) -> None:
    referral = submitted_referral(gp=gp)
    referral.identity_as_entered = {"birth_name": "Rousseau", "nir": "241037512345678"}
    referral.save(update_fields=["identity_as_entered"])

    task = _task(api, referral.pk)

    assert task.for_fhir.identifier.system == codes.NIR_SYSTEM


@pytest.mark.parametrize(
    "since", ["gt0153-06-12T01:01:43+22:36", "gt2026-02-30T10:00:00Z", "gthier", "gt2026-12-0"]
)
def test_an_impossible_last_updated_is_a_400_naming_the_parameter(api: Api, since: str) -> None:
    """Not a 500: PostgreSQL refuses offsets beyond ±14 h, Python a 30 February."""
    response = api.get(f"/fhir/Task?_lastUpdated={quote(since)}")

    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert "_lastUpdated" in str(outcome)
