"""The FHIR endpoints: thin, as every view here. Each fetches through referrals.access (another
GP's object is a 404, every read is in the access log), then builds the resource (fhir/resources.py,
fhir/documents.py) or calls the service (fhir/services.py)."""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clinic.audit import log_access
from clinic.models import User
from fhir_api import discovery
from fhir_api.auth import fhir_endpoint, public_endpoint
from fhir_api.documents import document_reference, documents_of, referral_id_of
from fhir_api.http import FhirRefused, Issue, fhir_response, json_body
from fhir_api.people import patient, patient_referral_for, practitioner, practitioner_for
from fhir_api.resources import appointment, service_request, task
from fhir_api.search import referrals_for_search, searchset
from fhir_api.services import referral_from_bundle
from referrals.access import get_referral_for
from referrals.models import Referral
from scheduling.models import Booking


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@public_endpoint
@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(discovery.capability_statement(request))


@public_endpoint
@require_GET
def smart_configuration(request: HttpRequest) -> HttpResponse:
    response = fhir_response(discovery.smart_configuration(request))
    response["Content-Type"] = "application/json"
    return response


@fhir_endpoint("system/ServiceRequest.write", methods=("POST",))
def transaction(request: HttpRequest) -> HttpResponse:
    """A transaction Bundle describing one referral: it is submitted to the clinic as the web form
    would submit it, or refused with an OperationOutcome (nothing is created)."""
    payload = json_body(request)
    referred = referral_from_bundle(payload=payload, by=_user(request), today=timezone.localdate())
    referral = Referral.objects.select_related("gp", "current_decision").get(
        pk=referred.referral.pk
    )
    entries: list[dict[str, Any]] = []
    for index, entry in enumerate(payload["entry"]):
        kind = (entry.get("resource") or {}).get("resourceType")
        if kind in ("ServiceRequest", "Task"):
            resource = service_request(referral) if kind == "ServiceRequest" else task(referral)
            entries.append(
                {
                    "resource": resource,
                    "response": {
                        "status": "201 Created",
                        "location": f"{kind}/{referral.pk}",
                        "lastModified": resource["meta"]["lastUpdated"],
                    },
                }
            )
        elif index in referred.attachments:
            location = f"DocumentReference/attachment-{referred.attachments[index]}"
            entries.append({"response": {"status": "201 Created", "location": location}})
        elif kind == "Patient" and referral.patient_id:
            # The patient as this GP sent them, readable at Patient/{id}.
            entries.append(
                {"response": {"status": "200 OK", "location": f"Patient/{referral.patient_id}"}}
            )
        else:
            # Stored as part of the referral (its levels, facts; a Binary in its document).
            entries.append({"response": {"status": "200 OK"}})
    bundle = {"resourceType": "Bundle", "type": "transaction-response", "entry": entries}
    return fhir_response(bundle, status=200)


def _referral(request: HttpRequest, pk: int, what: str) -> Referral:
    referral = get_referral_for(request, pk, what=what)
    return Referral.objects.select_related("gp", "current_decision").get(pk=referral.pk)


@fhir_endpoint("system/Task.read")
def task_read(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, "fhir.task")
    return fhir_response(task(referral, documents=_document_refs(referral)))


@fhir_endpoint("system/Task.read")
def task_search(request: HttpRequest) -> HttpResponse:
    found = referrals_for_search(request, _user(request), allowed=("_lastUpdated",))
    resources = []
    for referral in found.page:
        log_access(request, what="fhir.task", referral=referral, object_id=referral.pk)
        resources.append(task(referral, documents=_document_refs(referral)))
    return fhir_response(searchset(request, found, resources, "Task"))


def _document_refs(referral: Referral) -> list[dict[str, Any]]:
    """The documents a done referral hands over with its Task (the discharge letter comes with
    issue 19); earlier Tasks point to their Appointment only."""
    if referral.status != "done":
        return []
    return [{"id": d.id} for d in documents_of(referral)]


@fhir_endpoint("system/ServiceRequest.read")
def service_request_read(request: HttpRequest, pk: int) -> HttpResponse:
    return fhir_response(service_request(_referral(request, pk, "fhir.service_request")))


