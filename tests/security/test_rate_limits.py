"""Checklist row 25: bursts on the referral form, the login form and the password reset form are
answered 429 with a page saying when to retry; repeated failures on one account lock it (axes,
tests/clinic/test_login_protection.py)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.models import Referral
from referrals.views.gp import PREVIEW_LIMIT, PREVIEW_WINDOW_SECONDS
from tests.conftest import client_for
from tests.referrals.form_data import referral_data


def test_a_burst_of_referral_saves_is_answered_429_then_accepted_again(
    gp: User, other_gp: User
) -> None:
    client = client_for(gp)
    url = reverse("referrals:gp_referral_new")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        codes = [client.post(url, referral_data(action="save")).status_code for _ in range(32)]
        assert codes[:30] == [302] * 30 and codes[30:] == [429, 429]
        assert Referral.objects.filter(gp=gp).count() == 30

        refused = client.post(url, referral_data(action="save"))
        assert "Réessayez dans 10 minutes" in refused.content.decode()
        assert client.get(url).status_code == 200  # reading the form is not limited
        # Another GP is not held back by this one.
        assert client_for(other_gp).post(url, referral_data(action="save")).status_code == 302

        traveller.shift(timedelta(minutes=10))
        assert client.post(url, referral_data(action="save")).status_code == 302


def test_the_live_verdict_is_limited_per_account(gp: User, other_gp: User) -> None:
    url = reverse("referrals:gp_referral_preview")
    client = client_for(gp)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        codes = [client.post(url, referral_data()).status_code for _ in range(PREVIEW_LIMIT + 1)]
        assert codes[:PREVIEW_LIMIT] == [200] * PREVIEW_LIMIT and codes[-1] == 429
        assert client_for(other_gp).post(url, referral_data()).status_code == 200
        traveller.shift(timedelta(seconds=PREVIEW_WINDOW_SECONDS))
        assert client.post(url, referral_data()).status_code == 200


def test_editing_a_draft_counts_in_the_same_limit(gp: User) -> None:
    client = client_for(gp)
    client.post(reverse("referrals:gp_referral_new"), referral_data(action="save"))
    edit = reverse("referrals:gp_referral_edit", args=[Referral.objects.get().pk])
    with time_machine.travel(timezone.now(), tick=False):
        codes = [client.post(edit, referral_data(action="save")).status_code for _ in range(31)]
    assert codes.count(429) == 2  # 1 creation + 29 edits went through


def test_one_address_trying_many_accounts_is_held_back(db: None) -> None:
    client = Client()
    url = reverse("login")
    with time_machine.travel(timezone.now(), tick=False):
        codes = [
            client.post(url, {"username": f"user{n}", "password": "a-wrong-password"}).status_code
            for n in range(51)
        ]
    assert 429 not in codes[:50]
    assert codes[50] == 429


def test_password_reset_requests_are_limited_per_address(gp: User) -> None:
    client = Client()
    url = reverse("password_reset")
    with time_machine.travel(timezone.now(), tick=False):
        codes = [client.post(url, {"email": gp.email}).status_code for _ in range(12)]
    assert codes[:10] == [302] * 10 and codes[10:] == [429, 429]
    assert len(mail.outbox) == 10
