"""Fixed-window rate limits shared by all app servers (counters live in the database).

    @rate_limit("referral-submit", limit=20, window_seconds=600)
    def submit(request, pk): ...

Over the limit, the view is not run and the user gets a 429 page saying when to retry.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from clinic.audit import client_ip
from clinic.models import RateCounter

F_ = TypeVar("F_", bound=Callable[..., HttpResponseBase])


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request for `key`; True while the window's count is within `limit`."""
    window = int(timezone.now().timestamp()) // window_seconds
    for _attempt in range(3):
        try:
            with transaction.atomic():
                updated = RateCounter.objects.filter(key=key, window=window).update(
                    count=F("count") + 1
                )
                if not updated:
                    RateCounter.objects.create(key=key, window=window, count=1)
                    # Old windows are worthless; drop them when a new one opens.
                    RateCounter.objects.filter(key=key, window__lt=window).delete()
                count = RateCounter.objects.get(key=key, window=window).count
            return count <= limit
        except IntegrityError:  # two servers opened the same window at once: count again
            continue
    return False


def _client_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request) or ''}"


def rate_limit(
    scope: str, *, limit: int, window_seconds: int, methods: tuple[str, ...] = ("POST",)
) -> Callable[[F_], F_]:
    def decorator(view: F_) -> F_:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods and not hit(
                f"{scope}:{_client_key(request)}", limit=limit, window_seconds=window_seconds
            ):
                return render(
                    request, "429.html", {"retry_minutes": max(1, window_seconds // 60)}, status=429
                )
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
