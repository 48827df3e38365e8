"""Shared reads on referrals. Each returns a queryset (or a small value) with its related rows
already joined or prefetched, so that a list page runs the same number of queries for 10 or 10 000
referrals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import (
    Case,
    DateField,
    F,
    IntegerField,
    QuerySet,
    Value,
    When,
)

from clinic.models import User
from clinic.roles import is_gp, is_radiologist, is_secretary
from referrals.choices import Status
from referrals.models import (
    Attachment,
    Decision,
    EligibilitySnapshot,
    Patient,
    Referral,
    TimelineEvent,
)
from referrals.models.patient import search_text

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
    Status.ARRIVED,
    Status.DONE,
    Status.CANCELLED,
    Status.CLOSED,
)

# Urgency buckets, most urgent first.
IDEAL_WINDOW, SIX_MONTH_WINDOW, NO_WINDOW = 0, 1, 2


@dataclass(frozen=True)
class WorklistFilters:
    status: str = TO_REVIEW
    verdict: str = ""
    level: str = ""


# Closed referrals are history: no window left to race, the newest first. Each such tab is one
# ordered range of the referral_history index, whatever the years behind it.
CLOSED_STATUSES: tuple[str, ...] = (
    Status.DECLINED,
    Status.SURGERY,
    Status.DONE,
    Status.CANCELLED,
    Status.CLOSED,
)


def worklist_referrals(*, filters: WorklistFilters, today: date) -> QuerySet[Referral]:
    """Referrals for the radiologist, in the order of their tab.

    Waiting and accepted referrals, most urgent first: those still inside the ideal 3-week window
    (fewest days left first), then those inside the 6-month window (fewest days left first), then
    the rest (oldest submission first); within each, a new fracture of a patient the clinic
    already treated comes first. Closed referrals (declined, surgery, done, cancelled):
    the most recently submitted first."""
    statuses = TO_REVIEW_STATUSES if filters.status == TO_REVIEW else (filters.status,)
    queryset = Referral.objects.filter(status__in=statuses)
    if filters.verdict:
        queryset = queryset.filter(verdict=filters.verdict)
    if filters.level:
        # The referral's copy of its level codes, read from the worklist's indexes: probing the
        # levels of each candidate grew with the backlog (docs/performance.md).
        queryset = queryset.filter(level_codes__contains=f" {filters.level} ")
    return in_worklist_order(queryset, status=filters.status, today=today)


def in_worklist_order(
    queryset: QuerySet[Referral], *, status: str, today: date
) -> QuerySet[Referral]:
    """The queryset in the order of the worklist tab `status` (worklist_referrals)."""
    if status in CLOSED_STATUSES:
        return queryset.order_by("-submitted_at", "-pk")
    return queryset.annotate(
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
    ).order_by(
        # G-NEURO: a neurological deficit goes before any window (ruleset 2027.1).
        "-urgent",
        "urgency",
        # A new fracture of a patient treated here goes first within its window.
        "-new_fracture",
        F("window_end").asc(nulls_last=True),
        "submitted_at",
        "pk",
    )


# Tab badges and list totals count up to this many referrals (then « 100+ », « more than 100 »).
# Closed statuses hold years of history: counting them exactly read the whole table on every
# view of the worklist, and past a hundred the figure tells a radiologist nothing more
# (docs/performance.md).
COUNT_CAP = 100


def worklist_counts() -> dict[str, int | None]:
    """How many referrals each worklist tab holds, in one query; None for more than COUNT_CAP
    (shown « 100+ »). Each count stops there, so the query reads at most COUNT_CAP + 1 index
    entries per status whatever the table's size. « À valider » adds two statuses: exact when both
    are (126 is shown as 126)."""
    table = connection.ops.quote_name(Referral._meta.db_table)
    column = connection.ops.quote_name(str(Referral._meta.get_field("status").column))
    # Only quoted names from the model's metadata are formatted in; values are parameters.
    capped = f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {column} = %s LIMIT %s) AS c)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join([capped] * len(WORKLIST_STATUSES)),
            [value for status in WORKLIST_STATUSES for value in (status, COUNT_CAP + 1)],
        )
        row = cursor.fetchone() or [0] * len(WORKLIST_STATUSES)
    counts: dict[str, int | None] = {
        status: count if count <= COUNT_CAP else None
        for status, count in zip(WORKLIST_STATUSES, row, strict=True)
    }
    counts[TO_REVIEW] = tab_total(counts, TO_REVIEW_STATUSES)
    return counts


def tab_total(counts: dict[str, int | None], statuses: tuple[str, ...]) -> int | None:
    """The sum of some statuses' counts; None (more than COUNT_CAP) when one of them is."""
    parts = [counts[status] for status in statuses]
    return None if any(part is None for part in parts) else sum(p or 0 for p in parts)


