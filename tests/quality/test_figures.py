"""Every figure of the quality dashboard on tests/quality/data.py's November, computed by hand."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from clinic.models import User
from quality import selectors
from quality.pages.dashboard import dashboard
from quality.periods import month_period
from tests.quality.data import november

NOVEMBER = month_period("2026-11")
TODAY = date(2026, 12, 3)
pytestmark = pytest.mark.django_db


@pytest.fixture
def data(radiologist: User) -> dict:
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        return november(radiologist)


def test_delays_medians_and_90th_percentiles(data: dict) -> None:
    assert NOVEMBER is not None
    figures = selectors.delays(selectors.treated_in(NOVEMBER))
    by_key = {d.key: (d.count, d.median, d.p90) for d in figures.delays}
    assert by_key == {
        "fracture_referral": (3, 10, 152),
        "referral_decision": (3, 2, 4),
        "decision_procedure": (3, 18, 28),
        "fracture_procedure": (3, 42, 172),
    }
    assert (figures.treated, figures.within_ideal, figures.within_six_months) == (3, 1, 3)


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(data: dict) -> None:
    assert NOVEMBER is not None
    reports = selectors.treated_in(NOVEMBER).exclude(referral=data["c"])
    by_key = {d.key: (d.median, d.p90) for d in selectors.delays(reports).delays}
    assert by_key["fracture_procedure"] == (29, 42)  # 16 and 42


def test_missed_window_causes_are_counted_from_the_record(data: dict) -> None:
    assert NOVEMBER is not None
    causes = selectors.missed_window_causes(selectors.treated_in(NOVEMBER))
    assert causes == {
        "missed": 2,
        "imaging": 0,
        "information": 1,
        "drug_holds": 1,
        "anaesthesia": 0,
        "no_room": 0,
        "patient": 1,
        "clinic_change": 0,
        "medical_change": 0,
        "no_show": 1,
        "other": 0,
        "unrecorded": 0,
    }


def test_capacity_counts_minutes_places_and_lost_places(data: dict) -> None:
    assert NOVEMBER is not None
    cap = selectors.capacity(NOVEMBER, today=TODAY, weeks=2)
    assert (cap.sessions, cap.minutes_offered, cap.minutes_used) == (3, 360, 90)
    assert (cap.places_offered, cap.places_used, cap.cancelled, cap.no_shows) == (6, 3, 0, 1)
    assert cap.first_free == ((date(2026, 11, 30), None), (date(2026, 12, 7), None))


def test_first_free_place_is_the_first_session_with_room(data: dict, radiologist: User) -> None:
    from tests.quality.data import session

    session(date(2026, 12, 9), radiologist)
    weeks = selectors.first_free_places(today=TODAY, weeks=3)
    assert weeks == (
        (date(2026, 11, 30), None),
        (date(2026, 12, 7), date(2026, 12, 9)),
        (date(2026, 12, 14), None),
    )


def test_outcomes_pain_medians_halved_share_and_opioids(data: dict) -> None:
    assert NOVEMBER is not None
    rows = {o.kind: o for o in selectors.outcomes(NOVEMBER, selectors.treated_in(NOVEMBER))}
    assert (rows["before"].answers, rows["before"].median_pain) == (3, 8)
    d1 = rows["d1"]
    assert (d1.answers, d1.median_pain, d1.halved, d1.with_baseline, d1.opioids) == (
        2,
        3.5,
        1,
        2,
        1,
    )
    assert rows["m1"].answers == 0 and rows["m1"].median_pain is None
    grades = selectors.complications_by_grade(selectors.treated_in(NOVEMBER))
    assert grades == {"none": 2, "1": 1}


def test_engine_agreement_and_overrides_by_rule(data: dict) -> None:
    assert NOVEMBER is not None
    board = dashboard(NOVEMBER, today=TODAY)
    engine = board.table("engine")
    assert engine is not None
    # November's decisions: C accepted on « eligible » (agrees), D declined « eligible_ideal ».
    assert [row[1:] for row in engine.rows] == [("1", "0", "0 %"), ("1", "1", "100 %")]
    by_rule = board.table("overrides_by_rule")
    assert by_rule is not None and by_rule.rows == (("B-AGE-IDEAL", "1"),)
    overrides = board.table("overrides")
    assert overrides is not None and overrides.rows[0][-1] == "Fracture ancienne à l'IRM"
    targets = board.table("targets")
    assert targets is not None
    assert dict((row[0], row[1:]) for row in targets.rows)["Traités dans les 21 jours"] == (
        "33 %",
        "au moins 50 %",
        "non",
    )
    assert dict((row[0], row[1]) for row in targets.rows)["Décisions conformes au moteur"] == "50 %"


def test_an_answer_without_a_grade_is_not_a_complication(radiologist: User) -> None:
    from tests.quality.data import answer, booking, report, session, treated

    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        s1 = session(date(2026, 11, 5), radiologist)
        for pain, grade in ((6, ""), (7, "2"), (5, "none")):
            referral = treated(
                fracture=date(2026, 10, 20),
                submitted=date(2026, 10, 25),
                decided=date(2026, 10, 27),
                done=None,
                pain=pain,
                by=radiologist,
            )
            report(referral, booking(referral, s1, "done", radiologist), radiologist)
            # The patient's own questionnaire asks no CIRSE grade: its answer stores "".
            answer(referral, "d1", date(2026, 11, 6), 2, opioids=False, complication=grade)
    assert NOVEMBER is not None
    rows = {o.kind: o for o in selectors.outcomes(NOVEMBER, selectors.treated_in(NOVEMBER))}
    assert (rows["d1"].answers, rows["d1"].complications) == (3, 1)
