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