def count_label(count: int | None) -> str:
    """A tab badge: the count, or « 100+ » past the cap."""
    return f"{COUNT_CAP}+" if count is None else str(count)


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


# Patient search: the GP's list, the worklist and the desk. ---------------------------------------

# A search shows at most this many referrals, newest first: a name is narrowed by adding a
# first name or the birth date, not read over pages.
SEARCH_LIMIT = 50
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# A NIR typed whole, with or without its key, spaces, dots or dashes (2A/2B: Corsica).
_NIR = re.compile(r"^[1-478]\d{4}(?:\d{2}|2[AB])\d{6}(?:\d{2})?$", re.IGNORECASE)


@dataclass(frozen=True)
class PatientQuery:
    """What a search box's text asks: a NIR, a birth date and name words (search_text)."""

    nir: str = ""
    birth_date: date | None = None
    words: tuple[str, ...] = ()
    unreadable_date: str = ""  # typed as a date, but no such day (31/02/1950)

    @property
    def is_empty(self) -> bool:
        return not (self.nir or self.birth_date or self.words)


def _as_date(token: str) -> date | str | None:
    """The day a token names, the token when it looks like a date of no day, else None."""
    found = _DATE.match(token)
    parts = (found.group(3), found.group(2), found.group(1)) if found else None
    if parts is None and (iso := _ISO_DATE.match(token)):
        parts = (iso.group(1), iso.group(2), iso.group(3))
    if parts is None:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return token


def parse_patient_query(text: str) -> PatientQuery:
    """« Dupont 03/02/1950 », « 2 50 02 75 123 456 78 », « lefèvre zoé »."""
    text = (text or "").strip()[:100]
    compact = re.sub(r"[\s.\-]", "", text)
    if _NIR.match(compact):
        return PatientQuery(nir=compact[:13].upper())
    birth_date, unreadable = None, ""
    words: list[str] = []
    for token in text.split():
        day = _as_date(token)
        if isinstance(day, date):
            birth_date = day
        elif isinstance(day, str):
            unreadable = day
        else:
            words.extend(search_text(token).split())
    # One letter matches half the clinic: a word counts from two characters.
    return PatientQuery(
        birth_date=birth_date,
        words=tuple(w for w in words if len(w) >= 2),
        unreadable_date=unreadable,
    )


def searchable_referrals(user: User) -> QuerySet[Referral]:
    """The referrals a user's lists show (the isolation of referrals/rules.py's can_view): a GP
    their own but deleted drafts, the radiologist and the desk every referral sent."""
    if is_gp(user):
        return Referral.objects.filter(gp=user).exclude(status=Status.DISCARDED)
    if is_radiologist(user) or is_secretary(user):
        return Referral.objects.exclude(status__in=(Status.DRAFT, Status.DISCARDED))
    return Referral.objects.none()


def search_referrals(*, user: User, query: PatientQuery) -> QuerySet[Referral]:
    """The referrals `user` may see whose patient matches `query`, newest first. Names are
    compared on Patient.search_name (a trigram index on PostgreSQL), the NIR by its first 13
    characters (a pattern index), the birth date by its index."""
    if query.is_empty:
        return Referral.objects.none()
    patients = Patient.objects.all()
    if query.nir:
        patients = patients.filter(nir__startswith=query.nir)
    if query.birth_date is not None:
        patients = patients.filter(birth_date=query.birth_date)
    for word in query.words:
        patients = patients.filter(search_name__contains=word)
    return (
        searchable_referrals(user)
        .filter(patient__in=patients)
        .select_related("patient", "gp")
        .order_by(F("submitted_at").desc(nulls_first=True), "-created_at", "-pk")[:SEARCH_LIMIT]
    )
