"""make backup / make restore: the database and the stored files come back together, only into a
database named explicitly, with the application role's grants (security rows 28 and 35)."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from referrals.models import Attachment, Referral
from referrals.services.attachments import attachment_add
from tests.clinic.test_settings import ROOT
from tests.factories import FractureLevelFactory, ReferralFactory
from tests.referrals.form_data import PDF_BYTES

PDF = PDF_BYTES
NOTE = "note à retrouver après restauration"


def _referral_with_a_file() -> Attachment:
    referral = ReferralFactory(clinical_note=NOTE)
    FractureLevelFactory(referral=referral, level="T12")
    upload = SimpleUploadedFile("irm.pdf", PDF, content_type="application/pdf")
    return attachment_add(referral=referral, kind="ct_report", file=upload, by=referral.gp)


def _url(dbname: str) -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgresql://{auth}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{dbname}"


def _make(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-s", *args, f"PY={sys.executable}"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restores_rows_files_and_grants_into_a_fresh_database(tmp_path: Path) -> None:
    attachment = _referral_with_a_file()
    live = _url(connection.settings_dict["NAME"])
    archive = tmp_path / "cimento.tar"
    restored_media = tmp_path / "restored-media"
    fresh, role = f"cimento_restore_{uuid.uuid4().hex[:8]}", f"cimento_app_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
        admin.execute(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        media = {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
        backup = _make("backup", f"BACKUP={archive}", env={"DATABASE_URL": live, **media})
        assert backup.returncode == 0, backup.stderr
        assert archive.stat().st_mode & 0o077 == 0  # health data: readable by its owner only

        # DATABASE_URL (the live database) is set, as on a server: it must not be the target.
        env = {"DATABASE_URL": live, "MEDIA_ROOT": str(restored_media)}
        restore = _make(
            "restore",
            f"BACKUP={archive}",
            f"TARGET={_url(fresh)}",
            f"RESTORE_ARGS=--app-role {role}",
            env=env,
        )
        assert restore.returncode == 0, restore.stderr
        assert f"grants applied to {role}" in restore.stdout

        with psycopg.connect(_url(fresh)) as restored:
            rows = restored.execute(
                "SELECT r.clinical_note, l.level, a.file FROM referrals_referral r "
                "JOIN referrals_fracturelevel l ON l.referral_id = r.id "
                "JOIN referrals_attachment a ON a.referral_id = r.id"
            ).fetchall()
            assert rows == [(NOTE, "T12", attachment.file.name)]
            # The application role may read and append, not rewrite the audit trail.
            restored.execute(f'SET ROLE "{role}"')
            restored.execute("SELECT count(*) FROM referrals_referral")
            restored.execute(
                "INSERT INTO clinic_accesslog (at, what, outcome, search) "
                "VALUES (now(), 'referral', 'granted', '')"
            )
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                restored.execute("DELETE FROM clinic_accesslog")
        restored_file = restored_media / attachment.file.name
        assert restored_file.read_bytes() == PDF
        assert restored_file.stat().st_mode & 0o077 == 0

        # Restoring the same backup over a database that holds Cimento is refused, the live one
        # first among them; nothing is changed there.
        again = _make("restore", f"BACKUP={archive}", f"TARGET={live}", env=env)
        assert again.returncode != 0
        assert "already holds Cimento's tables" in again.stderr
        assert Referral.objects.filter(clinical_note=NOTE).count() == 1
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.mark.django_db(transaction=True)
def test_restore_without_an_explicit_target_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    _referral_with_a_file()
    archive = tmp_path / "cimento.tar"
    call_command("backup", output=archive, stdout=open("/dev/null", "w"))  # noqa: SIM115

    with pytest.raises(CommandError, match="explicit target database") as refused:
        call_command("restore", archive)
    assert "DATABASE_URL" in str(refused.value)
    assert Referral.objects.filter(clinical_note=NOTE).count() == 1
    # make restore without TARGET says the same (and never falls back to DATABASE_URL).
    by_make = _make("restore", f"BACKUP={archive}", env={"DATABASE_URL": "sqlite:////nonexistent"})
    assert by_make.returncode != 0 and "explicit target database" in by_make.stderr


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_rows_and_files(tmp_path: Path, settings: object) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip (PostgreSQL's is above)")
    attachment = _referral_with_a_file()
    archive = tmp_path / "cimento.tar"
    call_command("backup", output=archive, stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.MEDIA_ROOT = tmp_path / "restored-media"  # type: ignore[attr-defined]
    target = tmp_path / "restored.sqlite3"

    call_command(
        "restore",
        archive,
        target_database=f"sqlite:///{target}",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )

    with sqlite3.connect(target) as restored:
        rows = restored.execute(
            "SELECT r.clinical_note, a.file FROM referrals_referral r "
            "JOIN referrals_attachment a ON a.referral_id = r.id"
        ).fetchall()
    assert rows == [(NOTE, attachment.file.name)]
    assert default_storage.open(attachment.file.name).read() == PDF
    # A second restore into the same database is refused unless asked to replace it.
    with pytest.raises(CommandError, match="already holds Cimento's tables"):
        call_command("restore", archive, target_database=f"sqlite:///{target}")


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    attachment = _referral_with_a_file()
    archive = tmp_path / "cimento.tar"
    call_command("backup", output=archive, stdout=open("/dev/null", "w"))  # noqa: SIM115
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as copy:
        for member in source.getmembers():
            body = source.extractfile(member)
            if member.name.endswith(attachment.file.name):
                body = io.BytesIO(PDF.replace(b"1.4", b"1.7"))
            copy.addfile(member, body)
    target = tmp_path / "restored.sqlite3"
    url = f"sqlite:///{target}" if connection.vendor == "sqlite" else _url("unused")

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", damaged, target_database=url)
    assert not target.exists()


def test_backups_are_ignored_by_git() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "backups/cimento-20270101T000000Z.tar"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0, "backups/ is not in .gitignore"


def test_every_stored_file_is_in_a_backed_up_storage() -> None:
    backed_up = [storages[alias] for alias in settings.BACKUP_STORAGES]
    if "default" in settings.BACKUP_STORAGES:
        backed_up.append(default_storage)  # the lazy object FileFields hold by default
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                assert any(field.storage is storage for storage in backed_up), (
                    f"{model._meta.label}.{field.name}: its storage is not in BACKUP_STORAGES"
                )
