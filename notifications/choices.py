"""What a message is, to whom and how it goes; how a booking change is explained."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How the patient agreed to be contacted (recorded by the desk when booking)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    NONE = "none", _("Aucun message")


class Recipient(models.TextChoices):
    GP = "gp", _("Médecin adresseur")
    PATIENT = "patient", _("Patient")


class Kind(models.TextChoices):
    DECISION = "decision", _("Décision du radiologue")
    BOOKED = "booked", _("Rendez-vous programmé")
    MOVED = "moved", _("Rendez-vous déplacé")
    CANCELLED = "cancelled", _("Rendez-vous annulé")
    IMAGING_BOOKED = "imaging_booked", _("Examen d’imagerie programmé")
    REMINDER = "reminder", _("Rappel du rendez-vous")
    LAST_DOSE = "last_dose", _("Jour de la dernière prise")
    FOLLOWUP = "followup", _("Questionnaire de suivi")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("À envoyer")
    SENDING = "sending", _("En cours d’envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec de l’envoi")
    # Not sent because it no longer had a purpose (a follow-up answered before its link left).
    DROPPED = "dropped", _("Sans objet")
