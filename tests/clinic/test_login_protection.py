"""Lockout after repeated failures, CSRF, password policy."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clinic.models import User
from tests.factories import TEST_PASSWORD, GPFactory


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    client: Client, gp: User
) -> None:
    for _ in range(5):
        client.post(reverse("login"), {"username": gp.username, "password": "wrong-password-xx"})
    response = client.post(reverse("login"), {"username": gp.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_post_without_csrf_token_is_refused(gp: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": gp.username, "password": TEST_PASSWORD})
    assert response.status_code == 403
    client.force_login(gp)
    assert client.post(reverse("logout")).status_code == 403


@pytest.mark.parametrize("password", ["short-pw1", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password: str, gp: User) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, gp)


# Each validator refuses with its own message, on the page where a user changes their password.
# The similar ones are long and uncommon: only the similarity validator stands in their way.
WEAK_PASSWORDS = {
    "too short": ("Cim-3nt0!", "Ce mot de passe est trop court"),
    "common": ("password1234", "Ce mot de passe est trop courant"),
    "similar to the username": ("cabinet-martin-75", "Le mot de passe est trop semblable"),
    "similar to the e-mail": ("martin.cabinet@example", "Le mot de passe est trop semblable"),
}


@pytest.mark.parametrize("case", WEAK_PASSWORDS, ids=list(WEAK_PASSWORDS))
def test_each_weak_password_is_refused_with_its_reason(case: str, db: None) -> None:
    gp = GPFactory(username="cabinet-martin", email="martin.cabinet@example.invalid")
    password, reason = WEAK_PASSWORDS[case]
    client = Client()
    client.force_login(gp)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    gp.refresh_from_db()
    assert gp.check_password(TEST_PASSWORD)


def test_long_passphrase_is_accepted(gp: User) -> None:
    validate_password("the cement sets slowly in the lumbar spine", gp)
