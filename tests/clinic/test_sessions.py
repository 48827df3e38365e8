"""Session rotation at login, idle and absolute timeouts, logout and deactivation."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from tests.factories import TEST_PASSWORD


def _login(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_session_key_rotates_at_login(client: Client, gp: User) -> None:
    client.get(reverse("login"))
    client.session["probe"] = 1
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    _login(client, gp)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before != after


def test_idle_session_expires_after_30_minutes(client: Client, gp: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _login(client, gp)
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("home_gp")).status_code == 200  # activity refreshes the expiry
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("home_gp")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("home_gp"))
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")


def test_active_session_ends_after_12_hours(client: Client, gp: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _login(client, gp)
        for _ in range(24):  # busy all day: a request every 29 minutes
            traveller.shift(timedelta(minutes=29))
            client.get(reverse("home_gp"))
        traveller.shift(timedelta(minutes=29))
        response = client.get(reverse("home_gp"))
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")


def test_logout_invalidates_the_old_cookie(client: Client, gp: User) -> None:
    _login(client, gp)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get(reverse("home_gp")).status_code == 302


def test_deactivation_ends_existing_sessions(client: Client, gp: User) -> None:
    _login(client, gp)
    assert client.get(reverse("home_gp")).status_code == 200
    gp.is_active = False
    gp.save(update_fields=["is_active"])
    response = client.get(reverse("home_gp"))
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
