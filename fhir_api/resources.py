"""A referral as FHIR resources: its ServiceRequest, the Task that follows its status, the
Appointment of its booking (FHIR R4 4.0.1 JSON; docs/api.md has the tables)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clinic.models import AccessLog, Role
from fhir_api import codes
from referrals.choices import Status, TimelineAction
from referrals.models import Referral
from scheduling.models import Booking, BookingStatus

# The referral's status → (Task.status, ServiceRequest.status).
TASK_STATUS: dict[str, tuple[str, str]] = {
    Status.DRAFT: ("draft", "draft"),
    Status.SUBMITTED: ("requested", "active"),  # "received" once a radiologist opened it
    Status.INFO_REQUESTED: ("on-hold", "active"),
    Status.ACCEPTED: ("accepted", "active"),
    Status.DECLINED: ("rejected", "revoked"),
    Status.SURGERY: ("rejected", "revoked"),
    Status.SCHEDULED: ("in-progress", "active"),
    Status.ARRIVED: ("in-progress", "active"),
    Status.DONE: ("completed", "completed"),
    Status.CANCELLED: ("cancelled", "revoked"),
    Status.CLOSED: ("cancelled", "revoked"),
}
APPOINTMENT_STATUS: dict[str, str] = {
    BookingStatus.BOOKED: "booked",
    BookingStatus.ARRIVED: "arrived",
    BookingStatus.DONE: "fulfilled",
    BookingStatus.NO_SHOW: "noshow",
    BookingStatus.CANCELLED: "cancelled",
    BookingStatus.RESCHEDULED: "cancelled",
}
# The booking a Task points to: the one in force, or the one that was done.
OUTPUT_BOOKING_STATUSES = (BookingStatus.BOOKED, BookingStatus.ARRIVED, BookingStatus.DONE)


def instant(value: datetime) -> str:
    return value.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")


def parse_instant(raw: object) -> datetime | None:
    """An ISO 8601 instant with its time zone, or None. Real zones lie within ±14 h and years
    after 1900: PostgreSQL refuses a « +22:36 » offset (found by schemathesis), so such a value
    is bad input, not a server error; so is a well-formed impossible day (30 February)."""
    try:
        moment = parse_datetime(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    offset = moment.utcoffset() if moment is not None else None
    if moment is None or offset is None or abs(offset) > timedelta(hours=14) or moment.year < 1900:
        return None
    return moment


def clinic_reference() -> dict[str, Any]:
    return {
        "identifier": {"system": codes.FINESS_SYSTEM, "value": settings.CLINIC_FINESS},
        "display": settings.CLINIC_NAME,
    }


def practitioner_reference(referral: Referral) -> dict[str, Any]:
    gp = referral.gp
    reference: dict[str, Any] = {
        "reference": f"Practitioner/{gp.pk}",
        "display": gp.get_full_name() or gp.username,
    }
    if gp.rpps:
        reference["identifier"] = {"system": codes.RPPS_SYSTEM, "value": f"8{gp.rpps}"}
    return reference


def patient_reference(referral: Referral) -> dict[str, Any]:
    """The patient as this GP typed them (never the clinic's shared record, security row 29)."""
    typed = referral.identity_as_entered or {}
    name = " ".join(
        filter(None, [str(typed.get("birth_name", "")).upper(), typed.get("first_names", "")])
    )
    reference: dict[str, Any] = {"display": name}
    if referral.patient_id:
        reference["reference"] = f"Patient/{referral.patient_id}"  # fhir_api/people.py
    if typed.get("nir"):
        reference["identifier"] = {"system": codes.NIR_SYSTEM, "value": typed["nir"]}
    return reference


def received_at(referral: Referral) -> datetime | None:
    """When a radiologist first opened the submitted referral (the read-access log)."""
    return (
        AccessLog.objects.filter(
            referral_id=referral.pk,
            user__role=Role.RADIOLOGIST,
            outcome=AccessLog.Outcome.GRANTED,
            at__gte=referral.submitted_at or referral.created_at,
        )
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )


def last_updated(referral: Referral, received: datetime | None) -> datetime:
    return max(filter(None, [referral.updated_at, received]))


def service_request(referral: Referral) -> dict[str, Any]:
    levels = referral.levels_in_order()
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {"lastUpdated": instant(referral.updated_at)},
        "status": TASK_STATUS[referral.status][1],
        "intent": "order",
        "code": {
            "coding": [
                {
                    "system": codes.SNOMED,
                    "code": codes.VERTEBROPLASTY[0],
                    "display": codes.VERTEBROPLASTY[1],
                }
            ],
            "text": "Cimentoplastie vertébrale",
        },
        "subject": patient_reference(referral),
        "requester": practitioner_reference(referral),
        "performer": [clinic_reference()],
        "bodySite": [
            {
                "coding": [{"system": codes.SNOMED, "code": codes.LEVEL_SNOMED[lv.level]}],
                "text": lv.level,
            }
            for lv in levels
            if lv.level in codes.LEVEL_SNOMED
        ],
    }
    if referral.submitted_at:
        resource["authoredOn"] = instant(referral.submitted_at)
    if referral.urgent:
        resource["priority"] = "urgent"
    return resource


