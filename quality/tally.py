"""What the quality rows add up to: counts, and counts by value for every figure with a median.

A tally is summable: the tally of a period is the sum of its months' (quality/months.py keeps
those of closed months), and the medians and percentiles read from its counts by value
(quality/stats.py) are exact whatever the period. The database groups the rows by value; Python
adds a few hundred small groups up, never a row per patient.

Each section is counted over its own rows: the patients treated (by the day of the procedure),
the follow-ups answered (by the day of the answer) and the decisions made (by their day).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.utils import timezone

from quality.models import TreatedReferral
from referrals.models import Decision

DELAY_KEYS = ("fracture_referral", "referral_decision", "decision_procedure", "fracture_procedure")
# Why the ideal window was missed (quality/facts.py reads each from where it is recorded).
CAUSES = (
    "imaging",
    "information",
    "drug_holds",
    "anaesthesia",
    "no_room",
    "patient",
    "clinic_change",
    "medical_change",
    "no_show",
    "other",
)
FOLLOWUPS = ("d1", "m1", "m3")
# The columns with a median (and the delays' 90th percentile): counted by value.
MEDIAN_COLUMNS = (*DELAY_KEYS, "pain_before")
# An answer's complication: "" = not asked (the patient's own questionnaire has no grade).
NO_COMPLICATION = ("none", "")

Histogram = dict[int, int]  # value → how many
Months = Sequence[tuple[date, date]]  # [start, end) ranges of whole months


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    values: dict[str, Histogram] = field(default_factory=dict)

    def add(self, other: Tally) -> Tally:
        self.counts.update(other.counts)
        for name, histogram in other.values.items():
            self._add_values(name, histogram.items())
        return self

    def add_kept(self, kept: dict[str, Any]) -> Tally:
        """Add a tally kept as JSON (`as_json`)."""
        self.counts.update(kept.get("counts") or {})
        for name, flat in (kept.get("values") or {}).items():
            pairs = iter(flat)
            self._add_values(name, zip(pairs, pairs, strict=False))
        return self

    def _add_values(self, name: str, pairs: Iterable[tuple[int, int]]) -> None:
        mine = self.values.setdefault(name, {})
        for value, n in pairs:
            mine[value] = mine.get(value, 0) + n

    def count(self, name: str, value: int | None, n: int) -> None:
        if value is not None:
            self._add_values(name, ((value, n),))

    def histogram(self, name: str) -> Histogram:
        return self.values.get(name) or {}

    def as_json(self) -> dict[str, Any]:
        """Counts, and each histogram as a flat list [value, n, value, n, …] (decoded several
        times faster than pairs: a period reads dozens of months)."""
        return {
            "counts": {name: n for name, n in sorted(self.counts.items()) if n},
            "values": {
                name: [x for pair in sorted(h.items()) if pair[1] for x in pair]
                for name, h in sorted(self.values.items())
                if any(h.values())
            },
        }


def instant(day: date) -> datetime:
    """The clinic's midnight starting `day` (an answer's day is the clinic's, not UTC's)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def treated_rows(months: Months, *, gp_id: int | None = None) -> QuerySet[TreatedReferral]:
    """The patients treated in these months (one GP's when `gp_id` is given)."""
    rows = TreatedReferral.objects.filter(
        _any(Q(performed_on__gte=start, performed_on__lt=end) for start, end in months)
    )
    return rows if gp_id is None else rows.filter(gp_id=gp_id)


def answered_in(kind: str, months: Months) -> Q:
    """The rows whose `kind` follow-up (d1, m1, m3) was answered in these months."""
    return _any(
        Q(**{f"{kind}_at__gte": instant(start), f"{kind}_at__lt": instant(end)})
        for start, end in months
    )


def _any(conditions: Iterable[Q]) -> Q:
    found = list(conditions)
    return reduce(or_, found) if found else Q(pk__in=[])  # no month: no row


