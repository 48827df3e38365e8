"""Files a GP attaches to a referral, stored under a random name (never the one sent)."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from referrals.choices import (
    AttachmentKind,
)
from referrals.models.referral import Referral


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random name: the stored path tells nothing about the patient or the original file."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"attachments/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}{suffix}"


class Attachment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("type de document"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
