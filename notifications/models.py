"""The patient's consent to be contacted, every message the clinic sends, and the runs of the
periodic jobs. A message row is written in the transaction of what it tells (a booking, a
decision) and sent by a task after the commit (docs/notifications.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel, Kind, MessageStatus, Recipient


class ContactConsent(models.Model):
    """How the patient agreed to be contacted, as the desk recorded it (the latest row counts;
    earlier ones stay as the history of who recorded what and when)."""

    patient = models.ForeignKey(
        "referrals.Patient", on_delete=models.PROTECT, related_name="contact_consents"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="contact_consents"
    )
    channel = models.CharField(_("messages au patient"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recueilli le"))

    class Meta:
        verbose_name = _("consentement aux messages")
        verbose_name_plural = _("consentements aux messages")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["patient", "-recorded_at"], name="consent_patient_latest")]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.channel} {self.recorded_at:%Y-%m-%d}"


class Message(models.Model):
    """One e-mail or SMS to the GP or the patient, and what became of it."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="messages"
    )
    booking = models.ForeignKey(
        "scheduling.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    imaging = models.ForeignKey(
        "scheduling.ImagingAppointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    decision = models.ForeignKey(
        "referrals.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    followup = models.ForeignKey(
        "followups.FollowUp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    kind = models.CharField(_("message"), max_length=20, choices=Kind.choices)
    recipient = models.CharField(_("destinataire"), max_length=10, choices=Recipient.choices)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    # The confirmed address or number at the time the message was written (never a GP's typing).
    to = models.CharField(_("adresse"), max_length=254)
    # Time-based messages: the day they are for. With the booking and the kind it makes the
    # scheduler idempotent: a second run finds the row and sends nothing.
    day = models.DateField(null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=MessageStatus.choices,
        default=MessageStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    # The exception's class only: a provider's answer may quote the message or the number.
    error = models.CharField(_("erreur"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("créé le"))
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "recipient", "day"],
                condition=Q(day__isnull=False),
                name="message_once_per_booking_kind_day",
            ),
            # The scheduler's follow-up invitation: once per follow-up (its due day).
            models.UniqueConstraint(
                fields=["followup", "kind", "recipient", "day"],
                condition=Q(day__isnull=False),
                name="message_once_per_followup_kind_day",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="message_status_created")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.status})"


class JobRun(models.Model):
    """A periodic job the scheduler enqueued for a day (the orphan-file purge, the retention
    report): unique, so that the command run every few minutes enqueues it once."""

    job = models.CharField(max_length=60)
    day = models.DateField()
    enqueued_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="job_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
