from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import User


def _current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def otp_required(settings: object) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", ["radiologist", "secretary", "admin_user"], indirect=True)
def test_staff_without_a_device_is_sent_to_enrolment(
    client: Client, persona: User, otp_required: None
) -> None:
    client.force_login(persona)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("otp_enrol"))
    assert "Activer la double authentification" in response.content.decode()


def test_gp_needs_no_second_factor(client: Client, gp: User, otp_required: None) -> None:
    client.force_login(gp)
    assert client.get(reverse("home_gp")).status_code == 200


def test_enrolment_then_verified_session_reaches_the_worklist(
    client: Client, radiologist: User, otp_required: None
) -> None:
    client.force_login(radiologist)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get(reverse("otp_enrol"))
        device = TOTPDevice.objects.get(user=radiologist)
        wrong = "000000" if _current_code(device) != "000000" else "111111"
        response = client.post(reverse("otp_enrol"), {"token": wrong})
        assert "Code incorrect" in response.content.decode()
        assert client.get(reverse("home_radiologist")).status_code == 302
        traveller.shift(timedelta(seconds=5))  # django-otp throttles right after a failure
        client.post(reverse("otp_enrol"), {"token": _current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home_radiologist")).status_code == 200


def test_a_code_is_accepted_only_once(
    client: Client, radiologist: User, otp_required: None
) -> None:
    device = TOTPDevice.objects.create(user=radiologist, name="app", confirmed=True)
    code = _current_code(device)
    client.force_login(radiologist)
    first = client.post(reverse("otp_verify"), {"token": code})
    assert first.status_code == 302
    other = Client()
    other.force_login(radiologist)
    replay = other.post(reverse("otp_verify"), {"token": code})
    assert replay.status_code == 200
    assert "Code incorrect, expiré ou déjà utilisé" in replay.content.decode()
    assert other.get(reverse("home_radiologist")).status_code == 302
