"""Follow-up after the procedure: the calls and questionnaires due (D1, M1, M3), their answers
and the patient's personal links.

A follow-up is planned when the report is signed; its answer is written once
(clinic/append_only.py), by the staff who called or by the patient through a link. A link's token
is stored only as its SHA-256: the database never holds what opens the questionnaire."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.append_only import AppendOnlyModel
from procedures.choices import CirseGrade


class FollowUpKind(models.TextChoices):
    D1 = "d1", _("J+1 (appel du lendemain)")
    M1 = "m1", _("M+1")
    M3 = "m3", _("M+3")


class Walking(models.TextChoices):
    NORMAL = "normal", _("Marche comme avant")
    AID = "aid", _("Marche avec une aide (canne, déambulateur)")
    LIMITED = "limited", _("Quelques pas seulement")
    BEDRIDDEN = "bedridden", _("Ne marche pas")


class Satisfaction(models.TextChoices):
    VERY = "4", _("Très satisfait")
    RATHER = "3", _("Plutôt satisfait")
    LITTLE = "2", _("Peu satisfait")
    NOT = "1", _("Pas satisfait")


class Channel(models.TextChoices):
    PHONE = "phone", _("Appel téléphonique")
    VISIT = "visit", _("Consultation")
    LINK = "link", _("Questionnaire en ligne (patient)")


class FollowUp(models.Model):
    """One follow-up due for a treated referral."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="followups"
    )
    kind = models.CharField(_("échéance"), max_length=2, choices=FollowUpKind.choices)
    due_on = models.DateField(_("à faire le"))
    created_at = models.DateTimeField(auto_now_add=True)
    # True once its answer is written, in the same transaction (followups/services/answers.py):
    # the worklist reads the follow-ups still open from a partial index on this flag instead of
    # an anti-join over every answer ever recorded (docs/performance.md).
    answered = models.BooleanField(_("recueilli"), default=False)

    class Meta:
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "kind"], name="followup_once_per_kind")
        ]
        indexes = [
            models.Index(
                fields=["due_on", "id"], condition=models.Q(answered=False), name="followup_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.referral_id}"


class FollowUpAnswer(AppendOnlyModel):
    """What the patient said at one follow-up (the outcome measures of the registry)."""

    followup = models.OneToOneField(FollowUp, on_delete=models.PROTECT, related_name="answer")
    channel = models.CharField(_("recueilli par"), max_length=10, choices=Channel.choices)
    # None when the patient answered through their link.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("répondu le"))
    pain_nrs = models.PositiveSmallIntegerField(_("douleur (EN 0–10)"))
    opioids = models.BooleanField(_("prend des morphiniques"))
    walking = models.CharField(_("marche"), max_length=10, choices=Walking.choices)
    new_back_pain = models.BooleanField(_("nouvelle douleur du dos"))
    new_fracture = models.BooleanField(_("nouvelle fracture connue"))
    complication = models.CharField(
        _("complication (CIRSE)"), max_length=4, choices=CirseGrade.choices, blank=True
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=1, choices=Satisfaction.choices)
    note = models.TextField(_("remarque"), blank=True)

    class Meta:
        verbose_name = _("réponse de suivi")
        verbose_name_plural = _("réponses de suivi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pain_nrs__lte=10), name="followup_pain_nrs_0_10"
            )
        ]

    def __str__(self) -> str:
        return f"answer #{self.followup_id}"


class FollowUpLink(models.Model):
    """A personal, single-use link to one follow-up's questionnaire."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"link #{self.followup_id}"
