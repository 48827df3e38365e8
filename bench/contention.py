"""Twenty secretaries book twenty accepted referrals into the same session at the same instant:
twenty client threads post the booking form over real HTTP to gunicorn (two sync workers per
core, each request in its own database transaction). Every request must be answered within a
second, and the session must end with no more bookings than its minutes, places and beds allow.

In-process threads would measure the GIL instead: Python work of twenty requests in one process
runs one at a time, which is not how the application is served."""

from __future__ import annotations

import itertools
import os
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as clock

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from bench.pages import RADIOLOGIST, SECRETARY, BenchError
from bench.report import Row
from bench.server import Server, cookie_of, form_token, start, stop
from bench.timing import median, p95
from bench.volume import VOLUME_PREFIX
from clinic.models import User
from referrals.choices import Status, Stay
from referrals.models import Referral
from scheduling.errors import SchedulingError
from scheduling.models import ACTIVE_BOOKING_STATUSES, OCCUPYING_STATUSES, Booking, DaySession
from scheduling.windows import plan_for

CONCURRENT = 20
# Sync gunicorn workers serving the twenty requests: two per core, the usual deployment rule.
WORKERS = 2 * (os.cpu_count() or 1)
ANSWER_LIMIT_MS = 1000.0
# A morning session: 4 day places, 240 minutes, 1 bed. Twenty requests, four or fewer fit.
PLACES, MINUTES, BEDS = 4, 240, 1
_rooms = itertools.count(1)


@dataclass
class Round:
    slowest_ms: float
    booked: int
    refused: int
    overbooked: bool


def session_day(today: date) -> date:
    """A weekday two weeks out: after every medication hold, inside the 6-month windows."""
    day = today + timedelta(days=14)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def candidates(day: date, count: int, *, exclude: frozenset[int] = frozenset()) -> list[Referral]:
    """`count` accepted referrals of distinct patients, none booked, bookable on `day` (but the
    `exclude` ones: pages the bench shows)."""
    today = timezone.localdate()
    booked = set(
        Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES).values_list(
            "patient_id", flat=True
        )
    )
    found: list[Referral] = []
    accepted = (
        Referral.objects.filter(status=Status.ACCEPTED, gp__username__startswith=VOLUME_PREFIX)
        .select_related("current_decision", "patient")
        .order_by("pk")
    )
    for referral in accepted.iterator(chunk_size=200):
        if referral.patient_id is None or referral.patient_id in booked or referral.pk in exclude:
            continue
        try:
            plan_for(referral, today=today).check(day, confirm_outside_ideal=True)
        except SchedulingError:
            continue
        booked.add(referral.patient_id)
        found.append(referral)
        if len(found) == count:
            break
    return found


def _round(server: Server, day: date, referrals: list[Referral], cookies: dict[str, str]) -> Round:
    radiologist = User.objects.get(username=RADIOLOGIST)
    session = DaySession.objects.create(
        date=day,
        room=f"Banc d'essai {next(_rooms)}",
        radiologist=radiologist,
        start_time=clock(8, 0),
        end_time=clock(12, 0),
        procedure_minutes=MINUTES,
        day_places=PLACES,
        overnight_beds=BEDS,
        created_by=radiologist,
    )
    # Each secretary has the booking page open (session cookie, CSRF token) before the click.
    forms = []
    for referral in referrals:
        url = reverse("scheduling:book", args=[referral.pk])
        with_csrf, token = form_token(server, url, cookies)
        # As the desk posts it: the patient's answer on how to be told is required (the GP is
        # told in any case: a message written in the booking's transaction).
        data = {
            "session": str(session.pk),
            "confirm_outside_ideal": "on",
            "late_cause": "no_room",
            "contact_channel": "none",
        }
        forms.append((url, with_csrf, {**data, "csrfmiddlewaretoken": token}))
    barrier = threading.Barrier(len(forms))
    answers: list[tuple[float, int]] = [(0.0, 0)] * len(forms)

    def book(index: int) -> None:
        url, with_csrf, body = forms[index]
        barrier.wait(timeout=30)
        start = time.perf_counter()
        status, _, _ = server.request("POST", url, with_csrf, body)
        answers[index] = ((time.perf_counter() - start) * 1000, status)

    threads = [threading.Thread(target=book, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    if any(thread.is_alive() for thread in threads):
        raise BenchError("a booking request did not come back within 90 s")
    codes = [code for _, code in answers]
    if any(code not in (200, 302) for code in codes):
        raise BenchError(f"booking answered {sorted(set(codes))}")
    occupying = Booking.objects.filter(session=session, status__in=OCCUPYING_STATUSES)
    day_stays = occupying.exclude(stay=Stay.OVERNIGHT).count()
    nights = occupying.filter(stay=Stay.OVERNIGHT).count()
    minutes = occupying.aggregate(m=Sum("minutes"))["m"] or 0
    booked = codes.count(302)
    if not booked:
        raise BenchError(f"none of {len(forms)} bookings went through: the form refused them all")
    overbooked = day_stays > PLACES or nights > BEDS or minutes > MINUTES
    if booked != occupying.count():
        raise BenchError(f"{booked} bookings confirmed but {occupying.count()} stored")
    return Round(max(ms for ms, _ in answers), booked, codes.count(200), overbooked)


def booking_contention(
    *, rounds: int, budget: float = 90.0, keep: frozenset[int] = frozenset()
) -> Row:
    """`rounds` of twenty bookings at once; `keep`: referrals to leave unbooked."""
    day = session_day(timezone.localdate())
    deadline = time.monotonic() + budget
    results: list[Round] = []
    server = start(workers=WORKERS)
    try:
        cookies = cookie_of(SECRETARY)
        for _ in range(rounds):
            referrals = candidates(day, CONCURRENT, exclude=keep)
            if len(referrals) < CONCURRENT:
                if results:
                    break  # accepted referrals ran out: report the rounds done
                raise BenchError(f"only {len(referrals)} bookable accepted referrals: seed more")
            results.append(_round(server, day, referrals, cookies))
            if time.monotonic() > deadline:
                break
    except BaseException:
        stop(server, failed=True)
        raise
    stop(server)
    slowest = [r.slowest_ms for r in results]
    booked = sorted({r.booked for r in results})
    met = all(r.slowest_ms <= ANSWER_LIMIT_MS and not r.overbooked and r.booked for r in results)
    overbooked = sum(r.overbooked for r in results)
    return Row(
        f"booking: {CONCURRENT} concurrent on one session, slowest answer "
        f"({'/'.join(map(str, booked))} booked, overbooked {overbooked}x)",
        median(slowest),
        p95(slowest),
        "ms",
        via=f"HTTP x{WORKERS}",
        target=f"all <= {ANSWER_LIMIT_MS:.0f} ms, no overbooking",
        met=met,
        runs=len(results),
    )