def treated_tally(rows: QuerySet[TreatedReferral]) -> Tally:
    """The treated patients' counts (by their flags' combinations: a few dozen groups) and the
    delays' and pain's counts by value: two queries whatever the number of rows."""
    tally = Tally()
    counts = tally.counts
    flags = ("within_ideal", "within_six_months", "missed", *CAUSES, "complication")
    for group in rows.values(*flags).annotate(n=Count("*")).order_by():
        n = group["n"]
        counts["treated"] += n
        if group["within_ideal"] is not None:
            counts["dated"] += n
        counts["within_ideal"] += n if group["within_ideal"] else 0
        counts["within_six_months"] += n if group["within_six_months"] else 0
        counts[f"grade:{group['complication']}"] += n
        if group["missed"]:
            counts["missed"] += n
            causes = [cause for cause in CAUSES if group[cause]]
            for cause in causes:
                counts[f"cause:{cause}"] += n
            counts["unrecorded"] += 0 if causes else n
    parts = [
        rows.filter(**{f"{column}__isnull": False})
        .values(figure=Value(column), value=F(column))
        .annotate(n=Count("*"))
        .order_by()
        for column in MEDIAN_COLUMNS
    ]
    for group in parts[0].union(*parts[1:], all=True):
        tally.count(group["figure"], group["value"], group["n"])
    return tally


def answered_tally(months: Months, *, gp_id: int | None = None) -> Tally:
    """The D1, M1 and M3 follow-ups answered in these months (of one GP's patients when `gp_id`
    is given), grouped by what the figures read of them: one query."""
    rows = TreatedReferral.objects.all()
    if gp_id is not None:
        rows = rows.filter(gp_id=gp_id)
    parts = [
        rows.filter(answered_in(kind, months))
        .values(
            "pain_before",
            kind=Value(kind),
            answer_pain=F(f"{kind}_pain"),
            answer_opioids=F(f"{kind}_opioids"),
            answer_new_fracture=F(f"{kind}_new_fracture"),
            answer_complication=F(f"{kind}_complication"),
        )
        .annotate(n=Count("*"))
        .order_by()
        for kind in FOLLOWUPS
    ]
    tally = Tally()
    counts = tally.counts
    for group in parts[0].union(*parts[1:], all=True):
        kind, n, pain = group["kind"], group["n"], group["answer_pain"]
        before = group["pain_before"]
        counts[f"{kind}:answers"] += n
        tally.count(f"{kind}_pain", pain, n)
        if before:  # a pain before the procedure to compare with (not 0)
            counts[f"{kind}:with_baseline"] += n
            if pain is not None and before >= 2 * pain:
                counts[f"{kind}:halved"] += n
        counts[f"{kind}:opioids"] += n if group["answer_opioids"] else 0
        counts[f"{kind}:new_fractures"] += n if group["answer_new_fracture"] else 0
        if group["answer_complication"] not in NO_COMPLICATION:
            counts[f"{kind}:complications"] += n
    return tally


def decisions_tally(months: Months) -> Tally:
    """The decisions made in these months, by the engine's verdict and the radiologist's
    decision (the index on (decided_at, engine_verdict, kind) answers alone). A decision is
    made now and never changes (append-only): a closed month's count never does."""
    made = _any(
        Q(decided_at__gte=instant(start), decided_at__lt=instant(end)) for start, end in months
    )
    tally = Tally()
    for verdict, kind, n in (
        Decision.objects.filter(made)
        .values_list("engine_verdict", "kind")
        .annotate(n=Count("*"))
        .order_by()
    ):
        tally.counts[f"decision:{verdict}:{kind}"] += n
    return tally


def live_tally(months: Months, *, gp_id: int | None = None) -> Tally:
    """These months read from the rows: the treated patients and the answers (three queries),
    and for the whole clinic (no `gp_id`) the decisions (one more)."""
    if not months:
        return Tally()
    tally = treated_tally(treated_rows(months, gp_id=gp_id))
    tally.add(answered_tally(months, gp_id=gp_id))
    return tally if gp_id is not None else tally.add(decisions_tally(months))


def month_ranges(months: Iterable[date]) -> list[tuple[date, date]]:
    """First days of months → [start, end) ranges, consecutive months joined."""
    ranges: list[tuple[date, date]] = []
    for month in sorted(months):
        end = next_month(month)
        if ranges and ranges[-1][1] == month:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((month, end))
    return ranges


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def months_of(start: date, end: date) -> list[date]:
    """The first day of every month in [start, end)."""
    months, month = [], start.replace(day=1)
    while month < end:
        months.append(month)
        month = next_month(month)
    return months
