"""What a card offers to do (CDS Hooks 2.0 `suggestions` and `links`), from the finding's actions:

- an examination the engine asks for (B-IMAGING's CT, MRI, bone scan) is a suggestion to `create`
  its draft ServiceRequest, for the same patient;
- a contraindication (a critical card) is a suggestion to change the order: `delete` the
  vertebroplasty draft, and `create` the surgical or oncology referral the rule calls for, if any;
- the link opens the GP's referral of this patient in Cimento when there is one (the patient's
  INS-NIR in the prefetch), else the referral form.

The examinations are coded in Cimento's own code system with their French text: no standard
code was chosen without a terminology server to check it, and an EHR orders from the text."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from clinic.models import User
from eligibility.engine import Finding
from fhir_api import codes
from referrals.models import Referral

ORDER_SYSTEM = f"{codes.CIMENTO}/CodeSystem/cds-order"


def _orders() -> dict[str, str]:
    return {
        "book_ct": _("Scanner du rachis"),
        "book_mri": _("IRM du rachis"),
        "book_bone_scan": _("Scintigraphie osseuse"),
        "surgical_opinion": _("Avis chirurgical du rachis"),
        "urgent_surgical_opinion": _("Avis chirurgical urgent du rachis"),
        "oncology_pathway": _("Avis en filière oncologique"),
    }


EXAMS = ("book_ct", "book_mri", "book_bone_scan")
INSTEAD = ("urgent_surgical_opinion", "surgical_opinion", "oncology_pathway")


def _draft(action: str, order: dict[str, Any], finding: Finding) -> dict[str, Any]:
    text = _orders()[action]
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "priority": "urgent" if action == "urgent_surgical_opinion" else "routine",
        "code": {
            "coding": [{"system": ORDER_SYSTEM, "code": action, "display": text}],
            "text": text,
        },
        "reasonCode": [{"text": f"Cimento {finding.rule}"}],
    }
    if isinstance(order.get("subject"), dict):
        resource["subject"] = order["subject"]
    return resource


def _suggestion(label: str, actions: list[dict[str, Any]], *, recommended: bool) -> dict[str, Any]:
    return {
        "label": label,
        "uuid": str(uuid.uuid4()),
        "isRecommended": recommended,
        "actions": actions,
    }


def suggestions(finding: Finding, order: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The suggestions of one finding's card, about the vertebroplasty draft `order`."""
    if order is None:
        return []
    found = []
    for action in finding.actions:
        if action in EXAMS:
            text = _orders()[action]
            create = {
                "type": "create",
                "description": _("Ajouter la demande : %(exam)s.") % {"exam": text},
                "resource": _draft(action, order, finding),
            }
            found.append(_suggestion(text, [create], recommended=True))
    critical = finding.effect in ("not_eligible", "surgical_referral")
    if critical and order.get("id"):
        delete = {
            "type": "delete",
            "description": _("Retirer la demande de vertébroplastie."),
            "resourceId": f"ServiceRequest/{order['id']}",
        }
        instead = next((a for a in INSTEAD if a in finding.actions), None)
        if instead is not None:
            text = _orders()[instead]
            create = {
                "type": "create",
                "description": _("Demander à la place : %(order)s.") % {"order": text},
                "resource": _draft(instead, order, finding),
            }
            label = _("Remplacer par : %(order)s") % {"order": text}
            found.append(_suggestion(label, [delete, create], recommended=True))
        else:
            label = _("Retirer la demande de vertébroplastie")
            found.append(_suggestion(label, [delete], recommended=False))
    return found


def _nir(patient: Any) -> str:
    if not isinstance(patient, dict):
        return ""
    for identifier in patient.get("identifier") or []:
        if isinstance(identifier, dict) and identifier.get("system") == codes.NIR_SYSTEM:
            return str(identifier.get("value") or "").replace(" ", "")
    return ""


def referral_link(request_base: str, gp: User, patient: Any) -> dict[str, str]:
    """The card's link: the GP's latest referral of this patient in Cimento, else the form."""
    nir = _nir(patient)
    referral = None
    if nir:
        referral = (
            Referral.objects.filter(gp=gp, patient__nir=nir)
            .exclude(status="discarded")
            .order_by("-created_at", "-pk")
            .only("pk")
            .first()
        )
    if referral is not None:
        url = reverse("referrals:gp_referral_detail", args=[referral.pk])
        label = _("Ouvrir la demande dans Cimento")
    else:
        url = reverse("referrals:gp_referral_new")
        label = _("Adresser le patient dans Cimento")
    return {"label": label, "url": request_base + url, "type": "absolute"}