@fhir_endpoint("system/ServiceRequest.read")
def service_request_search(request: HttpRequest) -> HttpResponse:
    found = referrals_for_search(request, _user(request), allowed=("requester", "_lastUpdated"))
    resources = []
    for referral in found.page:
        log_access(request, what="fhir.service_request", referral=referral, object_id=referral.pk)
        resources.append(service_request(referral))
    return fhir_response(searchset(request, found, resources, "ServiceRequest"))


@fhir_endpoint("system/Appointment.read")
def appointment_read(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=pk)
    booking.referral = _referral(request, booking.referral_id, "fhir.appointment")
    return fhir_response(appointment(booking))


@fhir_endpoint("system/DocumentReference.read")
def document_reference_search(request: HttpRequest) -> HttpResponse:
    related = request.GET.get("related", "")
    unknown = set(request.GET) - {"related", "_format"}
    if unknown or not related.startswith("ServiceRequest/") or not related[15:].isdigit():
        raise FhirRefused(
            [
                Issue(
                    _("Cherchez les documents d’une demande : related=ServiceRequest/<id>."),
                    "related",
                )
            ],
            status=400,
        )
    referral = _referral(request, int(related[15:]), "fhir.documents")
    resources = [document_reference(d, referral) for d in documents_of(referral)]
    return fhir_response(searchset(request, None, resources, "DocumentReference"))


@fhir_endpoint("system/DocumentReference.read")
def document_reference_read(request: HttpRequest, document_id: str) -> HttpResponse:
    """One document of the list above (the `location` a posted Bundle's documents answer)."""
    referral_id = referral_id_of(document_id)
    if referral_id is None:
        raise FhirRefused([Issue(_("Ressource introuvable."), code="not-found")], status=404)
    referral = _referral(request, referral_id, "fhir.documents")
    document = next((d for d in documents_of(referral) if d.id == document_id), None)
    if document is None:
        raise FhirRefused([Issue(_("Ressource introuvable."), code="not-found")], status=404)
    return fhir_response(document_reference(document, referral))


@fhir_endpoint("system/Patient.read")
def patient_read(request: HttpRequest, pk: int) -> HttpResponse:
    return fhir_response(patient(patient_referral_for(request, pk)))


@fhir_endpoint("system/Practitioner.read")
def practitioner_read(request: HttpRequest, pk: int) -> HttpResponse:
    return fhir_response(practitioner(practitioner_for(request, pk)))


@fhir_endpoint("system/Binary.read")
def binary_read(request: HttpRequest, document_id: str) -> HttpResponse:
    """A document's bytes: a Binary resource (JSON, base64), or the file itself when the client
    asks for its type (Accept: application/pdf)."""
    referral_id = referral_id_of(document_id)
    document = None
    if referral_id is not None:
        referral = (
            Referral.objects.select_related("gp", "current_decision").filter(pk=referral_id).first()
        )
        if referral is not None and referral.gp_id == _user(request).pk:
            document = next((d for d in documents_of(referral) if d.id == document_id), None)
    if document is None:
        # A document the GP may not read (an old letter, a cancelled convocation) is refused
        # after access would have been granted: logged as refused, like the web's downloads.
        referral = Referral.objects.filter(pk=referral_id).first() if referral_id else None
        log_access(request, what="fhir.binary", referral=referral, granted=False)
        raise FhirRefused([Issue(_("Ressource introuvable."), code="not-found")], status=404)
    assert referral is not None  # a document was found in it
    referral = _referral(request, referral.pk, document.what)
    content = document.content()
    if document.content_type in request.headers.get("Accept", ""):
        response = HttpResponse(content, content_type=document.content_type)
        response["Cache-Control"] = "no-store"
        response["Content-Disposition"] = f'attachment; filename="{document.id}"'
        return response
    binary = {
        "resourceType": "Binary",
        "id": document.id,
        "contentType": document.content_type,
        "data": base64.b64encode(content).decode("ascii"),
    }
    return fhir_response(binary)
