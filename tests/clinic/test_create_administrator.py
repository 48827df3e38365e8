"""The first administrator, from the server (docs/deployment.md, step 6): `manage.py
create_administrator` makes the account and prints its one-time enrolment code; the person logs
in, types it, pairs an authenticator and reaches the administration pages. Run again, it resets
a lost authenticator; it never turns another role's account into an administrator."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import AccountEvent, EnrolmentCode, User
from tests.clinic.test_second_factor import _current_code

PASSWORD = "Chef-de-service-2026!"


def _create(monkeypatch: pytest.MonkeyPatch, username: str = "chef", **kw: str) -> str:
    monkeypatch.setenv("CIMENTO_ADMIN_PASSWORD", kw.pop("password", PASSWORD))
    out = StringIO()
    call_command("create_administrator", username, "--noinput", stdout=out, **kw)
    [code] = re.findall(r"shown only now\): ([A-Z0-9]{12})", out.getvalue())
    return code


@pytest.mark.django_db
def test_the_first_administrator_enrols_with_the_printed_code_and_reaches_the_admin(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    code = _create(monkeypatch, email="chef@example.org", last_name="Petit")
    chef = User.objects.get(username="chef")
    assert (chef.role, chef.is_staff, chef.is_superuser) == ("admin", True, True)
    assert EnrolmentCode.objects.get(user=chef).created_by is None
    assert set(AccountEvent.objects.values_list("action", "actor")) == {
        ("account.role_granted", None),
        ("account.otp_reset", None),
    }

    client = Client()
    login = client.post(reverse("login"), {"username": "chef", "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/admin/").status_code == 302  # not before the second factor
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(reverse("otp_enrol"), {"code": code})
        client.get(reverse("otp_enrol"))
        device = TOTPDevice.objects.get(user=chef)
        traveller.shift(timedelta(seconds=1))
        client.post(reverse("otp_enrol"), {"token": _current_code(device)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_run_again_it_resets_a_lost_authenticator_with_a_new_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _create(monkeypatch)
    chef = User.objects.get(username="chef")
    TOTPDevice.objects.create(user=chef, name="téléphone perdu", confirmed=True)
    second = _create(monkeypatch)
    assert second != first
    assert not TOTPDevice.objects.filter(user=chef).exists()
    assert EnrolmentCode.objects.filter(user=chef, used_at__isnull=True).count() == 1
    chef.refresh_from_db()
    assert chef.check_password(PASSWORD)  # the password is not touched


def test_it_never_makes_another_roles_account_an_administrator(
    monkeypatch: pytest.MonkeyPatch, secretary: User
) -> None:
    with pytest.raises(CommandError, match="exists and is not an administrator"):
        _create(monkeypatch, username=secretary.username)
    secretary.refresh_from_db()
    assert secretary.role == "secretary" and not secretary.is_superuser


@pytest.mark.django_db
def test_a_weak_or_missing_password_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CommandError, match=r"trop court|too short"):
        _create(monkeypatch, password="court")
    monkeypatch.delenv("CIMENTO_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="CIMENTO_ADMIN_PASSWORD"):
        call_command("create_administrator", "chef", "--noinput", stdout=StringIO())
    assert not User.objects.filter(username="chef").exists()
