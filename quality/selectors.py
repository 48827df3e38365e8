"""The quality figures, each one read with a constant number of aggregate queries whatever the
volume (docs/performance.md): the database counts and groups, Python only reads small results.
The treated patients' and the answers' figures come from a tally (quality/tally.py), a period's
kept month by month (quality/months.py).

A period covers what happened in it: procedures performed (delays, missed windows, the pain
before), sessions held (capacity), follow-ups answered (outcomes), decisions made (the engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, F, Func, JSONField, OuterRef, Q, QuerySet, Subquery, Sum

from eligibility.adapter import engine_settings
from fhir_api.models import CdsCard, CdsFeedback
from procedures.choices import CirseGrade
from quality.models import TreatedReferral
from quality.periods import Period
from quality.stats import median, nearest_rank_p90, total
from quality.tally import (
    CAUSES,
    DELAY_KEYS,
    FOLLOWUPS,
    Tally,
    answered_tally,
    instant,
    treated_rows,
    treated_tally,
)
from referrals.models import Decision
from scheduling.models import OCCUPYING_STATUSES, Booking, BookingStatus, DaySession


def treated_in(period: Period, *, gp_id: int | None = None) -> QuerySet[TreatedReferral]:
    """The patients treated in the period (optionally one GP's), one narrow row each
    (quality/facts.py writes them from the record)."""
    return treated_rows([(period.start, period.end)], gp_id=gp_id)


# Counted from the end of the ideal window: the fracture is `ideal_until` minus the window.
FROM_FRACTURE = ("fracture_referral", "fracture_procedure")


@dataclass(frozen=True)
class Delay:
    key: str
    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class Delays:
    treated: int
    dated: int  # treated referrals whose fracture date is known
    within_ideal: int
    within_six_months: int
    delays: tuple[Delay, ...]


@dataclass(frozen=True)
class Outcome:
    kind: str  # "before", "d1", "m1", "m3"
    answers: int
    median_pain: float | None
    halved: int | None  # pain at least halved from the referral's (None before)
    with_baseline: int | None
    opioids: int | None
    new_fractures: int | None
    complications: int | None


@dataclass(frozen=True)
class Treated:
    """What the patients treated in a period add: delays, why the window was missed, the
    complications' grades and the pain before."""

    delays: Delays
    causes: dict[str, int]
    grades: dict[str, int]  # the grades that occur
    before: Outcome


def treated_from(tally: Tally) -> Treated:
    """The treated patients' figures of a tally (quality/tally.py): counts as they are, medians
    and 90th percentiles from the counts by value."""
    counts = tally.counts
    shift = engine_settings().ideal_window_days
    result = []
    for key in DELAY_KEYS:
        values = tally.histogram(key)
        offset = shift if key in FROM_FRACTURE else 0
        middle, p90 = median(values), nearest_rank_p90(values)
        result.append(
            Delay(
                key,
                total(values),
                None if middle is None else middle + offset,
                None if p90 is None else p90 + offset,
            )
        )
    delays = Delays(
        treated=counts["treated"],
        dated=counts["dated"],
        within_ideal=counts["within_ideal"],
        within_six_months=counts["within_six_months"],
        delays=tuple(result),
    )
    causes = {
        "missed": counts["missed"],
        "unrecorded": counts["unrecorded"],
        **{c: counts[f"cause:{c}"] for c in CAUSES},
    }
    grades = {g: n for g in CirseGrade.values if (n := counts[f"grade:{g}"])}
    pain = tally.histogram("pain_before")
    before = Outcome("before", total(pain), median(pain), None, None, None, None, None)
    return Treated(delays, causes, grades, before)


def answered_from(tally: Tally) -> tuple[Outcome, ...]:
    """The D1, M1 and M3 follow-ups answered, from a tally."""
    counts = tally.counts
    return tuple(
        Outcome(
            kind,
            counts[f"{kind}:answers"],
            median(tally.histogram(f"{kind}_pain")),
            counts[f"{kind}:halved"],
            counts[f"{kind}:with_baseline"],
            counts[f"{kind}:opioids"],
            counts[f"{kind}:new_fractures"],
            counts[f"{kind}:complications"],
        )
        for kind in FOLLOWUPS
    )


def treated(rows: QuerySet[TreatedReferral]) -> Treated:
    """Every figure of these treated patients, counted from their rows (two queries)."""
    return treated_from(treated_tally(rows))


def delays(rows: QuerySet[TreatedReferral]) -> Delays:
    return treated(rows).delays


def missed_window_causes(rows: QuerySet[TreatedReferral]) -> dict[str, int]:
    """How many were treated after the ideal window, under each cause."""
    return treated(rows).causes


def complications_by_grade(rows: QuerySet[TreatedReferral]) -> dict[str, int]:
    return treated(rows).grades


@dataclass(frozen=True)
class Capacity:
    sessions: int
    minutes_offered: int
    minutes_used: int
    places_offered: int
    places_used: int
    cancelled: int
    no_shows: int
    first_free: tuple[tuple[date, date | None], ...]  # (monday, first day with a free place)


def capacity(period: Period, *, today: date, weeks: int) -> Capacity:
    sessions = DaySession.objects.filter(date__gte=period.start, date__lt=period.end)
    offered = sessions.aggregate(
        n=Count("pk"),
        minutes=Sum("procedure_minutes"),
        places=Sum(F("day_places") + F("overnight_beds")),
    )
    occupying = Q(status__in=OCCUPYING_STATUSES)
    used = Booking.objects.filter(
        session__date__gte=period.start, session__date__lt=period.end
    ).aggregate(
        minutes=Sum("minutes", filter=occupying),
        places=Count("pk", filter=occupying),
        cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
        no_shows=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
    )
    return Capacity(
        sessions=offered["n"],
        minutes_offered=offered["minutes"] or 0,
        minutes_used=used["minutes"] or 0,
        places_offered=offered["places"] or 0,
        places_used=used["places"],
        cancelled=used["cancelled"],
        no_shows=used["no_shows"],
        first_free=first_free_places(today=today, weeks=weeks),
    )


def first_free_places(*, today: date, weeks: int) -> tuple[tuple[date, date | None], ...]:
    """For each of the next `weeks` weeks (from this Monday), the first day from today with a
    session that still has a place; the sessions of a few weeks, not the bookings, are read."""
    monday = today - timedelta(days=today.weekday())
    stop = monday + timedelta(weeks=weeks)
    days = (
        DaySession.objects.filter(date__gte=today, date__lt=stop)
        .annotate(
            taken=Count("bookings", filter=Q(bookings__status__in=OCCUPYING_STATUSES)),
        )
        .filter(taken__lt=F("day_places") + F("overnight_beds"))
        .order_by("date")
        .values_list("date", flat=True)
        .distinct()
    )
    first: dict[date, date] = {}
    for day in days:
        first.setdefault(day - timedelta(days=day.weekday()), day)
    return tuple(
        (week, first.get(week)) for week in (monday + timedelta(weeks=i) for i in range(weeks))
    )


def outcomes(
    period: Period, rows: QuerySet[TreatedReferral], *, gp_id: int | None = None
) -> tuple[Outcome, ...]:
    """Pain before the procedures of `rows`, then the follow-ups answered in the period."""
    return (treated(rows).before, *answered(period, gp_id=gp_id))


def answered(period: Period, *, gp_id: int | None = None) -> tuple[Outcome, ...]:
    """The D1, M1 and M3 follow-ups answered in the period (of one GP's referrals when `gp_id`
    is given), counted from the rows: one query."""
    return answered_from(answered_tally([(period.start, period.end)], gp_id=gp_id))


def decisions_in(period: Period) -> QuerySet[Decision]:
    return Decision.objects.filter(
        decided_at__gte=instant(period.start), decided_at__lt=instant(period.end)
    )


def verdicts_from(tally: Tally) -> list[tuple[str, str, int]]:
    """(engine verdict, radiologist's decision, how many) of a tally: a few dozen at most."""
    found = []
    for name, n in tally.counts.items():
        if name.startswith("decision:") and n:
            _prefix, verdict, kind = name.split(":")
            found.append((verdict, kind, n))
    return found


OVERRIDES_SHOWN = 200


class OverruledRules(Func):
    """The ids of the rules whose findings gave the engine's verdict, as a JSON array, taken
    from the decision's stored engine output by PostgreSQL: the 200 outputs (2.5 kB each) are
    not sent and decoded for a few ids."""

    output_field = JSONField()

    def __init__(self) -> None:
        super().__init__(F("engine_output"), F("engine_verdict"))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        output, verdict = self.get_source_expressions()
        output_sql, output_params = compiler.compile(output)
        verdict_sql, verdict_params = compiler.compile(verdict)
        path = "'$.findings[*] ? (@.effect == $verdict).rule'"
        variables = f"jsonb_build_object('verdict', {verdict_sql})"
        sql = f"jsonb_path_query_array({output_sql}, {path}, {variables})"
        return sql, (*output_params, *verdict_params)


def _overruled(output: Any, verdict: str) -> list[str]:
    findings = (output if isinstance(output, dict) else {}).get("findings") or []
    return [f.get("rule", "?") for f in findings if f.get("effect") == verdict]


def overrides(decisions: QuerySet[Decision]) -> tuple[int, list[dict[str, Any]]]:
    """Decisions that went against the engine (written justification): how many, and the
    latest OVERRIDES_SHOWN with the rules whose findings they overrode (`rules`)."""
    justified = decisions.exclude(justification="").order_by("-decided_at", "-pk")
    fields = ("pk", "referral_id", "kind", "engine_verdict", "justification", "decided_at")
    latest: list[dict[str, Any]]
    if connection.vendor == "postgresql":
        latest = list(justified.values(*fields, rules=OverruledRules())[:OVERRIDES_SHOWN])
    else:
        latest = list(justified.values(*fields, "engine_output")[:OVERRIDES_SHOWN])
        for row in latest:
            row["rules"] = _overruled(row.pop("engine_output"), row["engine_verdict"])
    return justified.count(), latest


@dataclass(frozen=True)
class CdsRule:
    rule: str
    issued: int
    accepted: int
    overridden: int
    reason: str  # the override reason given most often, « — » when none


def cds_cards_by_rule(period: Period) -> list[CdsRule]:
    """The CDS Hooks cards answered in the period, by rule, with what the clients reported of
    them (feedback on each card's uuid): the silent calibration of the ruleset from the GPs'
    side."""
    cards = CdsCard.objects.filter(
        issued_at__gte=instant(period.start), issued_at__lt=instant(period.end)
    )
    issued = dict(cards.values_list("rule").annotate(n=Count("pk")).order_by())
    if not issued:
        return []
    rule_of = Subquery(CdsCard.objects.filter(card=OuterRef("card")).values("rule")[:1])
    feedback = CdsFeedback.objects.filter(card__in=cards.values("card")).annotate(rule=rule_of)
    outcomes: dict[tuple[str, str], int] = {
        (rule, outcome): n
        for rule, outcome, n in feedback.values_list("rule", "outcome").annotate(n=Count("pk"))
        .order_by()
    }  # fmt: skip
    reasons: dict[str, tuple[int, str]] = {}
    for rule, display, code, n in (
        feedback.filter(outcome=CdsFeedback.Outcome.OVERRIDDEN)
        .values_list("rule", "override_display", "override_code")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if n > reasons.get(rule, (0, ""))[0]:
            reasons[rule] = (n, display or code or "—")
    return sorted(
        (
            CdsRule(
                rule,
                n,
                outcomes.get((rule, CdsFeedback.Outcome.ACCEPTED), 0),
                outcomes.get((rule, CdsFeedback.Outcome.OVERRIDDEN), 0),
                reasons.get(rule, (0, "—"))[1],
            )
            for rule, n in issued.items()
        ),
        key=lambda r: (-r.overridden, -r.issued, r.rule),
    )
