"""The whole journey with fhirpy, a real FHIR client, against the live server: a client is
created, gets a token, posts the Bundle, follows its Task to accepted and in-progress (scheduled)
as the radiologist and the secretary act in the web app, then fetches the convocation through
DocumentReference and Binary. The Bundle carries the CT report; the patient is read back. Not a
browser test: it runs in the normal suite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

import pytest
import requests
import time_machine
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.binary import Binary
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.task import Task
from fhirpy import SyncFHIRClient

from clinic.models import User
from fhir_api import codes
from fhir_api.clients import api_client_create
from scheduling.models import DaySession
from tests.conftest import client_for
from tests.fhir_api.bundles import referral_bundle
from tests.fhir_api.test_bundle_documents import document
from tests.referrals.form_data import PDF_BYTES

FRIDAY = "2026-12-04 09:00 +01:00"
SESSION_DAY = date(2026, 12, 14)  # a Monday, after clopidogrel's hold, inside the ideal window


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(FRIDAY, tick=False):
        yield


def _token(base: str, client_id: str, secret: str) -> str:
    response = requests.post(
        f"{base}/o/token/",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _task(fhir: SyncFHIRClient, pk: str) -> Task:
    return Task.model_validate(fhir.reference("Task", pk).to_resource().serialize())


@pytest.mark.django_db(transaction=True)
def test_a_practice_software_refers_and_follows_with_fhirpy(
    live_server: object, frozen: None, gp: User, radiologist: User, secretary: User
) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    created = api_client_create(gp=gp, name="Logiciel du cabinet", scopes=[
        "system/ServiceRequest.write", "system/ServiceRequest.read", "system/Task.read",
        "system/Appointment.read", "system/DocumentReference.read", "system/Binary.read",
        "system/Patient.read",
    ])  # fmt: skip
    token = _token(base, created.client_id, created.client_secret)
    fhir = SyncFHIRClient(f"{base}/fhir", authorization=f"Bearer {token}")

    ct_report = document("25045-6", title="Scanner du rachis.pdf")
    answer = Bundle.model_validate(
        fhir.execute("", method="post", data=referral_bundle(rpps=gp.rpps, extra=[ct_report]))
    )
    locations = [e.response.location or "" for e in answer.entry]
    pk = next(loc for loc in locations if loc.startswith("Task/")).split("/")[1]
    assert _task(fhir, pk).status == "requested"

    # The patient reads back as sent (FR Core, INS-NIR), the CT report is the referral's.
    patient_ref = next(loc for loc in locations if loc.startswith("Patient/"))
    patient = Patient.model_validate(
        fhir.reference(reference=patient_ref).to_resource().serialize()
    )
    assert patient.identifier[0].system == codes.NIR_SYSTEM
    assert (patient.name[0].family, patient.gender) == ("Rousseau", "female")
    report_ref = next(loc for loc in locations if loc.startswith("DocumentReference/"))
    report = DocumentReference.model_validate(
        fhir.reference(reference=report_ref).to_resource().serialize()
    )
    assert report.type.coding[0].code == "ct_report"
    sent = Binary.model_validate(
        fhir.reference(reference=report.content[0].attachment.url).to_resource().serialize()
    )
    assert sent.data == PDF_BYTES

    # The radiologist opens the referral: received; then accepts it in the web app.
    radiology: Client = client_for(radiologist)
    assert radiology.get(reverse("referrals:radiology_referral", args=[pk])).status_code == 200
    assert _task(fhir, pk).status == "received"
    accepted = radiology.post(
        reverse("referrals:accept", args=[pk]),
        {"levels_to_treat": ["L1"], "stay": "day_hospital", "anaesthesia": "local"},
    )
    assert accepted.status_code == 302
    task = _task(fhir, pk)
    assert task.status == "accepted"
    assert task.businessStatus.coding[0].system == codes.REFERRAL_STATUS_SYSTEM
    changed = fhir.resources("Task").search(_lastUpdated=f"gt{task.meta.lastUpdated.isoformat()}")
    assert changed.fetch() == []

    # The secretary books it.
    session = DaySession.objects.create(
        date=SESSION_DAY, room="Salle 1", radiologist=radiologist, start_time=time(8, 0),
        end_time=time(13, 0), procedure_minutes=240, day_places=4, created_by=secretary,
    )  # fmt: skip
    booked = client_for(secretary).post(
        reverse("scheduling:book", args=[pk]), {"session": session.pk, "contact_channel": "none"}
    )
    assert booked.status_code == 302, booked.content.decode()[:2000]
    task = _task(fhir, pk)
    assert task.status == "in-progress"
    assert task.businessStatus.coding[0].code == "scheduled"
    appointment_ref = task.output[0].valueReference.reference
    appointment = Appointment.model_validate(
        fhir.reference(reference=appointment_ref).to_resource().serialize()
    )
    assert appointment.status == "booked"
    assert appointment.start.date() == SESSION_DAY

    # The convocation, through DocumentReference then Binary.
    found = fhir.resources("DocumentReference").search(related=f"ServiceRequest/{pk}").fetch()
    documents = [DocumentReference.model_validate(d.serialize()) for d in found]
    convocation = next(d for d in documents if d.type.coding[0].code == "convocation")
    url = convocation.content[0].attachment.url
    binary = Binary.model_validate(fhir.reference(reference=url).to_resource().serialize())
    assert binary.contentType == "application/pdf"
    assert binary.data.startswith(b"%PDF")  # fhir.resources decodes the base64
