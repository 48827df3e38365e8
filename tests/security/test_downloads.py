"""Checklist rows 16 and 17: uploads are checked by content and stored under random names, the
stored files have no URL of their own, and every patient document is downloaded as an attachment
that no browser or proxy keeps."""

from __future__ import annotations

import os
import re
import stat

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from clinic.models import User
from referrals.models import Attachment, Referral
from tests.conftest import client_for
from tests.referrals.form_data import PDF_BYTES, referral_data
from tests.security.world import World

DOCUMENTS = [
    ("referrals:attachment_download", "attachment", "secretary"),
    ("reports:indication_report", "referral", "radiologist"),
    ("reports:decision_letter", "decision", "gp"),
    ("reports:surgical_letter", "surgery_decision", "gp"),
    ("scheduling:convocation", "booking", "gp"),
    ("scheduling:convocation_ics", "booking", "secretary"),
]


@pytest.mark.parametrize(("name", "kind", "who"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_every_patient_document_is_a_private_attachment(
    world: World, request: pytest.FixtureRequest, name: str, kind: str, who: str
) -> None:
    client = client_for(request.getfixturevalue(who))
    obj = world.objects()[kind]

    response = client.get(reverse(name, args=[obj.pk]))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    patient = world.patient_of(kind)
    referral = Referral.objects.filter(patient_id=patient).select_related("patient").first()
    assert referral is not None
    # Word by word: Faker's « Anne » is inside « scanner.pdf », which names no one.
    words = set(re.findall(r"[^\W\d_]+", disposition.lower()))
    names = f"{referral.patient.birth_name} {referral.patient.first_names}".lower()
    for name in re.findall(r"[^\W\d_]+", names):
        assert name not in words
    assert referral.patient.nir not in disposition


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


def test_stored_files_have_no_url_only_the_checked_view(world: World, secretary: User) -> None:
    client = client_for(secretary)
    stored = world.attachment.file.name
    for prefix in ("/media/", "/", "/static/", "/var/media/", "/uploads/"):
        with pytest.raises(Resolver404):
            resolve(prefix + stored)
        assert client.get(prefix + stored).status_code == 404
    url = reverse("referrals:attachment_download", args=[world.attachment.pk])
    assert client.get(url).status_code == 200
