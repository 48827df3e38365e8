from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from tests.clinic.test_settings import ROOT, STRONG_KEY


@pytest.mark.parametrize("path", ["/connexion/", "/medecin/"])
def test_every_page_sends_the_security_headers(client: Client, gp: User, path: str) -> None:
    if path != "/connexion/":
        client.force_login(gp)
    response = client.get(path, secure=True)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_pages_of_a_logged_in_user_are_not_cached(client: Client, gp: User) -> None:
    client.force_login(gp)
    assert client.get(reverse("home_gp"))["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script(client: Client, gp: User) -> None:
    client.force_login(gp)
    html = client.get(reverse("home_gp")).content.decode()
    for chunk in html.split("<script")[1:]:
        assert chunk.split(">", 1)[0].find("src=") != -1, "inline <script> found"


def test_production_sends_hsts_and_secure_cookies() -> None:
    code = (
        "import django; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "cimento.example.org",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "SMS_BACKEND": "notifications.sms.disabled.SmsBackend",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    hsts, session_secure, csrf_secure, httponly, samesite, redirect = result.stdout.split()
    assert int(hsts) >= 31536000
    assert session_secure == csrf_secure == httponly == redirect == "True"
    assert samesite == "Lax"
