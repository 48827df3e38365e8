"""French labels of timeline events (dotted action names), shown on referral pages."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, Promise] = {
    "referral.created": _("Brouillon créé"),
    "referral.draft_saved": _("Brouillon enregistré"),
    "referral.submitted": _("Demande adressée à la clinique"),
    "referral.resubmitted": _("Demande complétée et renvoyée"),
    "referral.facts_changed": _("Données cliniques modifiées, éligibilité recalculée"),
    "referral.attachment_added": _("Pièce jointe ajoutée"),
    "referral.attachment_removed": _("Pièce jointe retirée"),
    "referral.information_requested": _("Informations demandées au médecin"),
    "referral.accepted": _("Indication acceptée"),
    "referral.declined": _("Indication refusée"),
    "referral.redirected_to_surgery": _("Orientée vers un avis chirurgical"),
    "referral.gp_notified": _("Médecin prévenu par e-mail"),
    "referral.identity_checked": _("Identité du patient vérifiée par la clinique"),
    "referral.discarded": _("Brouillon supprimé par le médecin"),
    "referral.withdrawn": _("Demande annulée par le médecin adresseur"),
    "booking.created": _("Rendez-vous programmé"),
    "booking.rescheduled": _("Rendez-vous déplacé"),
    "booking.cancelled": _("Rendez-vous annulé"),
    "booking.arrived": _("Patient arrivé"),
    "booking.done": _("Geste réalisé"),
    "booking.no_show": _("Patient absent"),
    "imaging.requested": _("Examen d'imagerie programmé au centre"),
    "imaging.rescheduled": _("Examen d'imagerie au centre modifié"),
    "imaging.cancelled": _("Examen d'imagerie au centre annulé"),
}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))
