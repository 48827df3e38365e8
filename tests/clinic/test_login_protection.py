"""Lockout after repeated failures, CSRF, password policy."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clinic.models import User
from tests.factories import TEST_PASSWORD


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


def test_long_passphrase_is_accepted(gp: User) -> None:
    validate_password("the cement sets slowly in the lumbar spine", gp)
