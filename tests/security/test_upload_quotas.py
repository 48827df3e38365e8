"""Security row 32: upload quotas. Files and bytes are capped per referral and per GP per day,
each with a French message; a request over the size limit is refused from its Content-Length
before its body is read; more files in one request than allowed get a French 400 page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from referrals.models import Attachment, Referral
from tests.referrals.form_data import PDF_BYTES, referral_data

NEW = reverse("referrals:gp_referral_new")


def _pdfs(count: int, size: int = 0) -> list[SimpleUploadedFile]:
    body = PDF_BYTES + b"%" * max(0, size - len(PDF_BYTES))
    return [
        SimpleUploadedFile(f"cr-{n}.pdf", body, content_type="application/pdf")
        for n in range(count)
    ]


def _save_draft(client: Client, referral: Referral | None, files: list[Any]) -> str:
    url = reverse("referrals:gp_referral_edit", args=[referral.pk]) if referral else NEW
    data = referral_data(action="save") | {"files-mri_report": files}
    return client.post(url, data, follow=True).content.decode()


@pytest.fixture
def small_quotas(settings: Any) -> None:
    settings.ATTACHMENT_MAX_FILES_PER_REFERRAL = 3
    settings.ATTACHMENT_MAX_BYTES_PER_REFERRAL = 10_000
    settings.ATTACHMENT_MAX_FILES_PER_GP_PER_DAY = 5
    settings.ATTACHMENT_MAX_BYTES_PER_GP_PER_DAY = 1_000_000


def test_files_per_referral_are_capped_across_requests(
    gp_client: Client, small_quotas: None
) -> None:
    _save_draft(gp_client, None, _pdfs(2))
    draft = Referral.objects.get()
    assert draft.attachments.count() == 2
    page = _save_draft(gp_client, draft, _pdfs(2))
    assert "Une demande compte au plus 3 pièces jointes" in page
    assert draft.attachments.count() == 2


def test_bytes_per_referral_are_capped(gp_client: Client, small_quotas: None) -> None:
    _save_draft(gp_client, None, _pdfs(1, size=6_000))
    draft = Referral.objects.get()
    page = _save_draft(gp_client, draft, _pdfs(1, size=6_000))
    assert "ne dépassent pas" in page
    assert draft.attachments.count() == 1


def test_files_per_gp_per_day_are_capped_across_referrals(
    gp_client: Client, small_quotas: None
) -> None:
    for _ in range(2):
        _save_draft(gp_client, None, _pdfs(2))
    page = _save_draft(gp_client, None, _pdfs(2))
    assert "Vous avez joint aujourd’hui le maximum de fichiers" in page
    assert Attachment.objects.count() == 4


def test_more_files_in_one_request_than_allowed_get_a_french_400(
    gp_client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    response = gp_client.post(NEW, referral_data(action="save") | {"files-mri_report": _pdfs(4)})
    assert response.status_code == 400
    assert "trop de fichiers à la fois" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_oversized_request_is_refused_before_its_body_is_read(
    gp_client: Client, settings: Any
) -> None:
    settings.REQUEST_MAX_BYTES = 50_000
    response = gp_client.post(
        NEW, referral_data(action="save") | {"files-mri_report": _pdfs(1, size=60_000)}
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert not Referral.objects.exists() and not Attachment.objects.exists()
