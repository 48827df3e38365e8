"""Files attached to a referral: stored under a random name, checked by content and size."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from clinic.models import User
from referrals.models import (
    Attachment,
    Referral,
)
from referrals.services.editing import ensure_editable
from referrals.services.timeline import log_event
from referrals.validators import ATTACHMENT_TYPES, attachment_content_type, clean_original_name


@transaction.atomic
def attachment_add(*, referral: Referral, kind: str, file: UploadedFile, by: User) -> Attachment:
    """Store a PDF/JPEG/PNG (checked by content and size) under a random name."""
    ensure_editable(referral, by)
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
