"""Derived values: ages and windows, the procedure, the earliest date, the target date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from eligibility.engine import (
    Anaesthesia,
    Antithrombotic,
    decision_to_dict,
    evaluate,
    facts_from_dict,
)
from tests.eligibility import AS_OF, level, pain, referral

SPEC_EXAMPLE = {
    "as_of": "2026-11-28",
    "patient": {"birth_date": "1941-03-02", "sex": "F", "pregnant": False},
    "levels": [
        {
            "level": "L1",
            "fracture_date": "2026-11-15",
            "cause": "trauma",
            "posterior_arch_involved": False,
            "posterior_wall_involved": False,
            "sacral_pattern": None,
            "mri_oedema": True,
            "retropulsion": False,
        }
    ],
    "imaging": {"ct": True, "mri": True},
    "pain": {"nrs": 8, "analgesics_failed": True, "opioids_failed": False},
    "red_flags": {
        "active_infection": False,
        "uncorrectable_coagulopathy": False,
        "cement_allergy": False,
        "neurological_deficit": False,
        "high_energy_trauma": False,
    },
    "antithrombotics": ["aspirin"],
    "anaesthesia": "local",
}
FAILED = pain(analgesics_failed=True)


def days(n: int) -> date:
    return AS_OF + timedelta(days=n)


def test_the_spec_example_gives_the_spec_output() -> None:
    facts = facts_from_dict(SPEC_EXAMPLE, today=date(2026, 11, 28))
    out = decision_to_dict(evaluate(facts), lang="fr")
    assert out["ruleset"] == "2026.1"
    assert out["verdict"] == "eligible_ideal"
    assert out["levels"] == [
        {"level": "L1", "verdict": "eligible_ideal", "fracture_age_days": 13,
         "ideal_until": "2026-12-06", "latest_until": "2027-05-17"}
    ]  # fmt: skip
    ideal = next(f for f in out["findings"] if f["rule"] == "B-AGE-IDEAL")
    assert (ideal["level"], ideal["effect"]) == ("L1", "eligible_ideal")
    assert "3 premières semaines" in ideal["source"]
    assert out["actions"] == ["aspirin_continue"]
    assert out["procedure"] == {
        "levels_to_treat": ["L1"],
        "duration_minutes": 30,
        "act_label": "Spondyloplastie unique ou de 2 vertèbres",
    }
    assert out["earliest_procedure_date"] == "2026-11-29"
    assert out["target_before"] == "2026-12-06"


# ---- Ages and windows ------------------------------------------------------------------------


def test_ages_and_windows_per_level() -> None:
    d = evaluate(referral(level("L1", age=0), level("L2", age=None)))
    l1, l2 = d.levels
    assert (l1.fracture_age_days, l1.ideal_until, l1.latest_until) == (0, days(21), days(183))
    assert (l2.fracture_age_days, l2.ideal_until, l2.latest_until) == (None, None, None)


def test_windows_cross_a_leap_day() -> None:
    facts = referral(as_of=date(2028, 2, 20))
    facts = replace(facts, levels=(replace(facts.levels[0], fracture_date=date(2028, 2, 20)),))
    ld = evaluate(facts).levels[0]
    assert ld.ideal_until == date(2028, 3, 12)  # 2028 is a leap year: Feb has 29 days


# ---- Procedure -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "minutes", "act"),
    [(1, 30, "Spondyloplastie unique ou de 2 vertèbres"),
     (2, 60, "Spondyloplastie unique ou de 2 vertèbres"),
     (3, 90, "Spondyloplastie de 3 vertèbres ou plus"),
     (4, 90, "Spondyloplastie de 3 vertèbres ou plus"),
     (5, 90, "Spondyloplastie de 3 vertèbres ou plus")],
)  # fmt: skip
def test_duration_and_act_label_follow_the_treatable_levels(
    count: int, minutes: int, act: str
) -> None:
    names = ("T10", "T11", "T12", "L1", "L2")[:count]
    d = evaluate(referral(*(level(n) for n in names)))
    assert d.procedure.levels_to_treat == names
    assert (d.procedure.duration_minutes, d.procedure.act_label) == (minutes, act)


def test_no_procedure_when_nothing_is_treatable() -> None:
    d = evaluate(referral(level(age=300), pain=FAILED))
    assert (d.procedure.levels_to_treat, d.procedure.duration_minutes) == ((), None)
    assert d.procedure.act_label is None
    assert d.target_before is None


def test_levels_to_treat_are_in_spine_order_whatever_the_input_order() -> None:
    d = evaluate(referral(level("L2"), level("T12"), level("L1")))
    assert d.procedure.levels_to_treat == ("T12", "L1", "L2")


def test_levels_to_treat_exclude_levels_that_are_not_treatable() -> None:
    d = evaluate(referral(level("L1"), level("L2", age=None)))
    assert d.verdict == "incomplete"
    assert d.procedure.levels_to_treat == ("L1",)  # a proposal; the verdict still says wait


# ---- Earliest procedure date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("drugs", "anaesthesia", "delay"),
    [((), Anaesthesia.LOCAL, 1), (("aspirin",), Anaesthesia.LOCAL, 1),
     (("lmwh",), Anaesthesia.LOCAL, 1), (("doac",), Anaesthesia.LOCAL, 2),
     ((), Anaesthesia.GENERAL, 2), (("vka",), Anaesthesia.SEDATION, 5),
     (("clopidogrel", "prasugrel"), Anaesthesia.LOCAL, 7),
     (("ticagrelor", "lmwh"), Anaesthesia.GENERAL, 5)],
)  # fmt: skip
def test_earliest_date_waits_for_the_largest_hold_and_at_least_a_day(
    drugs: tuple[str, ...], anaesthesia: Anaesthesia, delay: int
) -> None:
    facts = referral(antithrombotics=tuple(map(Antithrombotic, drugs)), anaesthesia=anaesthesia)
    assert evaluate(facts).earliest_procedure_date == days(delay)


def test_holds_tell_scheduling_when_to_stop() -> None:
    d = evaluate(referral(antithrombotics=(Antithrombotic.CLOPIDOGREL, Antithrombotic.LMWH)))
    assert dict(d.holds) == {"clopidogrel_stop": 5, "lmwh_hold": 1}
    clopidogrel = d.holds[0]
    assert clopidogrel.stop_on(date(2026, 12, 10)) == date(2026, 12, 5)


# ---- Target date -----------------------------------------------------------------------------


def test_target_is_the_ideal_deadline_when_it_can_be_met() -> None:
    d = evaluate(referral(level(age=13)))
    assert d.target_before == days(8)


def test_target_is_the_ideal_deadline_when_it_falls_on_the_earliest_date() -> None:
    d = evaluate(referral(level(age=16), antithrombotics=(Antithrombotic.CLOPIDOGREL,)))
    assert d.earliest_procedure_date == days(5) == d.levels[0].ideal_until
    assert d.target_before == days(5)


def test_target_falls_back_to_six_months_when_a_hold_outlasts_the_ideal_window() -> None:
    d = evaluate(referral(level(age=17), antithrombotics=(Antithrombotic.CLOPIDOGREL,)))
    assert d.levels[0].verdict == "eligible_ideal"
    assert d.target_before == d.levels[0].latest_until == days(166)


def test_target_is_the_earliest_ideal_deadline_among_several_levels() -> None:
    d = evaluate(referral(level("L1", age=5), level("L2", age=15)))
    assert d.target_before == days(6)


def test_target_ignores_ideal_deadlines_already_missed_by_another_level() -> None:
    # L2 is past its ideal window; L1 can still be treated in its own (docs/eligibility.md).
    d = evaluate(referral(level("L1", age=5), level("L2", age=60), pain=FAILED))
    assert d.verdict == "eligible"
    assert d.target_before == days(16)


def test_target_is_the_earliest_six_month_deadline_when_no_ideal_one_is_left() -> None:
    d = evaluate(referral(level("L1", age=100), level("L2", age=60), pain=FAILED))
    assert d.target_before == days(83)


def test_target_may_fall_before_the_earliest_date_when_a_hold_outlasts_the_window() -> None:
    # Applied as the spec writes it; the screen shows the conflict (docs/eligibility.md).
    d = evaluate(referral(level(age=180), pain=FAILED, antithrombotics=(Antithrombotic.PRASUGREL,)))
    assert d.verdict == "eligible"
    assert d.earliest_procedure_date == days(7)
    assert d.target_before == days(3)


def test_the_act_label_stays_the_insurance_name_in_english() -> None:
    out = decision_to_dict(evaluate(referral()), lang="en")
    assert out["procedure"]["act_label"] == "Spondyloplastie unique ou de 2 vertèbres"
