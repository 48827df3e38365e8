"""The day of the procedure: the safety checklist, the procedure report and its addenda.

Every row here records what happened and is written once (clinic/append_only.py): a checklist
item is checked once, with who and when; a report is signed when it is saved and never changed,
a correction is an addendum."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.append_only import AppendOnlyModel
from procedures.choices import LEAK_LABELS, Approach, ChecklistItem, CirseGrade
from referrals.choices import Anaesthesia, Level


class ChecklistCheck(AppendOnlyModel):
    """One item of the safety checklist, checked for one booking."""

    booking = models.ForeignKey(
        "scheduling.Booking", on_delete=models.PROTECT, related_name="checklist_checks"
    )
    item = models.CharField(_("élément"), max_length=20, choices=ChecklistItem.choices)
    # The INR of the day for a patient on a VKA; empty for the other items.
    value = models.CharField(_("valeur"), max_length=20, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("vérifié le"))

    class Meta:
        verbose_name = _("élément de la check-list")
        verbose_name_plural = _("éléments de la check-list")
        ordering = ["checked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "item"], name="checklist_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} #{self.booking_id}"


class ChecklistOverride(AppendOnlyModel):
    """A radiologist went ahead with items of the checklist missing, and said why."""

    booking = models.ForeignKey(
        "scheduling.Booking", on_delete=models.PROTECT, related_name="checklist_overrides"
    )
    missing = models.JSONField(_("éléments manquants"), default=list)
    reason = models.TextField(_("motif"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"override #{self.booking_id}"


class ProcedureReport(AppendOnlyModel):
    """The radiologist's procedure report (compte rendu opératoire), signed when saved, with what
    the discharge letter says (décret 2016-995)."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="procedure_report"
    )
    booking = models.OneToOneField(
        "scheduling.Booking", on_delete=models.PROTECT, related_name="procedure_report"
    )
    performed_on = models.DateField(_("date du geste"))
    planned_levels = models.JSONField(_("niveaux prévus"), default=list)
    levels_reason = models.TextField(_("motif de l’écart avec les niveaux prévus"), blank=True)
    anaesthesia = models.CharField(_("anesthésie"), max_length=10, choices=Anaesthesia.choices)
    biopsy = models.BooleanField(_("biopsie"), default=False)
    biopsy_note = models.CharField(_("biopsie : niveaux, envoi"), max_length=200, blank=True)
    complication = models.CharField(
        _("complication (CIRSE)"), max_length=4, choices=CirseGrade.choices
    )
    complication_note = models.TextField(_("complication : description"), blank=True)
    # Dose information required in the report by the arrêté du 22 septembre 2006.
    dose_area_product = models.DecimalField(
        _("produit dose × surface (Gy·cm²)"), max_digits=8, decimal_places=2
    )
    fluoroscopy_seconds = models.PositiveIntegerField(_("temps de scopie (secondes)"))
    equipment = models.CharField(_("appareil"), max_length=200)
    conclusion = models.TextField(_("conclusion"), blank=True)
    # The discharge letter.
    discharge_treatments = models.TextField(_("traitements de sortie"), blank=True)
    # {drug: resume day (J+n)} where the radiologist changed the plan's resume day.
    resume_days = models.JSONField(_("reprise des antithrombotiques"), default=dict, blank=True)
    resume_reason = models.TextField(_("motif du changement de reprise"), blank=True)
    home_nursing = models.TextField(_("prescription de soins infirmiers à domicile"), blank=True)
    physiotherapy = models.TextField(_("prescription de kinésithérapie"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signé le"))

    class Meta:
        verbose_name = _("compte rendu opératoire")
        verbose_name_plural = _("comptes rendus opératoires")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dose_area_product__gte=0), name="report_dap_positive"
            )
        ]

    def __str__(self) -> str:
        return f"CRO #{self.referral_id}"

    @property
    def treated_levels(self) -> list[str]:
        return [row.level for row in self.levels.all()]

    @property
    def fluoroscopy_label(self) -> str:
        minutes, seconds = divmod(self.fluoroscopy_seconds, 60)
        return f"{minutes} min {seconds:02d} s"


class TreatedLevel(AppendOnlyModel):
    """One vertebra treated, as the report states it."""

    report = models.ForeignKey(ProcedureReport, on_delete=models.PROTECT, related_name="levels")
    level = models.CharField(_("niveau"), max_length=3, choices=Level.choices)
    position = models.PositiveSmallIntegerField(default=0)
    approach = models.CharField(_("abord"), max_length=15, choices=Approach.choices)
    cement = models.CharField(_("ciment"), max_length=100)
    volume_ml = models.DecimalField(_("volume (mL)"), max_digits=4, decimal_places=1)
    leaks = models.JSONField(_("fuites de ciment"), default=list, blank=True)
    leak_symptomatic = models.BooleanField(_("fuite symptomatique"), default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "level"], name="treated_level_once")
        ]

    def __str__(self) -> str:
        return self.level

    @property
    def leak_labels(self) -> list[str]:
        return [str(LEAK_LABELS.get(site, site)) for site in self.leaks]


class ReportAddendum(AppendOnlyModel):
    """A correction or addition to a signed report, signed in turn."""

    report = models.ForeignKey(ProcedureReport, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(_("addendum"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"addendum #{self.report_id}"
