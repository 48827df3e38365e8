"""Every page a user opens, with who opens it and its target: what `make bench` times at both
sizes (1,000 and 100,000 referrals) and what gunicorn serves for its memory figure.

A case is picked on the database as it is (the referral, GP or day it shows); a page that does
not exist in this version of the product (its URL name unknown) is left out with a note."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.contention import session_day
from bench.pages import (
    FILTERED,
    HISTORY,
    LAYOUT,
    LIST_TARGET_MS,
    RADIOLOGIST,
    SECRETARY,
    BenchError,
    Timed,
    _timed,
    fetch,
    gps_to_measure,
    logged_in,
    referral_form,
)
from bench.timing import interleaved
from bench.volume import VOLUME_PREFIX
from clinic.models import Role, User
from followups.models import FollowUp
from followups.selectors import lost_since
from referrals.choices import Status
from referrals.models import Referral
from referrals.selectors import SEARCH_LIMIT
from scheduling.models import Booking, DaySession

# The quality dashboard aggregates the whole history: its own target, and its growth with the
# history is printed without one.
DASHBOARD_TARGET_MS = 200.0
# The live verdict panel (htmx, at every change of the referral form).
VERDICT_TARGET_MS = 30.0


@dataclass(frozen=True)
class Case:
    key: str  # stable across sizes (the step row pairs them by it)
    label: str  # what the table prints, with what the page shows at this size
    username: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    post: bool = False
    target_ms: float | None = LIST_TARGET_MS
    baseline: str = ""  # the key of the bare view it is printed against
    step: bool = True  # the 1,000 -> 100,000 step has a target
    http: bool = True  # served over HTTP for the memory figure too


def _url(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=list(args))
    except NoReverseMatch:
        return None


def _vol_referrals(status: str) -> object:
    return Referral.objects.filter(gp__username__startswith=VOLUME_PREFIX, status=status)


def _two_levels(status: str) -> Referral:
    """The newest referral of `status` with two levels (a typical page to read)."""
    found = (
        _vol_referrals(status)
        .annotate(n=Count("levels"))  # type: ignore[attr-defined]
        .filter(n=2)
        .select_related("gp")
        .order_by("-pk")
        .first()
    )
    if found is None:
        raise BenchError(f"no {status} referral with two levels: seed more referrals")
    return found  # type: ignore[no-any-return]


# The suffix of a page timed at the large size on the small size's content (its step row).
SAME_CONTENT = "_same_content"


def sessions_in_8_weeks() -> int:
    """What the sessions list shows on this database (the same_content of the next size)."""
    today = timezone.localdate()
    return DaySession.objects.filter(date__gte=today, date__lte=today + timedelta(weeks=8)).count()


def same_content(small_sessions: int) -> list[Case]:
    """The sessions list and the day view on the large database, showing what they show on the
    small one: the seeded schedule grows with the history (a network's waiting list is a share
    of its referrals), so the same 8 weeks and a day hold ten times more at 100,000. The day is
    the small database's, which the growth left as it was (seed_volume --keep-day); the
    sessions list runs over the weeks whose sessions are closest in number. Their step is
    timed on these: the same content over a longer history."""
    today = timezone.localdate()
    by_weeks = {
        weeks: DaySession.objects.filter(
            date__gte=today, date__lte=today + timedelta(weeks=weeks)
        ).count()
        for weeks in range(1, 9)
    }
    weeks = min(by_weeks, key=lambda w: (abs(by_weeks[w] - small_sessions), w))
    day = session_day(today)
    sessions = DaySession.objects.filter(date=day).count()
    bookings = Booking.objects.filter(session__date=day).count()
    return [
        Case(f"sessions{SAME_CONTENT}",
             f"sessions list, {weeks} week(s) ({by_weeks[weeks]:,} sessions)", SECRETARY,
             reverse("scheduling:sessions"), {"semaines": str(weeks)}, target_ms=None,
             step=False, http=False),
        Case(f"day{SAME_CONTENT}",
             f"day view, the small database's day ({sessions} sessions, {bookings} bookings)",
             SECRETARY, reverse("scheduling:day"), {"date": day.isoformat()}, target_ms=None,
             step=False, http=False),
    ]  # fmt: skip


def cases(*, bookable: Referral | None, full_day: bool = False) -> list[Case]:
    """The pages to time on the database as it is now. `bookable`: an accepted referral the
    booking page can propose sessions for (None: that page is left out). The day view shows the
    bench's day, or with `full_day` the next Tuesday to Friday after it (the grown database
    keeps the bench's day as the small one left it: same_content)."""
    today = timezone.localdate()
    day = session_day(today)
    if full_day:  # a Tuesday to Friday: the seed books a weekend's draws on Mondays (3 x)
        day += timedelta(days=1)
        while day.weekday() in (5, 6, 0):
            day += timedelta(days=1)
    found: list[Case] = []
    worklist, rows = reverse("home_radiologist"), reverse("bench_worklist_rows")
    for key, name, params in (
        ("worklist_first", "worklist, first page", {}),
        ("worklist_filtered", "worklist, to review filtered (verdict, level)", FILTERED),
        ("worklist_history", "worklist, history tab filtered (done, verdict, level)", HISTORY),
    ):
        found.append(Case(f"{key}_base", f"{name}: bare view", RADIOLOGIST, rows, params))
        found.append(Case(key, name, RADIOLOGIST, worklist, params, baseline=f"{key}_base"))
    found.append(
        Case(
            LAYOUT,
            "empty page in the layout (no query, no row)",
            RADIOLOGIST,
            reverse("bench_layout"),
            target_ms=None,
            step=False,
            http=False,
        )
    )
    for index, (title, username, count) in enumerate(gps_to_measure()):
        key = f"gp_home_{index}"
        label = f"GP home, {title} ({count:,} referrals)"
        found.append(Case(f"{key}_base", f"{label}: bare view", username, reverse("bench_gp_rows")))
        found.append(Case(key, label, username, reverse("home_gp"), baseline=f"{key}_base"))
    sessions = DaySession.objects.filter(date__gte=today, date__lte=today + timedelta(weeks=8))
    of_day = Booking.objects.filter(session__date=day).count()
    found += [
        Case("secretary_home", "secretary home (the first 50 of each list)", SECRETARY,
             reverse("home_secretary")),
        Case("sessions", f"sessions list, 8 weeks ({sessions.count():,} sessions)", SECRETARY,
             reverse("scheduling:sessions")),
        Case("day", f"day view ({sessions.filter(date=day).count()} sessions, {of_day} bookings)",
             SECRETARY, reverse("scheduling:day"), {"date": day.isoformat()}),
    ]  # fmt: skip
    if bookable is not None:
        found.append(
            Case("booking_page", "booking page (first 30 proposals)", SECRETARY,
                 reverse("scheduling:book", args=[bookable.pk]))
        )  # fmt: skip
    submitted, accepted = _two_levels(Status.SUBMITTED), _two_levels(Status.ACCEPTED)
    done = _two_levels(Status.DONE)
    found += [
        Case("gp_referral", "referral page, GP (accepted, two levels)", accepted.gp.username,
             reverse("referrals:gp_referral_detail", args=[accepted.pk])),
        Case("radiology_referral", "referral page, radiologist (submitted, two levels)",
             RADIOLOGIST, reverse("referrals:radiology_referral", args=[submitted.pk])),
        Case("desk_referral", "referral page, secretary (accepted, two levels)", SECRETARY,
             reverse("scheduling:referral", args=[accepted.pk])),
    ]  # fmt: skip
    procedure = _url("procedures:procedure", done.pk)
    if procedure:
        found.append(
            Case("procedure", "procedure page (done: checklist, report)", RADIOLOGIST, procedure)
        )
    optional: list[tuple[str, str, str, str, float | None, bool]] = [
        ("rules", "rules page", "eligibility:rules", RADIOLOGIST, LIST_TARGET_MS, True),
        ("followups", "follow-ups worklist (/suivi/)", "followups:worklist", SECRETARY,
         LIST_TARGET_MS, True),
        ("dashboard", "quality dashboard", "quality:dashboard", RADIOLOGIST,
         DASHBOARD_TARGET_MS, False),
    ]  # fmt: skip
    for key, label, name, username, target, step in optional:
        url = _url(name)
        if url is not None:
            found.append(Case(key, label, username, url, target_ms=target, step=step))
    # The desk looks for one patient (a name and a birth date: a row or two at any size), and
    # a frequent surname alone finds more than the page shows, more as the history grows: its
    # step is content (a few rows at 1,000, 50 at 100,000), so only its time has a target.
    patient = accepted.patient
    if patient is not None:
        one = f"{patient.birth_name} {patient.birth_date:%d/%m/%Y}"
        found += [
            Case("search", "patient search, a name and a birth date", SECRETARY,
                 reverse("referrals:search"), {"q": one}),
            Case("search_surname",
                 f"patient search, a frequent surname (« {patient.birth_name} », "
                 f"{SEARCH_LIMIT} rows at most)", RADIOLOGIST, reverse("referrals:search"),
                 {"q": patient.birth_name}, step=False),
        ]  # fmt: skip
    lost = FollowUp.objects.filter(answered=False, due_on__lt=lost_since(today)).count()
    if _url("followups:worklist") is not None:
        # Empty at 1,000 referrals (their history is two weeks long): no step.
        found.append(
            Case("followups_lost", f"follow-ups lost to follow-up ({lost:,}, ?perdus=1)",
                 SECRETARY, reverse("followups:worklist"), {"perdus": "1"}, step=False)
        )  # fmt: skip
    return found


