"""Security row 31: lockout per account and per address. Guessing one account's password from
many addresses locks the account (a delay that grows); behind the TLS proxy each client is known
by the address the proxy reports, so one client's failures do not lock the account for everyone,
and a header forged by a client that is not the proxy is ignored."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.client_address import client_address
from clinic.models import User
from tests.factories import TEST_PASSWORD

LOGIN = reverse("login")


def _try(client: Client, user: User, password: str, address: str, **meta: str) -> int:
    response = client.post(
        LOGIN, {"username": user.username, "password": password}, REMOTE_ADDR=address, **meta
    )
    return response.status_code


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_distributed_guessing_locks_the_account_even_with_the_right_password(gp: User) -> None:
    for host in range(8):  # 4 tries from each of 8 addresses: under axes' 5 per address
        for _ in range(4):
            _try(Client(), gp, "wrong-password-xx", f"198.51.100.{host + 1}")
    client = Client()
    assert _try(client, gp, TEST_PASSWORD, "198.51.100.99") == 429
    assert not _logged_in(client)


def test_the_accounts_delay_doubles_with_each_failure_then_lets_the_right_password_in(
    gp: User, settings: object
) -> None:
    limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(limit):
            _try(Client(), gp, "wrong-password-xx", f"203.0.113.{n + 1}")
        assert _try(Client(), gp, TEST_PASSWORD, "203.0.113.200") == 429
        traveller.shift(timedelta(seconds=61))  # 1 minute after the 10th failure
        assert _try(Client(), gp, "wrong-password-xx", "203.0.113.201") == 200  # counted
        traveller.shift(timedelta(seconds=61))  # the 11th failure's wait is 2 minutes
        assert _try(Client(), gp, TEST_PASSWORD, "203.0.113.202") == 429
        traveller.shift(timedelta(seconds=60))
        client = Client()
        assert _try(client, gp, TEST_PASSWORD, "203.0.113.203") == 302
        assert _logged_in(client)


@pytest.fixture
def behind_proxy(settings: object) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # type: ignore[attr-defined]


def test_behind_the_proxy_one_clients_failures_do_not_lock_the_account_for_everyone(
    gp: User, behind_proxy: None
) -> None:
    for _ in range(6):
        _try(Client(), gp, "wrong-password-xx", "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert _try(Client(), gp, TEST_PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5") == 429
    colleague = Client()
    _try(colleague, gp, TEST_PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _logged_in(colleague)


def test_the_client_address_is_read_from_the_trusted_proxys_header_only(
    rf: object, behind_proxy: None
) -> None:
    def address(remote: str, forwarded: str | None = None) -> str | None:
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_address(rf.get("/", **meta))  # type: ignore[attr-defined]

    assert address("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    # A client forging the header in front of the proxy: the proxy appended the real address.
    assert address("127.0.0.1", "10.9.9.9, 203.0.113.5") == "203.0.113.5"
    # A client reaching the app directly cannot choose its address.
    assert address("203.0.113.66", "10.9.9.9") == "203.0.113.66"
    assert address("127.0.0.1", "not-an-address") == "127.0.0.1"
    assert address("127.0.0.1") == "127.0.0.1"
