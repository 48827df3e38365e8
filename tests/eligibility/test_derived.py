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

# The specification's example input (clinical-rules.md, "Input: referral facts"), verbatim.
SPEC_EXAMPLE: dict = {
    "as_of": "2026-11-28",
    "patient": {"birth_date": "1941-03-02", "sex": "F", "pregnant": False,
                "osteoporosis_treatment": None},
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
            "tender_on_percussion": True,
        }
    ],
    "imaging": {"ct": True, "mri": True, "mri_contraindicated": False, "alternative": None},
    "pain": {"nrs": 8, "analgesics_failed": True, "opioids_failed": False},
    "red_flags": {
        "active_infection": False,
        "uncorrectable_coagulopathy": False,
        "cement_allergy": False,
        "neurological_deficit": False,
        "high_energy_trauma": False,
        "cannot_lie_prone": False,
    },
    "allergies": [],
    "labs": {"platelets": None, "inr": None, "creatinine_clearance": None},
    "antithrombotics": ["clopidogrel"],
    "vka_bridging": None,
    "anaesthesia": "local",
}  # fmt: skip
FAILED = pain(analgesics_failed=True)
OPIOIDS = pain(opioids_failed=True)


def days(n: int) -> date:
    return AS_OF + timedelta(days=n)


def test_the_spec_example_gives_the_spec_output() -> None:
    facts = facts_from_dict(SPEC_EXAMPLE, today=date(2026, 11, 28))
    out = decision_to_dict(evaluate(facts), lang="fr")
    assert out["ruleset"] == "2027.1"
    assert (out["verdict"], out["urgent"]) == ("eligible_ideal", False)
    assert out["levels"] == [
        {"level": "L1", "verdict": "eligible_ideal", "fracture_age_days": 13,
         "age_at_earliest_days": 19, "ideal_until": "2026-12-06", "latest_until": "2027-05-17"}
    ]  # fmt: skip
    ideal = next(f for f in out["findings"] if f["rule"] == "B-AGE-IDEAL")
    assert (ideal["level"], ideal["effect"]) == ("L1", "eligible_ideal")
    assert "3 premières semaines" in ideal["source"]
    assert out["medication_plan"] == [
        {"drug": "clopidogrel", "rule": "B-CLOPIDOGREL", "last_dose_day": -6,
         "last_dose_time": None, "resume_day": 1, "resume_time": None, "optional": True}
    ]  # fmt: skip
    assert out["preparation"] == []
    assert out["procedure"] == {
        "levels_to_treat": ["L1"],
        "duration_minutes": 30,
        "act_label": "Spondyloplastie unique ou de 2 vertèbres",
    }
    assert out["earliest_procedure_date"] == "2026-12-04"
    assert out["target_before"] == "2026-12-06"
    # Continuing clopidogrel would give the same verdict and target: no option.
    assert out["options"] == []
    # Actions the spec elides: the clopidogrel stop, and osteoporosis care (85, not treated).
    assert out["actions"] == ["osteoporosis_care", "clopidogrel_stop"]


# ---- Ages and windows ------------------------------------------------------------------------


def test_ages_and_windows_per_level() -> None:
    d = evaluate(referral(level("L1", age=0), level("L2", age=None)))
    l1, l2 = d.levels
    assert (l1.fracture_age_days, l1.ideal_until, l1.latest_until) == (0, days(21), days(183))
    assert l1.age_at_earliest_days == 1  # E is the next day
    assert (l2.fracture_age_days, l2.ideal_until, l2.latest_until) == (None, None, None)
    assert l2.age_at_earliest_days is None


def test_ages_are_judged_at_the_earliest_procedure_date() -> None:
    d = evaluate(referral(level(age=10), antithrombotics=(Antithrombotic.PRASUGREL,)))
    assert d.earliest_procedure_date == days(8)
    assert (d.levels[0].fracture_age_days, d.levels[0].age_at_earliest_days) == (10, 18)


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
    d = evaluate(referral(level("L1"), level("L2", age=None, mri_oedema=None)))
    assert d.verdict == "incomplete"
    assert d.procedure.levels_to_treat == ("L1",)  # a proposal; the verdict still says wait


