"""Enumerations shared by models, forms and the eligibility adapter. Values are the JSON values of
the eligibility specification; labels are French (English in locale/en)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility.engine import (
    LEVELS as SPINE_LEVELS,  # the engine's list, spine order C → T → L → S
)
from eligibility.engine.facts import LEVEL_INDEX


def level_position(level: str) -> int:
    """Spine order C → T → L → S, for sorting levels."""
    return LEVEL_INDEX.get(level, len(SPINE_LEVELS))


Level = models.TextChoices(  # type: ignore[misc,call-overload]
    "Level",
    [(lv, (lv, _("Sacrum") if lv == "S" else lv)) for lv in SPINE_LEVELS],
)


class Sex(models.TextChoices):
    F = "F", _("Femme")
    M = "M", _("Homme")
    I = "I", _("Indéterminé")  # noqa: E741  (INS allows an undetermined sex)


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Adressée, en attente d’avis")
    INFO_REQUESTED = "info_requested", _("Informations demandées")
    ACCEPTED = "accepted", _("Indication acceptée")
    DECLINED = "declined", _("Indication refusée")
    SURGERY = "surgery", _("Orientée vers la chirurgie")
    SCHEDULED = "scheduled", _("Programmée")
    # On the day: the desk noted the patient's arrival; the procedure is recorded from here.
    ARRIVED = "arrived", _("Arrivée notée")
    DONE = "done", _("Geste réalisé")
    CANCELLED = "cancelled", _("Annulée")
    # Accepted, never to be booked: the desk closed it with a reason (the patient gave up).
    CLOSED = "closed", _("Close par la clinique")
    # A draft its GP deleted before sending it: emptied of the patient and the clinical facts
    # (referrals.services.withdrawal), kept as a row only because its timeline is never deleted.
    DISCARDED = "discarded", _("Brouillon supprimé")


# Referrals that still need someone to act.
ACTIVE_STATUSES = frozenset(
    {Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED, Status.SCHEDULED, Status.ARRIVED}
)


class TimelineAction(models.TextChoices):
    """What a timeline event records (a dotted name, pretix's habit) and how pages name it."""

    CREATED = "referral.created", _("Brouillon créé")
    DRAFT_SAVED = "referral.draft_saved", _("Brouillon enregistré")
    SUBMITTED = "referral.submitted", _("Demande adressée à la clinique")
    RESUBMITTED = "referral.resubmitted", _("Demande complétée et renvoyée")
    FACTS_CHANGED = (
        "referral.facts_changed",
        _("Données cliniques modifiées, éligibilité recalculée"),
    )
    RULESET_CHANGED = (
        "referral.ruleset_changed",
        _("Éligibilité recalculée selon les nouvelles règles"),
    )
    ATTACHMENT_ADDED = "referral.attachment_added", _("Pièce jointe ajoutée")
    ATTACHMENT_REMOVED = "referral.attachment_removed", _("Pièce jointe retirée")
    INFORMATION_REQUESTED = (
        "referral.information_requested",
        _("Informations demandées au médecin"),
    )
    ACCEPTED = "referral.accepted", _("Indication acceptée")
    PLAN_CHANGED = (
        "referral.plan_changed",
        _("Plan médicamenteux adapté par le radiologue"),
    )
    DECLINED = "referral.declined", _("Indication refusée")
    REDIRECTED_TO_SURGERY = "referral.redirected_to_surgery", _("Orientée vers un avis chirurgical")
    GP_NOTIFIED = "referral.gp_notified", _("Médecin prévenu par e-mail")
    IDENTITY_CHECKED = (
        "referral.identity_checked",
        _("Identité du patient vérifiée par la clinique"),
    )
    PATIENT_CONFIRMED = (
        "referral.patient_confirmed",
        _("Dossier patient confirmé par la clinique"),
    )
    DISCARDED = "referral.discarded", _("Brouillon supprimé par le médecin")
    WITHDRAWN = "referral.withdrawn", _("Demande annulée par le médecin adresseur")
    CLOSED = "referral.closed", _("Demande close par la clinique")
    BOOKING_CREATED = "booking.created", _("Rendez-vous programmé")
    BOOKING_RESCHEDULED = "booking.rescheduled", _("Rendez-vous déplacé")
    BOOKING_CANCELLED = "booking.cancelled", _("Rendez-vous annulé")
    BOOKING_ARRIVED = "booking.arrived", _("Arrivée notée")
    BOOKING_DONE = "booking.done", _("Geste réalisé")
    BOOKING_NO_SHOW = "booking.no_show", _("Patient absent")
    CONVOCATION_OUTDATED = (
        "booking.convocation_outdated",
        _("Convocation à renvoyer : une date a changé"),
    )
    CONVOCATION_RESENT = "booking.convocation_resent", _("Nouvelle convocation envoyée au patient")
    CHECKLIST_ITEMS = "procedure.checklist_items", _("Check-list de sécurité : éléments vérifiés")
    CHECKLIST_COMPLETED = "procedure.checklist_completed", _("Check-list de sécurité complète")
    CHECKLIST_OVERRIDDEN = (
        "procedure.checklist_overridden",
        _("Check-list incomplète : geste autorisé par le radiologue"),
    )
    REPORT_SIGNED = "procedure.report_signed", _("Compte rendu opératoire signé")
    REPORT_ADDENDUM = "procedure.report_addendum", _("Addendum au compte rendu opératoire")
    FOLLOWUP_RECORDED = "followup.recorded", _("Suivi recueilli par la clinique")
    FOLLOWUP_LINK_SENT = (
        "followup.link_sent",
        _("Questionnaire de suivi : envoi au patient demandé"),
    )
    FOLLOWUP_ANSWERED = "followup.answered", _("Questionnaire de suivi rempli par le patient")
    IMAGING_REQUESTED = "imaging.requested", _("Examen d’imagerie programmé au centre")
    IMAGING_RESCHEDULED = "imaging.rescheduled", _("Examen d’imagerie au centre modifié")
    IMAGING_CANCELLED = "imaging.cancelled", _("Examen d’imagerie au centre annulé")
    CONTACT_CONSENT = "patient.contact_consent", _("Choix du patient pour les messages noté")
    NOTIFICATION_SENT = "notification.sent", _("Message envoyé")
    NOTIFICATION_FAILED = "notification.failed", _("Message non envoyé après plusieurs essais")
    NOTIFICATION_RETRIED = "notification.retried", _("Message renvoyé par le secrétariat")


class Verdict(models.TextChoices):
    ELIGIBLE_IDEAL = "eligible_ideal", _("Indication probable — délai idéal")
    ELIGIBLE = "eligible", _("Indication probable")
    NEEDS_REVIEW = "needs_review", _("Avis du radiologue requis")
    INCOMPLETE = "incomplete", _("Dossier incomplet")
    SURGICAL_REFERRAL = "surgical_referral", _("Orientation chirurgicale")
    NOT_ELIGIBLE = "not_eligible", _("Non indiqué")


class Cause(models.TextChoices):
    TRAUMA = "trauma", _("Traumatisme (y compris chute de faible énergie)")
    OSTEOPOROTIC = "osteoporotic", _("Ostéoporotique, sans traumatisme connu")
    TUMOUR_SUSPECTED = "tumour_suspected", _("Suspicion de tumeur")
    UNKNOWN = "unknown", _("Inconnue")


class SacralPattern(models.TextChoices):
    H = "H", _("En H")
    U = "U", _("En U")
    UNILATERAL = "unilateral", _("Unilatérale")
    OTHER = "other", _("Autre")


class Antithrombotic(models.TextChoices):
    ASPIRIN = "aspirin", _("Aspirine (Kardegic)")
    CLOPIDOGREL = "clopidogrel", _("Clopidogrel (Plavix)")
    PRASUGREL = "prasugrel", _("Prasugrel (Efient)")
    TICAGRELOR = "ticagrelor", _("Ticagrélor (Brilique)")
    VKA = "vka", _("Antivitamine K (AVK : Coumadine, Préviscan…)")
    APIXABAN = "apixaban", _("Apixaban (Eliquis)")
    RIVAROXABAN = "rivaroxaban", _("Rivaroxaban (Xarelto)")
    EDOXABAN = "edoxaban", _("Édoxaban (Lixiana)")
    DABIGATRAN = "dabigatran", _("Dabigatran (Pradaxa)")
    # 2026.1 referrals and a GP who does not know the name: the longest DOAC hold applies.
    DOAC = "doac", _("AOD, nom à préciser")
    LMWH = "lmwh", _("Héparine de bas poids moléculaire (HBPM) à dose curative")
    FONDAPARINUX = "fondaparinux", _("Fondaparinux (Arixtra)")
    OTHER = "other", _("Autre antithrombotique (à préciser dans la note clinique)")


class MriAlternative(models.TextChoices):
    """The examination done instead of an MRI (imaging.alternative)."""

    BONE_SCAN = "bone_scan", _("Scintigraphie osseuse")
    SPECT_CT = "spect_ct", _("TEMP-TDM (scintigraphie couplée au scanner)")
    DUAL_ENERGY_CT = "dual_energy_ct", _("Scanner double énergie")


class Allergy(models.TextChoices):
    """Allergies other than to the cement (that one is a red flag)."""

    IODINE = "iodine", _("Produits de contraste iodés")
    LOCAL_ANAESTHETIC = "local_anaesthetic", _("Anesthésiques locaux")
    LATEX = "latex", _("Latex")
    ANTIBIOTIC = "antibiotic", _("Antibiotiques")


class Anaesthesia(models.TextChoices):
    LOCAL = "local", _("Anesthésie locale")
    SEDATION = "sedation", _("Sédation")
    GENERAL = "general", _("Anesthésie générale")


class AttachmentKind(models.TextChoices):
    CT_REPORT = "ct_report", _("Compte rendu de scanner")
    MRI_REPORT = "mri_report", _("Compte rendu d’IRM")
    LETTER = "letter", _("Courrier")
    OTHER = "other", _("Autre document")


# The imaging fact a CT or MRI report proves (its box on the form), and its exam date's field:
# a report attached on the web or through the API ticks « scanner réalisé » / « IRM réalisée ».
IMAGING_REPORT_FACT: dict[str, tuple[str, str]] = {
    AttachmentKind.CT_REPORT: ("ct_available", "ct_date"),
    AttachmentKind.MRI_REPORT: ("mri_available", "mri_date"),
}


class DecisionKind(models.TextChoices):
    ACCEPT = "accept", _("Indication acceptée")
    DECLINE = "decline", _("Indication refusée")
    REQUEST_INFORMATION = "request_information", _("Informations demandées")
    REDIRECT_SURGERY = "redirect_surgery", _("Orientation chirurgicale")


class Stay(models.TextChoices):
    DAY_HOSPITAL = "day_hospital", _("Hôpital de jour (retour le jour même)")
    OVERNIGHT = "overnight", _("Hospitalisation d’une nuit")
