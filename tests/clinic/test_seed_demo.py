from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from clinic.demo import DEMO_PASSWORD, DEMO_USERS
from clinic.models import User


def test_seed_demo_is_idempotent_and_creates_one_account_per_role(
    db: None, settings: object
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("seed_demo", quiet_logins=True)
    call_command("seed_demo", quiet_logins=True)
    assert User.objects.count() == len(DEMO_USERS)
    assert {u.role for u in User.objects.all()} == {"gp", "radiologist", "secretary", "admin"}
    assert all(u.check_password(DEMO_PASSWORD) for u in User.objects.all())


def test_seed_demo_is_refused_in_production(db: None, settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="with DEBUG=true"):
        call_command("seed_demo")
    assert not User.objects.exists()
