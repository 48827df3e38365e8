"""Checklist row 16: uploads are checked by content and stored under random names, readable by the
app alone. (Apart from test_downloads.py, whose tests share one clinic: these start from none.)"""

from __future__ import annotations

import os
import stat

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Attachment
from tests.referrals.form_data import PDF_BYTES, referral_data

HOSTILE_UPLOADS = {
    "html page named .pdf": b"<html><script>alert(1)</script></html>",
    "svg image": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "windows program": b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,
    "zip archive": b"PK\x03\x04" + b"\x00" * 64,
    "empty file": b"",
}


@pytest.mark.parametrize("content", HOSTILE_UPLOADS.values(), ids=list(HOSTILE_UPLOADS))
def test_only_pdf_jpeg_and_png_contents_are_stored(gp_client: Client, content: bytes) -> None:
    upload = SimpleUploadedFile("compte-rendu.pdf", content, content_type="application/pdf")

    response = gp_client.post(
        reverse("referrals:gp_referral_new"), referral_data() | {"files-ct_report": upload}
    )

    assert response.status_code == 200  # the form comes back saying what is wrong
    assert "compte-rendu.pdf" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_path_in_the_uploaded_name_goes_nowhere(gp_client: Client, gp: User) -> None:
    upload = SimpleUploadedFile("../../clinic/settings.pdf", PDF_BYTES, "application/pdf")

    gp_client.post(
        reverse("referrals:gp_referral_new"), referral_data() | {"files-ct_report": upload}
    )

    attachment = Attachment.objects.get()
    assert attachment.original_name == "settings.pdf"
    stored = os.path.realpath(attachment.file.path)
    assert stored.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert "settings" not in attachment.file.name
    # Readable by the app's own account only.
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
