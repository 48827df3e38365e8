"""The monthly quality reports, kept by the task queue (or `quality_report --store`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def report_path(instance: MonthlyReport, filename: str) -> str:
    # Through the storage API (disk or bucket): every app server reads the same file.
    return f"quality/reports/qualite-{instance.month:%Y-%m}.pdf"


class MonthlyReport(models.Model):
    """One month's quality report as a PDF, written once (the first of the next month)."""

    month = models.DateField(_("mois"), unique=True)  # its first day
    pdf = models.FileField(_("rapport PDF"), upload_to=report_path, max_length=200)
    generated_at = models.DateTimeField(_("généré le"))
    # Nobody when the task queue wrote it; the administrator who ran the command otherwise.
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rapport qualité mensuel")
        verbose_name_plural = _("rapports qualité mensuels")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class TreatedReferral(models.Model):
    """One narrow row per signed procedure report: every figure of the dashboard that a treated
    patient adds, in whole days and small numbers, so that a year or every month of the data is
    read from one small table (docs/performance.md, « The quality dashboard »).

    Written by `quality/facts.py` from the record itself (the report, the referral, its
    decisions, bookings and follow-up answers) when the report is signed and when a follow-up
    is answered; `manage.py quality_rebuild` writes them all again. Never typed by anyone."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    gp = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    performed_on = models.DateField()
    # Delays in days; the two from the fracture are counted from the end of the ideal window
    # (`ideal_until`): the reader adds the window, as the fracture date is ideal_until - window.
    fracture_referral = models.IntegerField(null=True)
    referral_decision = models.IntegerField(null=True)
    decision_procedure = models.IntegerField(null=True)
    fracture_procedure = models.IntegerField(null=True)
    # None when the window is not known (no fracture date).
    within_ideal = models.BooleanField(null=True)
    within_six_months = models.BooleanField(null=True)
    # Treated after the ideal window, and why (several causes may apply; quality/selectors.py).
    missed = models.BooleanField(default=False)
    imaging = models.BooleanField(default=False)
    information = models.BooleanField(default=False)
    drug_holds = models.BooleanField(default=False)
    anaesthesia = models.BooleanField(default=False)
    no_room = models.BooleanField(default=False)
    patient = models.BooleanField(default=False)
    clinic_change = models.BooleanField(default=False)
    medical_change = models.BooleanField(default=False)
    no_show = models.BooleanField(default=False)
    other = models.BooleanField(default=False)
    pain_before = models.PositiveSmallIntegerField(null=True)
    complication = models.CharField(max_length=4)
    # The D1, M1 and M3 answers (None until answered); complication "": not asked or not answered.
    d1_at = models.DateTimeField(null=True)
    d1_pain = models.PositiveSmallIntegerField(null=True)
    d1_opioids = models.BooleanField(null=True)
    d1_new_fracture = models.BooleanField(null=True)
    d1_complication = models.CharField(max_length=4, blank=True, default="")
    m1_at = models.DateTimeField(null=True)
    m1_pain = models.PositiveSmallIntegerField(null=True)
    m1_opioids = models.BooleanField(null=True)
    m1_new_fracture = models.BooleanField(null=True)
    m1_complication = models.CharField(max_length=4, blank=True, default="")
    m3_at = models.DateTimeField(null=True)
    m3_pain = models.PositiveSmallIntegerField(null=True)
    m3_opioids = models.BooleanField(null=True)
    m3_new_fracture = models.BooleanField(null=True)
    m3_complication = models.CharField(max_length=4, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["performed_on"], name="treated_performed_on"),
            models.Index(fields=["gp", "performed_on"], name="treated_gp_performed_on"),
            models.Index(fields=["d1_at"], name="treated_d1_at"),
            models.Index(fields=["m1_at"], name="treated_m1_at"),
            models.Index(fields=["m3_at"], name="treated_m3_at"),
        ]

    def __str__(self) -> str:
        return f"treated #{self.referral_id} {self.performed_on}"


class MonthlyFigures(models.Model):
    """The quality figures of one closed month as a tally (quality/tally.py): counts, and counts
    by value for the medians and percentiles, of its treated patients, answers and decisions.
    A period's tally is the sum of its months', so the dashboard reads a few dozen of these
    instead of every row of the period, and its figures stay exact (docs/performance.md,
    « The quality dashboard »).

    Kept by `quality/months.py` (the daily task, `manage.py quality_rebuild`); a change to the
    rows of a closed month marks it `stale` in the same transaction (quality/facts.py), and a
    stale or missing month is read from the rows until it is kept again. The current month is
    always read from the rows."""

    month = models.DateField(unique=True)  # its first day
    figures = models.JSONField(default=dict)
    stale = models.BooleanField(default=False)
    kept_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}{' (stale)' if self.stale else ''}"
