"""Checklist row 18: URLs carry ids only (test_role_matrix.py checks every route's converters),
and no log line holds a patient's name or NIR, a password or a one-time code, even at DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import User
from referrals.models import Referral
from tests.conftest import client_for
from tests.factories import TEST_PASSWORD, fictional_nir
from tests.referrals.form_data import pdf, referral_data

NIR = fictional_nir("F", 1941, 3, 77)
PATIENT = {
    "patient-birth_name": "Quintessa",
    "patient-first_names": "Philomène",
    "patient-nir": NIR,
    "patient-phone": "06 98 76 54 32",
    "patient-address": "7 impasse Introuvable, 75005 Paris",
    "facts-clinical_note": "Chute chez sa fille Ermengarde.",
}
WRONG_PASSWORD = "Not-The-Password-42!"


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """What the logs would hold with LOG_LEVEL=DEBUG: the root logger at DEBUG, the loggers that
    settings.LOGGING configures at their own level; loggers that do not propagate (axes) too."""
    caplog.set_level(logging.DEBUG)
    attached = []
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and not logger.propagate:
            logger.addHandler(caplog.handler)
            attached.append(logger)
    yield caplog
    for logger in attached:
        logger.removeHandler(caplog.handler)


def _log_text(caplog: pytest.LogCaptureFixture) -> str:
    lines = []
    for record in caplog.records:
        lines.append(f"{record.name} {record.getMessage()} {record.args!r} {record.exc_text or ''}")
        lines.append(repr(getattr(record, "request", "")))
    return "\n".join(lines).lower()


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.parametrize(
    "debug", [False, True], ids=["production LOG_LEVEL=DEBUG", "DEBUG and django logger at DEBUG"]
)
def test_a_whole_referral_and_failed_logins_leave_no_secret_in_the_logs(
    every_log: pytest.LogCaptureFixture,
    gp: User,
    other_gp: User,
    radiologist: User,
    settings: object,
    debug: bool,
) -> None:
    settings.DEBUG = debug  # type: ignore[attr-defined]
    if debug:  # someone debugging Django itself: its own loggers at DEBUG
        every_log.set_level(logging.DEBUG, logger="django")
    settings.OTP_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]
    login = reverse("login")
    anonymous = Client()
    # Failed logins until another GP's account locks, an unknown account, then a good login.
    for _ in range(6):
        anonymous.post(login, {"username": other_gp.username, "password": WRONG_PASSWORD})
    anonymous.post(login, {"username": "nobody-here", "password": WRONG_PASSWORD})
    client = Client()
    assert (
        client.post(login, {"username": gp.username, "password": TEST_PASSWORD}).status_code == 302
    )

    # The GP refers a patient with a file; another GP tries to open it.
    client.post(
        reverse("referrals:gp_referral_new"), referral_data(**PATIENT) | {"files-mri_report": pdf()}
    )
    referral = Referral.objects.get()
    assert referral.patient.nir == NIR
    client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))
    client_for(other_gp).get(reverse("referrals:gp_referral_detail", args=[referral.pk]))

    # A radiologist passes the second factor, opens the referral and its file.
    device = TOTPDevice.objects.create(user=radiologist, name="app", confirmed=True)
    code = _code(device)
    staff = Client()
    staff.post(login, {"username": radiologist.username, "password": TEST_PASSWORD})
    staff.post(reverse("otp_verify"), {"token": code})
    assert staff.get(reverse("referrals:radiology_referral", args=[referral.pk])).status_code == 200
    attachment = referral.attachments.get()
    staff.get(reverse("referrals:attachment_download", args=[attachment.pk]))

    logged = _log_text(every_log)
    assert "axes" in logged  # the lockout warning: the capture reaches non-propagating loggers
    secrets = {
        "birth name": "quintessa",
        "first name": "philomène",
        "NIR": NIR,
        "NIR without key": NIR[:13],
        "phone": "98 76 54 32",
        "address": "introuvable",
        "clinical note": "ermengarde",
        "password": TEST_PASSWORD.lower(),
        "wrong password": WRONG_PASSWORD.lower(),
        "one-time code": code,
    }
    leaked = [what for what, value in secrets.items() if value.lower() in logged]
    assert not leaked, f"in the logs: {leaked}"