def _reason(referral: Referral) -> str:
    """Why the Task is on hold, rejected or cancelled, in the words the GP's page shows."""
    decision = referral.current_decision
    if referral.status == Status.INFO_REQUESTED and decision is not None:
        return decision.message_to_gp
    if referral.status in (Status.DECLINED, Status.SURGERY) and decision is not None:
        return decision.reason
    if referral.status in (Status.CANCELLED, Status.CLOSED):
        action = (
            TimelineAction.WITHDRAWN
            if referral.status == Status.CANCELLED
            else TimelineAction.CLOSED
        )
        event = referral.events.filter(action=action).order_by("-at", "-id").first()
        return str(event.data.get("reason", "")) if event is not None else ""
    return ""


def output_booking(referral: Referral) -> Booking | None:
    return (
        Booking.objects.filter(referral=referral, status__in=OUTPUT_BOOKING_STATUSES)
        .select_related("session")
        .order_by("-id")
        .first()
    )


def task(referral: Referral, *, documents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    received = received_at(referral) if referral.status == Status.SUBMITTED else None
    status = TASK_STATUS[referral.status][0]
    if status == "requested" and received is not None:
        status = "received"
    business = referral.status
    if referral.status == Status.SURGERY:
        business = "surgical_referral"
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": {"lastUpdated": instant(last_updated(referral, received))},
        "status": status,
        "businessStatus": {
            "coding": [
                {
                    "system": codes.REFERRAL_STATUS_SYSTEM,
                    "code": business,
                    "display": str(Status(referral.status).label),
                }
            ]
        },
        "intent": "order",
        "focus": {"reference": f"ServiceRequest/{referral.pk}"},
        "for": patient_reference(referral),
        "requester": practitioner_reference(referral),
        "owner": clinic_reference(),
        "lastModified": instant(last_updated(referral, received)),
    }
    if referral.submitted_at:
        resource["authoredOn"] = instant(referral.submitted_at)
    reason = _reason(referral)
    if reason:
        resource["statusReason"] = {"text": reason}
    outputs: list[dict[str, Any]] = []
    booking = (
        output_booking(referral)
        if referral.status in (Status.SCHEDULED, Status.ARRIVED, Status.DONE)
        else None
    )
    if booking is not None:
        outputs.append(_output("appointment", {"reference": f"Appointment/{booking.pk}"}))
    for document in documents or []:
        outputs.append(_output("document", {"reference": f"DocumentReference/{document['id']}"}))
    if outputs:
        resource["output"] = outputs
    return resource


def _output(kind: str, reference: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": {"coding": [{"system": f"{codes.CIMENTO}/CodeSystem/task-output", "code": kind}]},
        "valueReference": reference,
    }


def appointment(booking: Booking) -> dict[str, Any]:
    start = timezone.make_aware(datetime.combine(booking.session.date, booking.start_time))
    arrival = booking.arrival_time.strftime("%H:%M")
    return {
        "resourceType": "Appointment",
        "id": str(booking.pk),
        "status": APPOINTMENT_STATUS[booking.status],
        "serviceType": [{"text": "Cimentoplastie vertébrale"}],
        "description": f"Cimentoplastie vertébrale, {settings.CLINIC_NAME}",
        "start": instant(start),
        "end": instant(start + timedelta(minutes=booking.minutes)),
        "minutesDuration": booking.minutes,
        "comment": f"Arrivée du patient à {arrival}",
        "basedOn": [{"reference": f"ServiceRequest/{booking.referral_id}"}],
        "participant": [
            {"actor": patient_reference(booking.referral), "status": "accepted"},
            {"actor": clinic_reference(), "status": "accepted"},
        ],
    }
