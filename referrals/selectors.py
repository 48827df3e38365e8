"""Shared reads on referrals. Each returns a queryset (or a small value) with its related rows
already joined or prefetched, so that a list page runs the same number of queries for 10 or 10 000
referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)

from referrals.choices import Status
from referrals.models import (
    Attachment,
    Decision,
    EligibilitySnapshot,
    FractureLevel,
    Referral,
    TimelineEvent,
)

# The radiologist's worklist: what waits for a decision, by default.
TO_REVIEW = "to_review"
TO_REVIEW_STATUSES: tuple[str, ...] = (Status.SUBMITTED, Status.INFO_REQUESTED)
# Statuses the worklist can show; drafts stay with their GP.
WORKLIST_STATUSES: tuple[str, ...] = (
    Status.SUBMITTED,
    Status.INFO_REQUESTED,
    Status.ACCEPTED,
    Status.DECLINED,
    Status.SURGERY,
    Status.SCHEDULED,
    Status.DONE,
    Status.CANCELLED,
)

# Urgency buckets, most urgent first.
IDEAL_WINDOW, SIX_MONTH_WINDOW, NO_WINDOW = 0, 1, 2


@dataclass(frozen=True)
class WorklistFilters:
    status: str = TO_REVIEW
    verdict: str = ""
    level: str = ""


def worklist_referrals(*, filters: WorklistFilters, today: date) -> QuerySet[Referral]:
    """Referrals for the radiologist, most urgent first.

    First those still inside the ideal 3-week window (fewest days left first), then those inside
    the 6-month window (fewest days left first), then the rest (oldest submission first)."""
    statuses = TO_REVIEW_STATUSES if filters.status == TO_REVIEW else (filters.status,)
    queryset = Referral.objects.filter(status__in=statuses)
    if filters.verdict:
        queryset = queryset.filter(verdict=filters.verdict)
    if filters.level:
        # Exists rather than a join: a referral appears once whatever its levels.
        queryset = queryset.filter(
            Exists(FractureLevel.objects.filter(referral=OuterRef("pk"), level=filters.level))
        )
    return (
        queryset.annotate(
            urgency=Case(
                When(ideal_until__gte=today, then=Value(IDEAL_WINDOW)),
                When(latest_until__gte=today, then=Value(SIX_MONTH_WINDOW)),
                default=Value(NO_WINDOW),
                output_field=IntegerField(),
            ),
            window_end=Case(
                When(ideal_until__gte=today, then=F("ideal_until")),
                When(latest_until__gte=today, then=F("latest_until")),
                default=None,
                output_field=DateField(),
            ),
        )
        .select_related("patient", "gp", "current_decision", "current_decision__radiologist")
        .prefetch_related(Prefetch("levels", queryset=FractureLevel.objects.order_by("position")))
        .order_by("urgency", F("window_end").asc(nulls_last=True), "submitted_at", "pk")
    )


def worklist_counts() -> dict[str, int]:
    """How many referrals in each status the worklist can show, in one query."""
    rows = (
        Referral.objects.filter(status__in=WORKLIST_STATUSES)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {status: 0 for status in WORKLIST_STATUSES}
    counts.update({row["status"]: row["n"] for row in rows})
    counts[TO_REVIEW] = sum(counts[s] for s in TO_REVIEW_STATUSES)
    return counts


def decisions_of(referral: Referral) -> QuerySet[Decision]:
    """Every decision on the referral, newest first, with who made it and what superseded it."""
    return (
        Decision.objects.filter(referral=referral)
        .select_related("radiologist", "superseded_by")
        .order_by("-decided_at", "-id")
    )


def latest_snapshot(referral: Referral) -> EligibilitySnapshot | None:
    return (
        EligibilitySnapshot.objects.filter(referral=referral).order_by("-created_at", "-id").first()
    )


def timeline_of(referral: Referral) -> QuerySet[TimelineEvent]:
    return (
        TimelineEvent.objects.filter(referral=referral).select_related("actor").order_by("at", "id")
    )


def attachments_of(referral: Referral) -> QuerySet[Attachment]:
    return Attachment.objects.filter(referral=referral).select_related("uploaded_by")


def decision_of(referral: Referral, pk: int) -> Decision | None:
    """One decision of this referral (None when the id belongs to another referral)."""
    return decisions_of(referral).filter(pk=pk).first()
