"""The narrow per-referral rows the quality figures read (`TreatedReferral`), written from the
record: when a procedure report is signed, when a follow-up is answered, and all at once by
`manage.py quality_rebuild`. Reading a year or more of the live tables joined a 100,000-row
referral table to its decisions, bookings and answers on every page view (2.5 s at 100,000
referrals, docs/performance.md); these rows hold only what the figures need.

The figures are counted from these rows, by month: a closed month's tally is kept
(quality/months.py) and every write below marks the closed months whose share it changed, so
that none is read from a kept tally that no longer matches its rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from followups.models import FollowUpAnswer
from procedures.models import ProcedureReport
from quality.models import TreatedReferral
from quality.months import months_changed
from quality.tally import CAUSES, DELAY_KEYS
from referrals.choices import DecisionKind
from referrals.models import Decision
from scheduling.models import Booking, BookingStatus, ChangeReason, ImagingAppointment, LateCause
from scheduling.plan import ANAESTHESIA_UNDER_CARE

FOLLOWUP_KINDS = ("d1", "m1", "m3")
ANSWER_FIELDS = ("at", "pain", "opioids", "new_fracture", "complication")
CHUNK = 2000


def _bookings_of_referral(**conditions: Any) -> Exists:
    return Exists(Booking.objects.filter(referral=OuterRef("referral"), **conditions))


# Why the ideal window was missed, each read from where the fact is recorded (a referral may
# count under several causes; "unrecorded" when none applies). Two more are read from the
# referral's own columns in `_row`: drug holds (the earliest date the plan allows falls after the
# window) and the anaesthesia consultation (the decision asked for an anaesthetist).
BOOKING_CAUSES: dict[str, Any] = {
    "imaging": Exists(ImagingAppointment.objects.filter(referral=OuterRef("referral"))),
    "information": Exists(
        Decision.objects.filter(
            referral=OuterRef("referral"), kind=DecisionKind.REQUEST_INFORMATION
        )
    ),
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


def _days(later: date | None, earlier: date | None) -> int | None:
    return None if later is None or earlier is None else (later - earlier).days


def _rows(
    reports: Iterable[dict[str, Any]], answers: dict[int, dict[str, Any]]
) -> Iterator[TreatedReferral]:
    for r in reports:
        performed, ideal = r["performed_on"], r["referral__ideal_until"]
        latest, submitted, decided = r["referral__latest_until"], r["submitted_on"], r["decided_on"]
        missed = ideal is not None and performed > ideal
        earliest = r["referral__earliest_procedure_date"]
        row = TreatedReferral(
            referral_id=r["referral_id"],
            gp_id=r["referral__gp_id"],
            performed_on=performed,
            fracture_referral=_days(submitted, ideal),
            referral_decision=_days(decided, submitted),
            decision_procedure=_days(performed, decided),
            fracture_procedure=_days(performed, ideal),
            within_ideal=None if ideal is None else performed <= ideal,
            within_six_months=None if latest is None else performed <= latest,
            missed=missed,
            drug_holds=missed and earliest is not None and earliest > ideal,
            anaesthesia=missed
            and r["referral__current_decision__anaesthesia"] in ANAESTHESIA_UNDER_CARE,
            pain_before=r["referral__pain_nrs"],
            complication=r["complication"],
            **{key: missed and bool(r[f"c_{key}"]) for key in BOOKING_CAUSES},
        )
        for kind, answer in answers.get(r["referral_id"], {}).items():
            for name in ANSWER_FIELDS:
                setattr(row, f"{kind}_{name}", answer[name])
        yield row


def _answers(referral_ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for referral_id, kind, *values in FollowUpAnswer.objects.filter(
        followup__referral_id__in=referral_ids, followup__kind__in=FOLLOWUP_KINDS
    ).values_list(
        "followup__referral_id",
        "followup__kind",
        "answered_at",
        "pain_nrs",
        "opioids",
        "new_fracture",
        "complication",
    ):
        found.setdefault(referral_id, {})[kind] = dict(zip(ANSWER_FIELDS, values, strict=True))
    return found


def _write(referral_ids: list[int]) -> int:
    reports = list(
        ProcedureReport.objects.filter(referral_id__in=referral_ids)
        .annotate(
            submitted_on=TruncDate("referral__submitted_at"),
            decided_on=TruncDate("referral__current_decision__decided_at"),
            **{f"c_{key}": cause for key, cause in BOOKING_CAUSES.items()},
        )
        .values(
            "referral_id",
            "performed_on",
            "complication",
            "submitted_on",
            "decided_on",
            "referral__gp_id",
            "referral__ideal_until",
            "referral__latest_until",
            "referral__earliest_procedure_date",
            "referral__pain_nrs",
            "referral__current_decision__anaesthesia",
            *(f"c_{key}" for key in BOOKING_CAUSES),
        )
    )
    rows = list(_rows(reports, _answers(referral_ids)))
    fields = [f.name for f in TreatedReferral._meta.concrete_fields if not f.primary_key]
    before = {
        r["referral_id"]: _tallied(r)
        for r in TreatedReferral.objects.filter(referral_id__in=referral_ids).values(
            "referral_id", *TALLIED
        )
    }
    TreatedReferral.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["referral"], update_fields=fields
    )
    changed: set[date] = set()
    for row in rows:
        old, new = before.get(row.referral_id, {}), _tallied(vars(row))
        changed |= {m for m in old.keys() | new.keys() if old.get(m) != new.get(m)}
    months_changed(changed, today=timezone.localdate())
    return len(rows)


# What a row adds to the tallies of the months it counts in (quality/tally.py): the treated
# patient's figures in the month of the procedure, each answer's in the month of the answer.
TREATED_FIGURES = (
    "within_ideal",
    "within_six_months",
    "missed",
    *CAUSES,
    "complication",
    *DELAY_KEYS,
    "pain_before",
)
TALLIED = (
    "performed_on",
    *TREATED_FIGURES,
    *(f"{kind}_{name}" for kind in FOLLOWUP_KINDS for name in ANSWER_FIELDS),
)


def _tallied(row: dict[str, Any]) -> dict[date, Counter[tuple[Any, ...]]]:
    """Month → what the row adds to it; a month whose share differs before and after a write is
    no longer what was kept for it (quality/months.py)."""
    found: dict[date, Counter[tuple[Any, ...]]] = {}
    month = row["performed_on"].replace(day=1)
    found.setdefault(month, Counter())[("treated", *(row[f] for f in TREATED_FIGURES))] += 1
    for kind in FOLLOWUP_KINDS:
        at = row[f"{kind}_at"]
        if at is not None:
            answer = (kind, row["pain_before"], *(row[f"{kind}_{n}"] for n in ANSWER_FIELDS[1:]))
            found.setdefault(timezone.localdate(at).replace(day=1), Counter())[answer] += 1
    return found


def treated_refresh(*, referral_ids: Iterable[int]) -> int:
    """Write again the rows of these referrals (those with a signed report): the caller's
    transaction holds the change that made them stale. Returns how many were written."""
    ids = sorted(set(referral_ids))
    return sum(_write(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK))


def treated_rebuild() -> int:
    """Every row again from the record (`manage.py quality_rebuild`)."""
    ids = list(
        ProcedureReport.objects.order_by("referral_id").values_list("referral_id", flat=True)
    )
    written = treated_refresh(referral_ids=ids)
    strays = TreatedReferral.objects.exclude(
        referral_id__in=ProcedureReport.objects.values("referral_id")
    )
    months_changed(
        {month for row in strays.values(*TALLIED) for month in _tallied(row)},
        today=timezone.localdate(),
    )
    strays.delete()
    return written
