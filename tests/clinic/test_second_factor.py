from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.accounts import enrolment_code_issue, enrolment_code_valid
from clinic.models import EnrolmentCode, User


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
    client: Client, radiologist: User, admin_user: User, otp_required: None
) -> None:
    code = enrolment_code_issue(account=radiologist, by=admin_user)
    client.force_login(radiologist)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(reverse("otp_enrol"), {"code": code.lower()})
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
    assert EnrolmentCode.objects.get(user=radiologist).used_at is not None


def test_staff_enrolment_needs_the_administrators_one_time_code(
    client: Client, radiologist: User, admin_user: User, otp_required: None
) -> None:
    """A stolen password alone neither sees a secret nor pairs a device."""
    client.force_login(radiologist)
    page = client.get(reverse("otp_enrol")).content.decode()
    assert "Code d’activation remis par l’administrateur" in page
    assert "otp-qr" not in page and not TOTPDevice.objects.filter(user=radiologist).exists()
    response = client.post(reverse("otp_enrol"), {"code": "ABCDEFGHJKMN"})
    assert "Code d’activation inconnu, expiré ou déjà utilisé" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=radiologist).exists()
    code = enrolment_code_issue(account=radiologist, by=admin_user)
    client.post(reverse("otp_enrol"), {"code": code})
    assert "otp-qr" in client.get(reverse("otp_enrol")).content.decode()
    # The code is single-use: once the device is confirmed it opens nothing more.
    device = TOTPDevice.objects.get(user=radiologist)
    client.post(reverse("otp_enrol"), {"token": _current_code(device)})
    assert enrolment_code_valid(account=radiologist, code=code) is None


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
