"""The closed months' figures kept as tallies (quality/months.py): a period reads them instead of
its rows and its figures stay exactly the rows' — medians and percentiles included —, a late
change to a kept month counts at once, the current month is always counted from the rows."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from clinic.models import User
from followups.models import FollowUp
from followups.services.answers import AnswerInput, followup_record
from quality.models import MonthlyFigures, TreatedReferral
from quality.months import months_keep
from quality.pages.dashboard import dashboard
from quality.periods import month_period, period_from
from quality.stats import median, nearest_rank_p90
from tests.procedures.helpers import signed_report
from tests.quality.data import november

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 3)
NOVEMBER = month_period("2026-11")


@pytest.fixture
def data(radiologist: User) -> dict:
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        return november(radiologist)


def _tables(first: str, last: str, today: date = TODAY) -> dict[str, Any]:
    board = dashboard(period_from(first, last, today=today), today=today)
    return {table.key: table.rows for table in board.tables}


def _treated(first: str, last: str, today: date) -> str:
    """The patients treated in the period, as « Décision → geste » counts them."""
    delays = {row[0]: row[1] for row in _tables(first, last, today)["delays"]}
    return str(delays["Décision → geste"])


def _kept() -> dict[str, bool]:
    return {f"{m.month:%Y-%m}": m.stale for m in MonthlyFigures.objects.order_by("month")}


def test_a_kept_month_shows_the_same_figures_as_its_rows(data: dict) -> None:
    from_rows = _tables("2026-11", "2026-11")
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        call_command("quality_months", stdout=StringIO())
    # October (its decisions) and November; the current month is never kept.
    assert _kept() == {"2026-10": False, "2026-11": False}
    assert _tables("2026-11", "2026-11") == from_rows
    delays = {row[0]: row[1:] for row in from_rows["delays"]}
    assert delays["Fracture → geste"] == ("3", "42", "172")


def test_a_kept_month_is_read_from_its_tally_not_its_rows(data: dict) -> None:
    assert NOVEMBER is not None
    months_keep(today=TODAY)
    # Rows changed behind the services' back (never done by the product) do not show...
    TreatedReferral.objects.update(fracture_procedure=0)
    kept = {row[0]: row[1:] for row in _tables("2026-11", "2026-11")["delays"]}
    assert kept["Fracture → geste"] == ("3", "42", "172")
    # ...until the month is kept again, as `quality_rebuild` does after writing every row.
    months_keep(today=TODAY, again=True)
    again = {row[0]: row[1:] for row in _tables("2026-11", "2026-11")["delays"]}
    assert again["Fracture → geste"] == ("3", "21", "21")


def test_a_report_signed_after_its_month_was_kept_counts_at_once(
    data: dict, secretary: User, radiologist: User
) -> None:
    january = date(2027, 1, 4)
    months_keep(today=january)
    assert _kept() == {"2026-10": False, "2026-11": False, "2026-12": False}
    assert _treated("2026-12", "2026-12", january) == "0"
    # The procedure of 8 December signed on 5 January, December already kept.
    with time_machine.travel("2027-01-05 10:00 +01:00", tick=False):
        signed_report(secretary=secretary, radiologist=radiologist, day=date(2026, 12, 8))
    assert _kept() == {"2026-10": False, "2026-11": False, "2026-12": True}
    assert _treated("2026-12", "2026-12", january) == "1"
    assert _treated("2026-11", "2026-12", january) == "4"
    whole = _tables("2026-11", "2026-12", january)
    months_keep(today=january)
    assert _kept() == {"2026-10": False, "2026-11": False, "2026-12": False}
    assert _tables("2026-11", "2026-12", january) == whole


def test_an_answer_this_month_leaves_the_kept_months_as_they_are(
    data: dict, secretary: User
) -> None:
    months_keep(today=TODAY)
    november_before = _tables("2026-11", "2026-11")
    followup = FollowUp.objects.create(referral=data["c"], kind="d1", due_on=date(2026, 11, 21))
    with time_machine.travel("2026-12-03 10:00 +01:00", tick=False):
        followup_record(
            followup=followup,
            by=secretary,
            data=AnswerInput(
                pain_nrs=2,
                opioids=False,
                walking="normal",
                new_back_pain=False,
                new_fracture=False,
                satisfaction="4",
            ),
        )
    assert _kept() == {"2026-10": False, "2026-11": False}
    assert _tables("2026-11", "2026-11") == november_before
    december = {row[0]: row[1:3] for row in _tables("2026-12", "2026-12")["outcomes"]}
    assert december["J1"] == ("1", "2")  # one answer, pain 2
    both = {row[0]: row[1:3] for row in _tables("2026-11", "2026-12")["outcomes"]}
    assert both["J1"] == ("3", "3")  # November's 3 and 4, December's 2


def test_a_period_of_kept_and_counted_months_matches_its_rows(
    data: dict, radiologist: User
) -> None:
    from tests.quality.data import booking, report, session, treated

    with time_machine.travel("2027-02-10 09:00 +01:00", tick=False):
        s = session(date(2027, 1, 12), radiologist)
        for pain, fracture in ((9, date(2026, 12, 20)), (4, date(2026, 12, 30))):
            referral = treated(
                fracture=fracture,
                submitted=fracture + timedelta(days=3),
                decided=fracture + timedelta(days=5),
                done=None,
                pain=pain,
                by=radiologist,
            )
            report(referral, booking(referral, s, "done", radiologist), radiologist)
    today = date(2027, 2, 10)
    from_rows = _tables("2026-10", "2027-02", today)
    months_keep(today=today)
    assert _kept() == {"2026-10": False, "2026-11": False, "2026-12": False, "2027-01": False}
    assert _tables("2026-10", "2027-02", today) == from_rows
    delays = {row[0]: row[1:] for row in from_rows["delays"]}
    assert delays["Fracture → geste"] == ("5", "23", "172")  # 16 13 23 42 172


def test_the_scheduler_keeps_the_closed_months_once_a_day(
    data: dict, django_capture_on_commit_callbacks: Any
) -> None:
    for at in ("2026-12-04 00:30 +01:00", "2026-12-04 01:30 +01:00", "2026-12-04 09:00 +01:00"):
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            call_command("enqueue_due_tasks", stdout=StringIO())
        if at.startswith("2026-12-04 00"):
            assert _kept() == {"2026-11": True}  # marked by November's rows, not kept yet
    assert _kept() == {"2026-10": False, "2026-11": False}
    assert all(m.kept_at for m in MonthlyFigures.objects.all())


@given(st.lists(st.integers(min_value=-30, max_value=400), min_size=1, max_size=300))
def test_medians_and_percentiles_from_counts_by_value_are_the_sorted_values(
    values: list[int],
) -> None:
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    ordered = sorted(values)
    assert median(counts) == statistics.median(ordered)
    # Nearest rank: the smallest value with at least 90 % of the values at or below it.
    rank = next(i for i in range(1, len(ordered) + 1) if i * 10 >= 9 * len(ordered))
    assert nearest_rank_p90(counts) == ordered[rank - 1]
    assert median({}) is None and nearest_rank_p90({}) is None
