"""Enumerations of the day of the procedure: the safety checklist, the report's structured
answers (approach, cement leaks, CIRSE complication grades)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChecklistItem(models.TextChoices):
    """The HAS safety checklist for interventional radiology (« check-list sécurité du patient en
    radiologie interventionnelle »), as the clinic fills it before a cementoplasty."""

    IDENTITY = "identity", _("Identité du patient vérifiée avec l’INS")
    CONSENT = "consent", _("Information donnée et consentement signé")
    TRUSTED_PERSON = "trusted_person", _("Personne de confiance désignée (ou refus noté)")
    LEVELS = "levels", _("Niveau(x) à traiter confirmé(s) sur les images")
    ANTITHROMBOTICS = "antithrombotics", _("Antithrombotiques arrêtés comme prévu")
    INR = "inr", _("INR du jour contrôlé (patient sous AVK)")
    ALLERGIES = "allergies", _("Allergies recherchées")
    FASTING = "fasting", _("Jeûne respecté")
    IMAGING = "imaging", _("Imagerie disponible en salle")


class Approach(models.TextChoices):
    UNIPEDICULAR = "unipedicular", _("Unipédiculaire")
    BIPEDICULAR = "bipedicular", _("Bipédiculaire")


class LeakSite(models.TextChoices):
    DISC = "disc", _("Discale")
    VENOUS = "venous", _("Veineuse")
    FORAMINAL = "foraminal", _("Foraminale")
    EPIDURAL = "epidural", _("Épidurale")
    PARAVERTEBRAL = "paravertebral", _("Paravertébrale")


class CirseGrade(models.TextChoices):
    """CIRSE classification of complications (Filippiadis et al., CVIR 2017)."""

    NONE = "none", _("Aucune complication")
    G1 = "1", _("Grade 1 : pendant le geste, résolue sur place, sans suite")
    G2 = "2", _("Grade 2 : surveillance prolongée ou une nuit d’hospitalisation")
    G3 = "3", _("Grade 3 : traitement ou hospitalisation prolongée (> 48 h)")
    G4 = "4", _("Grade 4 : séquelle légère permanente")
    G5 = "5", _("Grade 5 : séquelle importante permanente")
    G6 = "6", _("Grade 6 : décès")


LEAK_LABELS = dict(LeakSite.choices)
