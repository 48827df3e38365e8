"""What happened to a referral, written once (clinic/append_only.py): the engine's snapshots,
the radiologist's decisions and the timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.append_only import AppendOnlyModel
from referrals.choices import (
    Anaesthesia,
    DecisionKind,
    Stay,
    Verdict,
)
from referrals.models.referral import ANAESTHESIA_LABELS, Referral


class EligibilitySnapshot(AppendOnlyModel):
    """What the engine said about a referral's facts at one moment (at submit and on every
    change of facts after it)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="snapshots")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=30)  # submitted, resubmitted, facts_changed
    ruleset_version = models.CharField(max_length=20)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    facts = models.JSONField()
    output = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.verdict} ({self.reason}, {self.ruleset_version})"


class Decision(AppendOnlyModel):
    """A radiologist's decision on a referral. Never edited: a new decision supersedes it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("décision"), max_length=30, choices=DecisionKind.choices)
    radiologist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(_("décidée le"))
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    # What the decision was made on.
    ruleset_version = models.CharField(max_length=20)
    engine_verdict = models.CharField(max_length=20, choices=Verdict.choices)
    facts = models.JSONField()
    engine_output = models.JSONField()
    # What was decided.
    levels_to_treat = models.JSONField(_("niveaux à traiter"), default=list, blank=True)
    stay = models.CharField(_("séjour"), max_length=20, choices=Stay.choices, blank=True)
    anaesthesia = models.CharField(
        _("anesthésie"), max_length=10, choices=Anaesthesia.choices, blank=True
    )
    reason = models.TextField(_("motif"), blank=True)
    message_to_gp = models.TextField(_("message au médecin"), blank=True)
    justification = models.TextField(_("justification de l’écart avec le moteur"), blank=True)
    # An option of the engine the radiologist chose (« continue_clopidogrel »), or "".
    option = models.CharField(_("option retenue"), max_length=40, blank=True)
    # The radiologist's medication plan (engine JSON entries), when they changed the engine's;
    # null: the engine's (or the option's) plan applies. Booking and documents follow it.
    medication_plan = models.JSONField(_("plan médicamenteux du radiologue"), null=True, blank=True)
    plan_reason = models.TextField(_("motif du changement de plan"), blank=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["-decided_at", "-id"]
        indexes = [
            # The quality dashboard: decisions of a period by verdict and kind (index only), and
            # the latest decisions that went against the engine (a written justification).
            models.Index(
                fields=["decided_at", "engine_verdict", "kind"], name="decision_period_verdict"
            ),
            models.Index(
                fields=["-decided_at", "-id"],
                condition=~models.Q(justification=""),
                name="decision_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_at:%d/%m/%Y})"

    def get_anaesthesia_display(self) -> str:  # type: ignore[no-redef]  # (Django generates one)
        # As Booking.get_status_display: printed for every booking of a day.
        return str(ANAESTHESIA_LABELS.get(self.anaesthesia, self.anaesthesia))


class TimelineEvent(AppendOnlyModel):
    """Something that happened to a referral: a dotted action name, who, when, and the data."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=60)  # e.g. referral.submitted, referral.accepted
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"])]

    def __str__(self) -> str:
        return f"{self.action} @ {self.at:%Y-%m-%d %H:%M}"
