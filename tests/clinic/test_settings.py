"""Production settings refuse to start without a strong SECRET_KEY and pass check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Jx9-v2LqP8wR4tZ7mN1bC6yH0fG5dS2aE9uI8oW3eQ7rT1yU4iO6pA"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    unset = {"SECRET_KEY", "DEBUG", "CIMENTO_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "CIMENTO_TESTING": "false", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start_naming_the_variable() -> None:
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="cimento.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_weak_secret_key_refuses_to_start() -> None:
    result = _manage("check", DEBUG="false", SECRET_KEY="short", ALLOWED_HOSTS="x.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "cimento.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SMS_BACKEND": "notifications.sms.ovh.SmsBackend",
}
REAL_CLINIC = {
    "CLINIC_NAME": "Centre de radiologie interventionnelle Saint-Michel",
    "CLINIC_ADDRESS": "3 rue Saint-Michel, 75005 Paris",
    "CLINIC_PHONE": "01 43 00 00 01",
    "CLINIC_EMAIL": "radiologie@example.org",
    "CLINIC_FINESS": "750712184",
    "CLINIC_EMERGENCY_PHONE": "01 43 00 00 02",
}


def test_check_deploy_is_clean_with_production_variables() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **REAL_CLINIC)
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_warns_while_the_clinic_is_the_demos() -> None:
    real_but_phones = {
        k: v for k, v in REAL_CLINIC.items() if k not in ("CLINIC_PHONE", "CLINIC_EMERGENCY_PHONE")
    }
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **real_but_phones
    )
    assert result.returncode != 0
    assert "clinic.W001" in result.stderr + result.stdout
    assert "CLINIC_PHONE, CLINIC_EMERGENCY_PHONE" in result.stderr + result.stdout


def test_production_refuses_the_console_email_backend() -> None:
    result = _manage(
        "check", DEBUG="false", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="cimento.example.org"
    )
    assert result.returncode != 0
    assert "EMAIL_BACKEND is the console backend" in result.stderr


def test_production_refuses_the_console_sms_backend() -> None:
    result = _manage(
        "check",
        DEBUG="false",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="cimento.example.org",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert result.returncode != 0
    assert "SMS_BACKEND is the console backend" in result.stderr


def test_the_file_email_backend_without_its_folder_refuses_to_start(tmp_path: Path) -> None:
    # Else every send fails in the worker (a TypeError, retried for hours) and nobody is told.
    file_backend = {
        **PRODUCTION,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    result = _manage("check", **file_backend)
    assert result.returncode != 0
    assert "EMAIL_FILE_PATH is not set" in result.stderr
    folder = tmp_path / "emails"
    sent = _manage(
        "shell", "-c", "from django.core.mail import send_mail; "
        "send_mail('Objet', 'Corps', 'a@example.org', ['b@example.org'])",
        **file_backend, EMAIL_FILE_PATH=str(folder),
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    [written] = folder.iterdir()
    assert "Subject: Objet" in written.read_text()


def test_development_defaults_need_no_variables() -> None:
    result = _manage("check")
    assert result.returncode == 0, result.stderr
