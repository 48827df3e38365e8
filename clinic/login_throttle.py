"""A limit per account, on top of django-axes' limit per (username, address) (security row 31).

Guessing one account's password from many addresses (8 addresses × 4 tries stays under axes'
5 per pair) counts here against the username whatever the address: past
`LOGIN_ACCOUNT_FAILURE_LIMIT` failures, the account waits `LOGIN_ACCOUNT_BASE_DELAY` seconds after
its last failure, twice as long after each further failure, up to `LOGIN_ACCOUNT_MAX_DELAY`;
during the wait even the right password is refused with axes' lockout page (the same for an
unknown username: nothing is told about which accounts exist). Tries refused during the wait are
not counted, so one attacker cannot push the delay up faster than it expires. A successful login
clears the count; failures older than the longest delay are forgotten."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from clinic.models import LoginThrottle


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def delay_after(failures: int) -> timedelta:
    """How long an account waits after its last failure, with `failures` counted."""
    over = failures - settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if over < 0:
        return timedelta(0)
    seconds = settings.LOGIN_ACCOUNT_BASE_DELAY * 2 ** min(over, 30)
    return timedelta(seconds=min(seconds, settings.LOGIN_ACCOUNT_MAX_DELAY))


def blocked_until(username: str | None, *, now: datetime | None = None) -> datetime | None:
    """When the account may try again, if it is waiting now."""
    row = LoginThrottle.objects.filter(username=_key(username)).first()
    if row is None:
        return None
    until = row.last_failure_at + delay_after(row.failures)
    return until if until > (now or timezone.now()) else None


class AccountThrottleBackend:
    """First authentication backend: refuses every try on an account that is waiting, before any
    password is checked. Django's authenticate() stops at PermissionDenied; axes' middleware turns
    the flag into its lockout page."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **kwargs: Any
    ) -> None:
        if username and blocked_until(username) is not None:
            if request is not None:
                request.axes_locked_out = True  # type: ignore[attr-defined]
                request.account_throttled = True  # type: ignore[attr-defined]
            raise PermissionDenied
        return None


@receiver(user_login_failed)
def count_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    if getattr(request, "account_throttled", False) or getattr(request, "axes_locked_out", False):
        return  # refused unchecked: not a guess
    key = _key(credentials.get("username"))
    if not key:
        return
    now = timezone.now()
    forget_before = now - timedelta(seconds=settings.LOGIN_ACCOUNT_MAX_DELAY)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                LoginThrottle.objects.filter(
                    username=key, last_failure_at__lt=forget_before
                ).update(failures=0)
                updated = LoginThrottle.objects.filter(username=key).update(
                    failures=F("failures") + 1, last_failure_at=now
                )
                if not updated:
                    LoginThrottle.objects.create(username=key, failures=1, last_failure_at=now)
            return
        except IntegrityError:  # two servers counted the first failure at once
            continue


@receiver(user_logged_in)
def clear_on_success(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    LoginThrottle.objects.filter(username=_key(user.get_username())).delete()
