"""The quality figures, each one read with a constant number of aggregate queries whatever the
volume (docs/performance.md): the database counts and sorts, Python only reads small results.

A period covers what happened in it: procedures performed (delays, missed windows, the pain
before), sessions held (capacity), follow-ups answered (outcomes), decisions made (the engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from eligibility.adapter import engine_settings
from fhir_api.models import CdsCard, CdsFeedback
from followups.models import FollowUpAnswer
from procedures.models import ProcedureReport
from quality.periods import Period
from quality.stats import (
    Median,
    NearestRankP90,
    days_or_none,
    histogram_median,
    ranked_median,
    ranked_p90,
)
from referrals.choices import DecisionKind
from referrals.models import Decision
from scheduling.models import (
    OCCUPYING_STATUSES,
    Booking,
    BookingStatus,
    ChangeReason,
    DaySession,
    ImagingAppointment,
    LateCause,
)
from scheduling.plan import ANAESTHESIA_UNDER_CARE


def _instant(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def treated_in(period: Period, *, gp_id: int | None = None) -> QuerySet[ProcedureReport]:
    """Signed procedure reports of the period (optionally of one GP's referrals)."""
    reports = ProcedureReport.objects.filter(
        performed_on__gte=period.start, performed_on__lt=period.end
    )
    return reports if gp_id is None else reports.filter(referral__gp_id=gp_id)


def _days_between(later: Any, earlier: Any) -> ExpressionWrapper:
    return ExpressionWrapper(later - earlier, output_field=DurationField())


SUBMITTED = TruncDate("referral__submitted_at")
DECIDED = TruncDate("referral__current_decision__decided_at")
# The earliest fracture is `ideal_until` minus the ideal window (referrals/services/evaluation.py).
DELAY_EXPRESSIONS = {
    "fracture_referral": (SUBMITTED, F("referral__ideal_until")),
    "referral_decision": (DECIDED, SUBMITTED),
    "decision_procedure": (F("performed_on"), DECIDED),
    "fracture_procedure": (F("performed_on"), F("referral__ideal_until")),
}
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


def delays(reports: QuerySet[ProcedureReport]) -> Delays:
    exprs = {key: _days_between(a, b) for key, (a, b) in DELAY_EXPRESSIONS.items()}
    totals = reports.aggregate(
        treated=Count("pk"),
        dated=Count("pk", filter=Q(referral__ideal_until__isnull=False)),
        within_ideal=Count("pk", filter=Q(performed_on__lte=F("referral__ideal_until"))),
        within_six_months=Count("pk", filter=Q(performed_on__lte=F("referral__latest_until"))),
        **{f"n_{key}": Count(expr) for key, expr in exprs.items()},
    )
    shift = engine_settings().ideal_window_days
    percentiles: dict[str, Any] = {}
    if connection.vendor == "postgresql":
        # Every median and 90th percentile in one pass of the period's rows (docs/performance.md).
        percentiles = reports.aggregate(
            **{f"median_{key}": Median(expr) for key, expr in exprs.items()},
            **{f"p90_{key}": NearestRankP90(expr) for key, expr in exprs.items()},
        )
    rows = []
    for key, expr in exprs.items():
        n = totals[f"n_{key}"]
        offset = shift if key in FROM_FRACTURE else 0
        if percentiles:
            median = days_or_none(percentiles[f"median_{key}"])
            p90 = days_or_none(percentiles[f"p90_{key}"])
        else:  # SQLite (a laptop, the tests): sorted reads of one or two rows
            ordered = (
                reports.annotate(days=expr)
                .filter(days__isnull=False)
                .order_by("days")
                .values_list("days", flat=True)
            )
            median, p90 = ranked_median(ordered, n), ranked_p90(ordered, n)
        rows.append(
            Delay(
                key,
                n,
                None if median is None else median + offset,
                None if p90 is None else p90 + offset,
            )
        )
    return Delays(
        treated=totals["treated"],
        dated=totals["dated"],
        within_ideal=totals["within_ideal"],
        within_six_months=totals["within_six_months"],
        delays=tuple(rows),
    )


def _bookings_of_referral(**conditions: Any) -> Exists:
    return Exists(Booking.objects.filter(referral=OuterRef("referral"), **conditions))


# Why the ideal window was missed, each read from where the fact is recorded (a referral may
# count under several causes; "unrecorded" when none applies).
MISSED_CAUSES: dict[str, Any] = {
    "imaging": Exists(ImagingAppointment.objects.filter(referral=OuterRef("referral"))),
    "information": Exists(
        Decision.objects.filter(
            referral=OuterRef("referral"), kind=DecisionKind.REQUEST_INFORMATION
        )
    ),
    "drug_holds": Q(referral__earliest_procedure_date__gt=F("referral__ideal_until")),
    "anaesthesia": Q(referral__current_decision__anaesthesia__in=ANAESTHESIA_UNDER_CARE),
    "no_room": _bookings_of_referral(late_cause=LateCause.NO_ROOM),
    # The patient asked: a booking moved or cancelled at their request, or a first date they
    # wanted later (the desk's « why not earlier »).
    "patient": Exists(
        Booking.objects.filter(
            Q(change_reason=ChangeReason.PATIENT) | Q(late_cause=LateCause.PATIENT),
            referral=OuterRef("referral"),
        )
    ),
    "clinic_change": _bookings_of_referral(change_reason=ChangeReason.CLINIC),
    "medical_change": _bookings_of_referral(change_reason=ChangeReason.MEDICAL),
    "no_show": _bookings_of_referral(status=BookingStatus.NO_SHOW),
    "other": _bookings_of_referral(late_cause=LateCause.OTHER),
}


def missed_window_causes(reports: QuerySet[ProcedureReport]) -> dict[str, int]:
    missed = reports.filter(performed_on__gt=F("referral__ideal_until"))
    flags = {f"c_{key}": cause for key, cause in MISSED_CAUSES.items()}
    missed = missed.annotate(**{k: v for k, v in flags.items() if not isinstance(v, Q)})
    conditions = {
        key: cause if isinstance(cause, Q) else Q(**{f"c_{key}": True})
        for key, cause in MISSED_CAUSES.items()
    }
    none = Q()
    for condition in conditions.values():
        none &= ~condition
    counts = missed.aggregate(
        missed=Count("pk"),
        unrecorded=Count("pk", filter=none),
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()},
    )
    return counts


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