# ---- Earliest procedure date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("drugs", "anaesthesia", "delay"),
    [((), Anaesthesia.LOCAL, 1), (("aspirin",), Anaesthesia.LOCAL, 1),
     (("lmwh",), Anaesthesia.LOCAL, 1), (("doac",), Anaesthesia.LOCAL, 5),
     (("apixaban",), Anaesthesia.LOCAL, 4), (("dabigatran",), Anaesthesia.LOCAL, 5),
     ((), Anaesthesia.GENERAL, 2), (("vka",), Anaesthesia.SEDATION, 6),
     (("clopidogrel", "prasugrel"), Anaesthesia.LOCAL, 8),
     (("ticagrelor", "lmwh"), Anaesthesia.GENERAL, 6), (("fondaparinux",), Anaesthesia.LOCAL, 1)],
)  # fmt: skip
def test_earliest_date_waits_for_the_largest_hold_and_at_least_a_day(
    drugs: tuple[str, ...], anaesthesia: Anaesthesia, delay: int
) -> None:
    facts = referral(antithrombotics=tuple(map(Antithrombotic, drugs)), anaesthesia=anaesthesia)
    assert evaluate(facts).earliest_procedure_date == days(delay)


def test_holds_give_the_day_of_the_last_dose_as_2026_1_did() -> None:
    d = evaluate(referral(antithrombotics=(Antithrombotic.CLOPIDOGREL, Antithrombotic.LMWH)))
    assert dict(d.holds) == {"clopidogrel_stop": 6, "lmwh_hold": 1}
    clopidogrel = d.holds[0]
    assert clopidogrel.stop_on(date(2026, 12, 10)) == date(2026, 12, 4)  # last dose on J−6


# ---- Target date -----------------------------------------------------------------------------


def test_target_is_the_ideal_deadline_when_it_can_be_met() -> None:
    d = evaluate(referral(level(age=13)))
    assert d.target_before == days(8)


def test_target_is_the_ideal_deadline_when_it_falls_on_the_earliest_date() -> None:
    d = evaluate(referral(level(age=15), antithrombotics=(Antithrombotic.PRASUGREL,)))
    assert d.earliest_procedure_date == days(8)
    assert d.levels[0].ideal_until == days(6)  # missed: 23 days old at E
    d = evaluate(referral(level(age=15), antithrombotics=(Antithrombotic.TICAGRELOR,)))
    assert d.earliest_procedure_date == days(6) == d.levels[0].ideal_until
    assert d.target_before == days(6)


def test_target_falls_back_to_six_months_when_a_hold_outlasts_the_ideal_window() -> None:
    d = evaluate(referral(level(age=16), pain=FAILED, antithrombotics=(Antithrombotic.TICAGRELOR,)))
    assert d.levels[0].verdict == "eligible"  # 22 days old at E
    assert d.target_before == d.levels[0].latest_until == days(167)


def test_target_is_the_earliest_ideal_deadline_among_several_levels() -> None:
    d = evaluate(referral(level("L1", age=5), level("L2", age=15)))
    assert d.target_before == days(6)


def test_target_ignores_ideal_deadlines_already_missed_by_another_level() -> None:
    # L2 is past its ideal window; L1 can still be treated in its own (docs/eligibility.md).
    d = evaluate(referral(level("L1", age=5), level("L2", age=30), pain=FAILED))
    assert d.verdict == "eligible"
    assert d.target_before == days(16)


def test_target_is_another_levels_six_month_deadline_when_it_comes_first() -> None:
    # L1 closes its 6-month window in 13 days, before L2's ideal window closes (16 days).
    d = evaluate(referral(level("L1", age=170), level("L2", age=5), pain=OPIOIDS))
    assert d.verdict == "eligible"
    assert d.target_before == days(13) == d.levels[0].latest_until


def test_target_is_the_earliest_six_month_deadline_when_no_ideal_one_is_left() -> None:
    d = evaluate(referral(level("L1", age=100), level("L2", age=60), pain=OPIOIDS))
    assert d.target_before == days(83)


def test_target_never_falls_before_the_earliest_date_now_that_ages_are_judged_at_it() -> None:
    # 2026.1 gave a target before E when a hold outlasted the window; a treatable level is now
    # one still inside its window at E.
    d = evaluate(referral(level(age=170), pain=OPIOIDS, antithrombotics=(Antithrombotic.VKA,)))
    assert d.verdict == "eligible"  # 176 days at E
    assert d.target_before == days(13) >= d.earliest_procedure_date == days(6)
    # Past the window at E: G-WINDOW-CLOSES asks for a review, nothing is treatable.
    d = evaluate(
        referral(level(age=180), pain=OPIOIDS, antithrombotics=(Antithrombotic.PRASUGREL,))
    )
    assert d.verdict == "needs_review"
    assert "G-WINDOW-CLOSES" in [f.rule for f in d.findings]
    assert d.earliest_procedure_date == days(8)
    assert d.procedure.levels_to_treat == ()


def test_the_act_label_stays_the_insurance_name_in_english() -> None:
    out = decision_to_dict(evaluate(referral()), lang="en")
    assert out["procedure"]["act_label"] == "Spondyloplastie unique ou de 2 vertèbres"
