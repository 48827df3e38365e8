"""What happened after the procedure, for seed_volume's done referrals: the signed procedure
report and the D1, M1 and M3 follow-ups due by today, most of them answered (fiction with a
realistic shape: pain falls, a few complications, some patients never answer). The quality
dashboard reads these (bench/pages.py measures it)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from bench.volume import Built
from followups.models import FollowUp, FollowUpAnswer
from followups.services.planning import due_dates
from procedures.models import ProcedureReport
from scheduling.models import Booking, BookingStatus

ANSWERED = 0.85
GRADES = (("none", 0.93), ("1", 0.05), ("2", 0.015), ("3", 0.005))
# How much of the pain before is left at each follow-up (a uniform draw in the range).
PAIN_LEFT = {"d1": (0.2, 0.9), "m1": (0.1, 0.7), "m3": (0.0, 0.6)}


@dataclass
class Outcomes:
    reports: list[ProcedureReport] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    answers: list[FollowUpAnswer] = field(default_factory=list)


def _pick(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def outcomes(
    chunk: list[Built],
    bookings: dict[int, Booking],
    *,
    radiologists: list[int],
    rng: random.Random,
    now: datetime,
) -> Outcomes:
    today: date = timezone.localdate(now)
    made = Outcomes()
    for b in chunk:
        booking = bookings.get(b.referral.pk)
        if booking is None or booking.status != BookingStatus.DONE:
            continue
        day = booking.session.date
        made.reports.append(
            ProcedureReport(
                referral=b.referral,
                booking=booking,
                performed_on=day,
                planned_levels=list(b.decisions[-1]["levels_to_treat"]),
                anaesthesia=b.decisions[-1]["anaesthesia"],
                complication=_pick(rng, GRADES),
                dose_area_product=Decimal(rng.randint(500, 4000)) / 100,
                fluoroscopy_seconds=rng.randint(120, 600),
                equipment="Arceau (fictif)",
                signed_by_id=rng.choice(radiologists),
                signed_at=min(booking.session.starts_at() + timedelta(hours=3), now),
            )
        )
        before = b.referral.pain_nrs if b.referral.pain_nrs is not None else 7
        for kind, due in due_dates(day).items():
            if due > today:
                continue
            followup = FollowUp(referral=b.referral, kind=kind, due_on=due)
            made.followups.append(followup)
            if rng.random() > ANSWERED:
                continue
            followup.answered = True  # as the answer services write it (inserted after the loop)
            low, high = PAIN_LEFT[kind]
            answered = timezone.make_aware(datetime.combine(due, datetime.min.time()))
            made.answers.append(
                FollowUpAnswer(
                    followup=followup,
                    channel="phone",
                    answered_at=min(answered + timedelta(hours=rng.uniform(9, 60)), now),
                    pain_nrs=round(before * rng.uniform(low, high)),
                    opioids=rng.random() < 0.15,
                    walking="normal" if rng.random() < 0.7 else "aid",
                    new_back_pain=rng.random() < 0.08,
                    new_fracture=rng.random() < (0.01 if kind == "d1" else 0.05),
                    complication=_pick(rng, GRADES),
                    satisfaction=rng.choice("3444"),
                )
            )
    return made