def outcomes(
    period: Period, reports: QuerySet[ProcedureReport], *, gp_id: int | None = None
) -> tuple[Outcome, ...]:
    """Pain before the procedures of `reports`, and the follow-ups answered in the period (of
    one GP's referrals when `gp_id` is given)."""
    before = reports.filter(referral__pain_nrs__isnull=False).values_list("referral__pain_nrs")
    before_counts = before.annotate(n=Count("pk")).order_by()
    rows = [
        Outcome(
            "before",
            sum(n for _, n in before_counts),
            histogram_median(before_counts),
            None,
            None,
            None,
            None,
            None,
        )
    ]
    answers = FollowUpAnswer.objects.filter(
        answered_at__gte=_instant(period.start), answered_at__lt=_instant(period.end)
    )
    if gp_id is not None:
        answers = answers.filter(followup__referral__gp_id=gp_id)
    histogram: dict[str, list[tuple[int, int]]] = {}
    for kind, pain, n in (
        answers.values_list("followup__kind", "pain_nrs").annotate(n=Count("pk")).order_by()
    ):
        histogram.setdefault(kind, []).append((pain, n))
    baseline = Q(followup__referral__pain_nrs__gt=0)
    by_kind: dict[str, Any] = {
        row["followup__kind"]: row
        for row in answers.annotate(double=F("pain_nrs") * 2)
        .values("followup__kind")
        .annotate(
            n=Count("pk"),
            with_baseline=Count("pk", filter=baseline),
            halved=Count("pk", filter=baseline & Q(double__lte=F("followup__referral__pain_nrs"))),
            opioids=Count("pk", filter=Q(opioids=True)),
            new_fractures=Count("pk", filter=Q(new_fracture=True)),
            # "" = not asked (the patient's own questionnaire has no grade): not a complication.
            complications=Count("pk", filter=~Q(complication__in=("none", ""))),
        )
        .order_by()
    }
    for kind in ("d1", "m1", "m3"):
        row = by_kind.get(kind, {})
        rows.append(
            Outcome(
                kind,
                row.get("n", 0),
                histogram_median(histogram.get(kind, [])),
                row.get("halved", 0),
                row.get("with_baseline", 0),
                row.get("opioids", 0),
                row.get("new_fractures", 0),
                row.get("complications", 0),
            )
        )
    return tuple(rows)


def complications_by_grade(reports: QuerySet[ProcedureReport]) -> dict[str, int]:
    return dict(reports.values_list("complication").annotate(n=Count("pk")).order_by())


def decisions_in(period: Period) -> QuerySet[Decision]:
    return Decision.objects.filter(
        decided_at__gte=_instant(period.start), decided_at__lt=_instant(period.end)
    )


def verdict_against_kind(decisions: QuerySet[Decision]) -> list[tuple[str, str, int]]:
    """(engine verdict, radiologist's decision, how many): a few dozen rows at most."""
    return list(decisions.values_list("engine_verdict", "kind").annotate(n=Count("pk")).order_by())


OVERRIDES_SHOWN = 200


def overrides(decisions: QuerySet[Decision]) -> tuple[int, list[dict[str, Any]]]:
    """Decisions that went against the engine (written justification): how many, and the
    latest OVERRIDES_SHOWN with the engine's findings they overrode."""
    justified = decisions.exclude(justification="")
    latest: list[Any] = list(
        justified.order_by("-decided_at", "-pk").values(
            "pk",
            "referral_id",
            "kind",
            "engine_verdict",
            "justification",
            "decided_at",
            "engine_output",
        )[:OVERRIDES_SHOWN]
    )
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
        issued_at__gte=_instant(period.start), issued_at__lt=_instant(period.end)
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
