"""Patient files on the local disk and on S3-compatible storage (a bucket on moto's server on
127.0.0.1): uploads, downloads, the orphan purge, backups and the patient export behave alike;
on S3 the objects are private, encrypted at rest and have no URL of their own."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.models import Attachment
from tests.ops.conftest import s3_client
from tests.referrals.form_data import PDF_BYTES, pdf, referral_data

pytestmark = pytest.mark.django_db


def _submit_with_a_file(gp_client: Client) -> Attachment:
    data = referral_data() | {"files-mri_report": pdf("irm-lombaire.pdf")}
    response = gp_client.post(reverse("referrals:gp_referral_new"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Attachment.objects.get()


def _on_disk() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_an_uploaded_file_is_downloaded_as_sent(
    storage_backend: dict[str, str], gp_client: Client
) -> None:
    attachment = _submit_with_a_file(gp_client)

    response = gp_client.get(reverse("referrals:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    assert "irm-lombaire.pdf" in response["Content-Disposition"]
    # On S3 nothing lands on the app server's disk: another server reads the same object.
    assert len(_on_disk()) == (0 if storage_backend else 1)


def test_s3_objects_are_private_encrypted_and_have_no_url(
    s3_endpoint: str, s3_storage: dict[str, str], gp_client: Client
) -> None:
    attachment = _submit_with_a_file(gp_client)
    s3 = s3_client(s3_endpoint)
    bucket, key = s3_storage["S3_BUCKET"], attachment.file.name

    head = s3.head_object(Bucket=bucket, Key=key)
    grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]

    assert head["ServerSideEncryption"] == "AES256"
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner, and nobody else
    assert "URI" not in grants[0]["Grantee"]  # no AllUsers / AuthenticatedUsers group
    with pytest.raises(NotImplementedError, match="no URL"):
        attachment.file.url  # noqa: B018


def test_another_gp_cannot_download_the_file(
    storage_backend: dict[str, str], gp_client: Client, other_gp_client: Client
) -> None:
    attachment = _submit_with_a_file(gp_client)
    url = reverse("referrals:attachment_download", args=[attachment.pk])
    assert other_gp_client.get(url).status_code == 404


def test_a_missing_stored_file_is_a_404_not_an_error(
    storage_backend: dict[str, str], gp_client: Client
) -> None:
    attachment = _submit_with_a_file(gp_client)
    default_storage.delete(attachment.file.name)
    url = reverse("referrals:attachment_download", args=[attachment.pk])
    assert gp_client.get(url).status_code == 404


def test_the_purge_deletes_orphans_and_keeps_attached_files(
    storage_backend: dict[str, str], gp_client: Client
) -> None:
    attachment = _submit_with_a_file(gp_client)
    orphan = default_storage.save("attachments/ab/orphan.pdf", ContentFile(PDF_BYTES))

    call_command("purge_orphan_files", stdout=io.StringIO())  # an hour's grace by default
    assert default_storage.exists(orphan)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        out = io.StringIO()
        call_command("purge_orphan_files", stdout=out)

    assert "1 orphan file(s) deleted." in out.getvalue()
    assert not default_storage.exists(orphan)
    assert default_storage.exists(attachment.file.name)


def test_a_backup_holds_the_stored_files_and_restores_them(
    storage_backend: dict[str, str], gp_client: Client, tmp_path: Path
) -> None:
    from clinic.backups import _write_file

    attachment = _submit_with_a_file(gp_client)
    archive = tmp_path / "cimento.tar"
    call_command("backup", output=archive, stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        member = tar.extractfile(f"files/default/{attachment.file.name}")
        assert member is not None and member.read() == PDF_BYTES
        # The files part of a restore, into storage emptied of them (the database part is
        # tests/ops/test_backup_restore.py's).
        default_storage.delete(attachment.file.name)
        for entry in manifest["files"]:
            _write_file(tar, entry)

    assert [f["name"] for f in manifest["files"]] == [attachment.file.name]
    with default_storage.open(attachment.file.name, "rb") as restored:
        assert restored.read() == PDF_BYTES


def test_the_patient_export_copies_the_stored_files(
    storage_backend: dict[str, str], gp_client: Client, gp: User, tmp_path: Path
) -> None:
    attachment = _submit_with_a_file(gp_client)
    folder = tmp_path / "export"

    call_command(
        "export_patient",
        str(attachment.referral.patient_id),
        output=str(tmp_path / "export.json"),
        files=str(folder),
    )

    assert (folder / f"{attachment.pk}-irm-lombaire.pdf").read_bytes() == PDF_BYTES
