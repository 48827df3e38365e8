"""Attachments: PDF/JPEG/PNG recognised by content, 20 MB limit, random storage names, kept when
the form has errors, downloadable only by people allowed to see the referral."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Attachment, Referral
from tests.referrals.form_data import PDF_BYTES, PNG_BYTES, pdf, referral_data

NEW = reverse("referrals:gp_referral_new")


def _submit_with(client: Client, **files: object) -> Referral:
    data = referral_data() | {f"files-{kind}": upload for kind, upload in files.items()}
    client.post(NEW, data)
    return Referral.objects.get()


def _download(client: Client, attachment: Attachment) -> object:
    return client.get(reverse("referrals:attachment_download", args=[attachment.pk]))


def test_a_pdf_report_is_stored_under_a_random_name(gp_client: Client) -> None:
    referral = _submit_with(gp_client, mri_report=pdf("IRM Rousseau Jeanne.pdf"))
    attachment = referral.attachments.get()
    assert attachment.kind == "mri_report"
    assert attachment.original_name == "IRM Rousseau Jeanne.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    stored = attachment.file.name
    assert stored.startswith("attachments/") and stored.endswith(".pdf")
    assert "Rousseau" not in stored and "IRM" not in stored
    assert Path(settings.MEDIA_ROOT, stored).read_bytes() == PDF_BYTES
    actions = list(referral.events.values_list("action", flat=True))
    assert "referral.attachment_added" in actions


def test_several_files_per_kind_are_accepted(gp_client: Client) -> None:
    files = [pdf("courrier-1.pdf"), SimpleUploadedFile("photo.png", PNG_BYTES)]
    referral = _submit_with(gp_client, letter=files)
    kinds = sorted(referral.attachments.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/png"]


def test_the_type_is_read_from_the_content_not_the_extension(gp_client: Client) -> None:
    fake = SimpleUploadedFile("scanner.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = gp_client.post(NEW, referral_data() | {"files-ct_report": fake})
    page = response.content.decode()
    assert "« scanner.pdf » n’est ni un PDF, ni une image JPEG ou PNG" in page
    assert not Attachment.objects.exists()
    assert not Referral.objects.filter(status="submitted").exists()


def test_a_png_named_pdf_is_stored_as_the_png_it_is(gp_client: Client) -> None:
    referral = _submit_with(gp_client, other=SimpleUploadedFile("photo.pdf", PNG_BYTES))
    attachment = referral.attachments.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")
    assert attachment.original_name == "photo.pdf.png"


def test_a_file_over_the_size_limit_is_refused_with_the_limit(
    gp_client: Client, settings: object
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    big = SimpleUploadedFile("irm.pdf", PDF_BYTES + b"0" * 1536 * 1024, "application/pdf")
    page = gp_client.post(NEW, referral_data() | {"files-mri_report": big}).content.decode()
    assert "« irm.pdf » pèse 1,6 Mo : la limite est de 1 Mo par fichier." in page
    assert not Attachment.objects.exists()


def test_good_files_are_kept_when_the_form_has_errors(gp_client: Client, gp: User) -> None:
    data = referral_data(patient__first_names=None) | {"files-ct_report": pdf("scanner.pdf")}
    page = gp_client.post(NEW, data).content.decode()
    draft = Referral.objects.get()
    assert draft.status == "draft" and draft.gp == gp
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["scanner.pdf"]
    assert "Le fichier valide a été joint à la demande : inutile de le choisir à nouveau." in page
    assert "scanner.pdf" in page
    # The corrected form now posts to the draft that holds the file.
    edit = reverse("referrals:gp_referral_edit", args=[draft.pk])
    assert f'action="{edit}"' in page
    gp_client.post(edit, referral_data())
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.attachments.count() == 1
    assert Referral.objects.count() == 1


def test_the_gp_downloads_their_attachment_as_a_non_cached_file(gp_client: Client) -> None:
    attachment = _submit_with(gp_client, ct_report=pdf("scanner.pdf")).attachments.get()
    response = _download(gp_client, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="scanner.pdf"'
    assert response["Cache-Control"] == "no-store"


def test_another_gp_cannot_download_it(gp_client: Client, other_gp_client: Client) -> None:
    attachment = _submit_with(gp_client, ct_report=pdf()).attachments.get()
    assert _download(other_gp_client, attachment).status_code == 404


def test_the_radiologist_downloads_attachments_of_submitted_referrals_only(
    gp_client: Client, radiologist_client: Client
) -> None:
    submitted = _submit_with(gp_client, ct_report=pdf()).attachments.get()
    assert _download(radiologist_client, submitted).status_code == 200
    gp_client.post(NEW, referral_data(action="save") | {"files-ct_report": pdf()})
    draft = Attachment.objects.get(referral__status="draft")
    assert _download(radiologist_client, draft).status_code == 404


def test_media_files_have_no_url_of_their_own(gp_client: Client) -> None:
    attachment = _submit_with(gp_client, ct_report=pdf()).attachments.get()
    for prefix in ("/media/", "/", "/static/"):
        assert gp_client.get(prefix + attachment.file.name).status_code == 404


def test_the_gp_removes_an_attachment_from_a_draft(
    gp_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    gp_client.post(NEW, referral_data(action="save") | {"files-letter": pdf("courrier.pdf")})
    attachment = Attachment.objects.get()
    path = Path(settings.MEDIA_ROOT, attachment.file.name)
    url = reverse("referrals:gp_attachment_remove", args=[attachment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        with_htmx = gp_client.post(url, headers={"HX-Request": "true"})
    assert "« courrier.pdf » a été retiré de la demande." in with_htmx.content.decode()
    assert not Attachment.objects.exists()
    assert not path.exists()
    referral = Referral.objects.get()
    assert referral.events.filter(action="referral.attachment_removed").exists()


def test_attachments_of_a_submitted_referral_cannot_be_removed(
    gp_client: Client, other_gp_client: Client
) -> None:
    attachment = _submit_with(gp_client, ct_report=pdf()).attachments.get()
    url = reverse("referrals:gp_attachment_remove", args=[attachment.pk])
    assert gp_client.post(url).status_code == 403
    assert other_gp_client.post(url).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_file_just_over_the_limit_does_not_read_as_the_limit(
    gp_client: Client, settings: object
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    big = SimpleUploadedFile(
        "irm.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 20_000), "application/pdf"
    )
    page = gp_client.post(NEW, referral_data() | {"files-mri_report": big}).content.decode()
    assert "« irm.pdf » pèse 1,1 Mo : la limite est de 1 Mo par fichier." in page


def test_an_attached_ct_report_ticks_ct_done(gp_client: Client) -> None:
    data = referral_data(facts__ct_available=None) | {"files-ct_report": pdf("scanner.pdf")}
    gp_client.post(NEW, data)
    referral = Referral.objects.get()
    assert referral.ct_available is True
    assert referral.status == "submitted"


def test_an_mri_report_on_the_draft_ticks_mri_done_when_sent(gp_client: Client) -> None:
    draft = referral_data(action="save", facts__mri_available=None)
    gp_client.post(NEW, draft | {"files-mri_report": pdf("irm.pdf")})
    referral = Referral.objects.get()
    assert referral.mri_available is True
    edit = reverse("referrals:gp_referral_edit", args=[referral.pk])
    gp_client.post(edit, referral_data(facts__mri_available=None))
    referral.refresh_from_db()
    assert referral.mri_available is True
    assert referral.status == "submitted"


def test_a_letter_ticks_no_exam(gp_client: Client) -> None:
    data = referral_data(facts__ct_available=None) | {"files-letter": pdf("courrier.pdf")}
    gp_client.post(NEW, data)
    assert Referral.objects.get().ct_available is False
