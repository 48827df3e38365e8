"""The documents of a referral its GP may read in the web app, and no others: the attachments, the
letter of the decision in force (and its surgical letter), the convocation of the booking in
force, and once the procedure report is signed, that report and the discharge letter. Each is a
DocumentReference (`<kind>-<pk>`) and a Binary of the same id; the PDFs are rendered by the same
code as the GP's downloads."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.http import Http404
from django.utils import timezone, translation

from fhir_api import codes
from fhir_api.resources import instant, patient_reference
from procedures import documents as procedure_documents
from procedures.models import ProcedureReport
from procedures.selectors import report_of
from referrals.choices import DecisionKind
from referrals.models import Attachment, Decision, Referral
from referrals.selectors import attachments_of
from reports.documents import letter_context, surgical_letter_context
from reports.pdf import render_pdf
from scheduling.documents import convocation_pdf
from scheduling.models import ACTIVE_BOOKING_STATUSES, Booking

ID_PATTERN = re.compile(
    r"^(attachment|decision-letter|surgical-letter|convocation|procedure-report|discharge-letter)"
    r"-(\d{1,18})$"
)


@dataclass(frozen=True)
class Document:
    id: str
    kind: str  # Cimento's document-kind code
    title: str
    content_type: str
    created: datetime
    what: str  # the access log's name for it (clinic.audit.WHAT_LABELS), as the web download
    content: Callable[[], bytes]


def documents_of(referral: Referral) -> list[Document]:
    documents = [_attachment(a) for a in attachments_of(referral)]
    decision = referral.current_decision
    if decision is not None:
        decision.referral = referral
        documents.append(
            Document(
                id=f"decision-letter-{decision.pk}",
                kind="decision_letter",
                title="Courrier de décision",
                content_type="application/pdf",
                created=decision.decided_at,
                what="pdf.decision_letter",
                content=partial(_pdf, "reports/decision_letter.html", letter_context, decision),
            )
        )
        if decision.kind == DecisionKind.REDIRECT_SURGERY:
            documents.append(
                Document(
                    id=f"surgical-letter-{decision.pk}",
                    kind="surgical_letter",
                    title="Courrier d'orientation chirurgicale",
                    content_type="application/pdf",
                    created=decision.decided_at,
                    what="pdf.surgical_letter",
                    content=partial(
                        _pdf, "reports/surgical_letter.html", surgical_letter_context, decision
                    ),
                )
            )
    booking = (
        Booking.objects.filter(referral=referral, status__in=ACTIVE_BOOKING_STATUSES)
        .select_related("session", "referral__current_decision")
        .first()
    )
    if booking is not None:
        documents.append(
            Document(
                id=f"convocation-{booking.pk}",
                kind="convocation",
                title=f"Convocation du {booking.session.date:%d/%m/%Y}",
                content_type="application/pdf",
                created=booking.booked_at,
                what="pdf.convocation",
                content=partial(_convocation, booking, referral),
            )
        )
    report = report_of(referral)
    if report is not None:
        documents += [
            Document(
                id=f"procedure-report-{report.pk}",
                kind="procedure_report",
                title="Compte rendu opératoire",
                content_type="application/pdf",
                created=report.signed_at,
                what="pdf.procedure_report",
                content=partial(procedure_documents.report_pdf, referral),
            ),
            Document(
                id=f"discharge-letter-{report.pk}",
                kind="discharge_letter",
                title="Lettre de liaison",
                content_type="application/pdf",
                created=report.signed_at,
                what="pdf.discharge_letter",
                content=partial(procedure_documents.discharge_pdf, referral),
            ),
        ]
    return documents


def _attachment(attachment: Attachment) -> Document:
    def content() -> bytes:
        try:
            with attachment.file.open("rb") as handle:
                return bytes(handle.read())
        except FileNotFoundError:
            raise Http404 from None

    return Document(
        id=f"attachment-{attachment.pk}",
        kind=attachment.kind,
        title=attachment.original_name,
        content_type=attachment.content_type,
        created=attachment.uploaded_at,
        what="attachment",
        content=content,
    )


def _pdf(template: str, context: Callable[..., dict[str, Any]], decision: Decision) -> bytes:
    with translation.override("fr"):
        return render_pdf(template, context(decision, today=timezone.localdate()))


def _convocation(booking: Booking, referral: Referral) -> bytes:
    booking.referral = referral
    with translation.override("fr"):
        return convocation_pdf(booking)


def referral_id_of(document_id: str) -> int | None:
    """The referral a document id belongs to (None: no such document)."""
    match = ID_PATTERN.match(document_id)
    if match is None:
        return None
    kind, pk = match.group(1), int(match.group(2))
    model: Any = {
        "attachment": Attachment,
        "convocation": Booking,
        "procedure-report": ProcedureReport,
        "discharge-letter": ProcedureReport,
    }.get(kind, Decision)
    return model.objects.filter(pk=pk).values_list("referral_id", flat=True).first()


def document_reference(document: Document, referral: Referral) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "id": document.id,
        "status": "current",
        "type": {
            "coding": [{"system": codes.DOCUMENT_KIND_SYSTEM, "code": document.kind}],
            "text": document.title,
        },
        "subject": patient_reference(referral),
        "date": instant(document.created),
        "content": [
            {
                "attachment": {
                    "contentType": document.content_type,
                    "url": f"Binary/{document.id}",
                    "title": document.title,
                }
            }
        ],
        "context": {"related": [{"reference": f"ServiceRequest/{referral.pk}"}]},
    }