def missing_pages() -> list[str]:
    """Pages of the issue's list this version of the product does not have."""
    return [name for name in ("referrals:search",) if _url(name) is None]


class VerdictForm:
    """What the referral form posts for the live verdict (htmx), as a GP who is not the one
    posting the bench's referrals (the preview's rate limit is per user: 120 a minute)."""

    def __init__(self, username: str) -> None:
        import random

        rng = random.Random(3)  # noqa: S311 (fiction)
        birth = timezone.localdate() - timedelta(days=80 * 365)
        self.data = referral_form(rng, "", birth, "F")
        self.data.pop("action")
        self.data["shown_verdict"] = "eligible_ideal"
        self.username = username

    def case(self) -> Case:
        return Case(
            "verdict",
            "live verdict panel (htmx post of the form)",
            self.username,
            reverse("referrals:gp_referral_preview"),
            self.data,
            post=True,
            target_ms=VERDICT_TARGET_MS,
            http=False,
        )


def verdict_gp() -> str:
    """A GP of the volume data who posts nothing else in the bench."""
    gp = (
        User.objects.filter(username__startswith=VOLUME_PREFIX, role=Role.GP)
        .order_by("username")
        .values_list("username", flat=True)
        .last()
    )
    if gp is None:
        raise BenchError("no GP in the volume data")
    return gp


