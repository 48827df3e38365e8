"""The read-access log: who opened which patient's data, when, granted or refused.

Object fetch helpers (referrals/access.py) call `log_access` where access is decided, for pages,
attachments and documents; a role refused a page about one object is logged too (clinic/roles.py).
Instants are stored in UTC.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import AccessLog

# What was opened, as `AccessLog.what` records it, and how the access-log page names it.
WHAT_LABELS: dict[str, Any] = {
    "referral": _("Demande (page)"),
    "referral.edit": _("Demande (formulaire du médecin)"),
    "referral.decision": _("Demande (formulaire de décision)"),
    "referral.scheduling": _("Demande (programmation)"),
    "referral.identity": _("Demande (vérification d’identité)"),
    "referral.discard": _("Demande (suppression du brouillon)"),
    "referral.withdraw": _("Demande (annulation par le médecin)"),
    "booking": _("Rendez-vous"),
    "imaging": _("Rendez-vous d’imagerie"),
    "attachment": _("Pièce jointe"),
    "attachment.remove": _("Pièce jointe (retrait)"),
    "pdf.report": _("Rapport d’indication (PDF)"),
    "pdf.decision_letter": _("Courrier de décision (PDF)"),
    "pdf.surgical_letter": _("Courrier d’orientation chirurgicale (PDF)"),
    "pdf.convocation": _("Convocation (PDF)"),
    "ics.convocation": _("Rendez-vous (calendrier .ics)"),
    "pdf.imaging_letter": _("Lettre de rendez-vous d’imagerie (PDF)"),
    "ics.imaging": _("Rendez-vous d’imagerie (calendrier .ics)"),
    "export": _("Export des données du patient"),
    "access_log.search": _("Recherche dans le journal des accès"),
    "patient.search": _("Recherche de patient"),
    "procedure": _("Le geste (check-list, compte rendu)"),
    "procedure.report": _("Compte rendu opératoire (formulaire)"),
    "pdf.procedure_report": _("Compte rendu opératoire (PDF)"),
    "pdf.discharge_letter": _("Lettre de liaison (PDF)"),
    "followup": _("Suivi après le geste"),
    # The same reads through the FHIR API (fhir_api/), by a client acting for the GP.
    "fhir.task": _("Suivi de la demande (API FHIR)"),
    "fhir.service_request": _("Demande (API FHIR)"),
    "fhir.appointment": _("Rendez-vous (API FHIR)"),
    "fhir.documents": _("Liste des documents (API FHIR)"),
    "fhir.binary": _("Document (API FHIR)"),
    "fhir.patient": _("Patient (API FHIR)"),
    "fhir.practitioner": _("Médecin (API FHIR)"),
    "notification.retry": _("Message (renvoi par le secrétariat)"),
}
ROLE_REFUSAL_LABEL = _("Page réservée à un autre rôle")


def what_label(what: str) -> str:
    if what.startswith("role:"):
        return f"{ROLE_REFUSAL_LABEL} ({what.removeprefix('role:')})"
    return str(WHAT_LABELS.get(what, what))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as django-axes reads it (one place for the proxy settings)."""
    return get_client_ip_address(request) or None


def log_access(
    request: HttpRequest,
    *,
    what: str,
    referral: Any = None,
    object_id: int | None = None,
    granted: bool = True,
) -> AccessLog:
    """Record one access. `what` names the kind of data (a key of WHAT_LABELS)."""
    user = request.user if request.user.is_authenticated else None
    return AccessLog.objects.create(
        at=timezone.now(),
        user=user,
        patient_id=getattr(referral, "patient_id", None),
        referral_id=getattr(referral, "pk", None),
        what=what,
        object_id=object_id,
        outcome=AccessLog.Outcome.GRANTED if granted else AccessLog.Outcome.REFUSED,
        ip_address=client_ip(request),
    )


def log_search(
    request: HttpRequest, *, query: str, patient_ids: list[int], what: str = "access_log.search"
) -> None:
    """Record an access-log search: one row per patient whose history it showed (so that the
    patient's own history says who looked at it), one without a patient when none matched."""
    now, ip = timezone.now(), client_ip(request)
    shown: list[int | None] = [*patient_ids] or [None]
    AccessLog.objects.bulk_create(
        AccessLog(
            at=now,
            user=request.user if request.user.is_authenticated else None,
            patient_id=patient_id,
            what=what,
            search=query[:100],
            outcome=AccessLog.Outcome.GRANTED,
            ip_address=ip,
        )
        for patient_id in shown
    )


def log_patient_search(request: HttpRequest, *, query: str, patient_ids: list[int]) -> None:
    """A patient search of the lists: what was typed, and each patient it showed."""
    log_search(request, query=query, patient_ids=patient_ids, what="patient.search")
