"""The quality dashboard (radiologists) over a month, a year and every month of the data, and a
GP's own quality page: server time through the test client, target p95 <= 200 ms whatever the
period (issue 20)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from bench.catalogue import Case
from bench.pages import RADIOLOGIST, fetch, logged_in
from bench.report import Row
from bench.timing import interleaved, median, p95
from procedures.models import ProcedureReport

DASHBOARD_TARGET_MS = 200.0


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


def periods(today: date) -> dict[str, dict[str, str]]:
    """The last full month, the last twelve months and every month since the first procedure."""
    last_month = today.replace(day=1) - timedelta(days=1)
    year_ago = (today.replace(day=1) - timedelta(days=330)).replace(day=1)
    first = ProcedureReport.objects.aggregate(first=Min("performed_on"))["first"] or today
    return {
        "a month": {"du": _month(last_month), "au": _month(last_month)},
        "a year": {"du": _month(year_ago), "au": _month(today)},
        f"every month since {_month(first)}": {"du": _month(first), "au": _month(today)},
    }


# The keys bench/page_profile.py knows the figures of dashboard_rows by.
PERIOD_KEYS = {"a month": "quality_month", "a year": "quality_year"}


def profile_cases(*, gp: str) -> list[Case]:
    """The figures of `dashboard_rows` as cases of the catalogue, for bench/page_profile.py:
    quality_month, quality_year, quality_history and quality_gp."""
    page = reverse("quality:dashboard")
    found = [
        Case(
            PERIOD_KEYS.get(name, "quality_history"),
            f"quality dashboard, {name}",
            RADIOLOGIST,
            page,
            params,
            target_ms=DASHBOARD_TARGET_MS,
        )
        for name, params in periods(timezone.localdate()).items()
    ]
    found.append(
        Case(
            "quality_gp",
            "GP's quality page (a year), GP with the most referrals",
            gp,
            reverse("quality:gp"),
            target_ms=DASHBOARD_TARGET_MS,
        )
    )
    return found


def dashboard_rows(size: str, *, gp: str, runs: int) -> list[Row]:
    client = logged_in(RADIOLOGIST)
    page = reverse("quality:dashboard")
    cases: dict[str, Callable[[], object]] = {
        f"quality dashboard, {name}, {size}": partial(fetch, client, page, params)
        for name, params in periods(timezone.localdate()).items()
    }
    gp_client = logged_in(gp)
    cases[f"GP's quality page (a year), GP with the most referrals, {size}"] = partial(
        fetch, gp_client, reverse("quality:gp")
    )
    times = interleaved(cases, runs=runs)
    rows = []
    for name, values in times.items():
        ms = [t * 1000 for t in values]
        rows.append(
            Row(
                name,
                median(ms),
                p95(ms),
                "ms",
                via="client",
                target=f"p95 <= {DASHBOARD_TARGET_MS:.0f} ms",
                met=p95(ms) <= DASHBOARD_TARGET_MS,
                runs=len(ms),
            )
        )
    return rows