def measure(found: list[Case], *, runs: int) -> dict[str, Timed]:
    """Each case's median and p95 (ms), all run in turn (a b c … a b c …) so that a busy moment
    falls on every page alike; each against its bare view where it has one."""
    clients: dict[str, Client] = {}
    work: dict[str, Callable[[], object]] = {}
    for case in found:
        client = clients.get(case.username) or clients.setdefault(
            case.username, logged_in(case.username)
        )
        if case.post:
            work[case.key] = partial(_post, client, case.url, case.params)
        else:
            work[case.key] = partial(fetch, client, case.url, case.params)
    spent = Spent()
    times = interleaved(
        {key: partial(spent.timing, key, run) for key, run in work.items()},
        runs=runs,
        budget=120.0,
    )
    spent.report(found)
    return {
        case.key: _timed(times, case.key, case.baseline or case.key)
        for case in found
        if case.key in times
    }


class Spent:
    """Where each page's time goes, in the bench process: its CPU in user space and in the
    kernel, its memory pages faulted in, and its SQL (timed from the client's side). Printed on
    stderr beside the table: a page slower in the bench than alone says whether Python, the
    kernel (pages faulted in again, « Memory » in docs/performance.md) or the database is the
    slower part."""

    def __init__(self) -> None:
        self.figures: dict[str, list[tuple[float, float, float, float, int]]] = {}

    def timing(self, key: str, run: Callable[[], object]) -> object:
        queries = [0.0]

        def timed_query(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries[0] += time.perf_counter() - started

        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        with connection.execute_wrapper(timed_query):
            result = run()
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        self.figures.setdefault(key, []).append(
            (
                wall,
                after.ru_utime - before.ru_utime,
                after.ru_stime - before.ru_stime,
                queries[0],
                after.ru_minflt - before.ru_minflt,
            )
        )
        return result

    def report(self, found: list[Case]) -> None:
        print(
            "  page: median wall / user CPU / kernel CPU / SQL (ms), pages faulted in",
            file=sys.stderr,
        )
        for case in found:
            runs = self.figures.get(case.key)
            if not runs:
                continue
            columns = zip(*runs, strict=True)
            wall, user, kernel, sql, faults = (statistics.median(c) for c in columns)
            print(
                f"  {case.key:24s} {wall * 1000:6.1f} / {user * 1000:6.1f} / "
                f"{kernel * 1000:5.1f} / {sql * 1000:5.1f}   {faults:6.0f}",
                file=sys.stderr,
            )


def _post(client: Client, url: str, data: dict[str, str]) -> object:
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    if response.status_code != 200:
        raise BenchError(f"POST {url} answered {response.status_code}")
    return response
