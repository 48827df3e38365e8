from __future__ import annotations

from datetime import timedelta

import time_machine
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from clinic.models import User
from clinic.ratelimit import hit, rate_limit


@rate_limit("probe", limit=3, window_seconds=600)
def probe_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("done")


def test_burst_over_the_limit_gets_429_then_recovers(db: None, gp: User) -> None:
    factory = RequestFactory()

    def post() -> HttpResponse:
        request = factory.post("/probe/")
        request.user = gp
        request.session = {}  # type: ignore[assignment]
        return probe_view(request)

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert [post().status_code for _ in range(5)] == [200, 200, 200, 429, 429]
        traveller.shift(timedelta(minutes=11))
        assert post().status_code == 200


def test_limits_are_per_user(db: None) -> None:
    assert all(hit("k:user:1", limit=2, window_seconds=60) for _ in range(2))
    assert not hit("k:user:1", limit=2, window_seconds=60)
    assert hit("k:user:2", limit=2, window_seconds=60)
