"""Files attached to a referral: stored under a random name, checked by content and size."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from referrals.models import (
    Attachment,
    Referral,
)
from referrals.services.editing import ensure_editable
from referrals.services.timeline import log_event
from referrals.validators import ATTACHMENT_TYPES, attachment_content_type, clean_original_name

# The files attachment_add stored inside a files_removed_on_failure block (None outside one).
_stored: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("stored_files", default=None)


@contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Around a transaction that adds attachments: if it fails, the files it stored are deleted
    at once (their rows were rolled back with it) rather than left for purge_orphan_files. Put
    it outside the `transaction.atomic` block, so that the rows are gone first."""
    stored: list[tuple[Storage, str]] = []
    token = _stored.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    finally:
        _stored.reset(token)


class QuotaExceeded(DomainError):
    """Too many files or bytes on one referral, or from one GP today (security row 32)."""


def _used(**filters: object) -> tuple[int, int]:
    totals = Attachment.objects.filter(**filters).aggregate(files=Count("pk"), size=Sum("size"))
    return totals["files"] or 0, totals["size"] or 0


def quota_refusal(*, referral: Referral | None, by: User, sizes: Sequence[int]) -> str | None:
    """Why adding files of these sizes would pass a quota (files and bytes per referral, and per
    GP over the last 24 hours), or None."""
    files, size = len(sizes), sum(sizes)
    if referral is not None and referral.pk is not None:
        on_referral = _used(referral=referral)
        if on_referral[0] + files > settings.ATTACHMENT_MAX_FILES_PER_REFERRAL:
            return _(
                "Une demande compte au plus %(count)d pièces jointes : retirez-en avant d’en "
                "ajouter d’autres."
            ) % {"count": settings.ATTACHMENT_MAX_FILES_PER_REFERRAL}
        if on_referral[1] + size > settings.ATTACHMENT_MAX_BYTES_PER_REFERRAL:
            return _(
                "Les pièces jointes d’une demande ne dépassent pas %(size)s au total : retirez-en "
                "ou joignez des fichiers plus légers."
            ) % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES_PER_REFERRAL)}
    today = _used(uploaded_by=by, uploaded_at__gte=timezone.now() - timedelta(days=1))
    if (
        today[0] + files > settings.ATTACHMENT_MAX_FILES_PER_GP_PER_DAY
        or today[1] + size > settings.ATTACHMENT_MAX_BYTES_PER_GP_PER_DAY
    ):
        return _(
            "Vous avez joint aujourd’hui le maximum de fichiers (%(count)d, %(size)s en 24 heures) "
            ": réessayez demain ou appelez le secrétariat."
        ) % {
            "count": settings.ATTACHMENT_MAX_FILES_PER_GP_PER_DAY,
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES_PER_GP_PER_DAY),
        }
    return None


@transaction.atomic
def attachment_add(*, referral: Referral, kind: str, file: UploadedFile, by: User) -> Attachment:
    """Store a PDF/JPEG/PNG (checked by content and size) under a random name."""
    ensure_editable(referral, by)
    refusal = quota_refusal(referral=referral, by=by, sizes=[file.size or 0])
    if refusal is not None:
        raise QuotaExceeded(refusal, field=None)
    content_type = attachment_content_type(file)
    attachment = Attachment(
        referral=referral,
        kind=kind,
        original_name=clean_original_name(file.name or "", content_type),
        content_type=content_type,
        size=file.size or 0,
        uploaded_by=by,
    )
    # The stored name's suffix follows the real type, never the name the browser sent.
    attachment.file.save(f"document{ATTACHMENT_TYPES[content_type]}", file, save=False)
    stored = _stored.get()
    if stored is not None:
        stored.append((attachment.file.storage, attachment.file.name or ""))
    attachment.save()
    log_event(
        referral=referral,
        action="referral.attachment_added",
        actor=by,
        data={"attachment": attachment.pk, "kind": kind},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Remove an attachment of an editable referral; the file goes once the removal commits."""
    referral = attachment.referral
    ensure_editable(referral, by)
    storage, name = attachment.file.storage, attachment.file.name
    log_event(
        referral=referral,
        action="referral.attachment_removed",
        actor=by,
        data={"attachment": attachment.pk, "kind": attachment.kind},
    )
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
