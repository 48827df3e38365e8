"""Every worked example of docs/clinical-rules.md, as the specification states it.

The full input/output example is ``test_derived.test_the_spec_example_gives_the_spec_output``.
"""

from __future__ import annotations

from datetime import timedelta

from eligibility.engine import Antithrombotic, evaluate
from tests.eligibility import AS_OF, labs, level, pain, referral, rule_ids

FAILED = pain(analgesics_failed=True)


def test_spec_a_21_day_old_fracture_misses_the_ideal_window_with_a_five_day_stop() -> None:
    # « a fracture that is 21 days old today cannot be treated in its ideal window if the patient
    # must stop a drug for five days » (no dose on J−5 … J−1: clopidogrel, last dose J−6).
    d = evaluate(
        referral(level(age=21), pain=FAILED, antithrombotics=(Antithrombotic.CLOPIDOGREL,))
    )
    assert d.levels[0].fracture_age_days == 21
    assert d.levels[0].age_at_earliest_days == 27
    assert "B-IDEAL-MISSED" in rule_ids(d, "L1")
    assert d.verdict == "eligible"


def test_spec_a_9_month_old_level_without_oedema_is_not_eligible_not_to_review() -> None:
    d = evaluate(referral(level(age=270, mri_oedema=False), pain=FAILED))
    assert d.levels[0].verdict == "not_eligible"


def test_spec_a_9_month_old_fracture_beside_a_recent_one_is_listed_and_not_treated() -> None:
    d = evaluate(referral(level("L1", age=10), level("L3", age=270, mri_oedema=False)))
    assert [(ld.level, ld.verdict) for ld in d.levels] == [
        ("L1", "eligible_ideal"),
        ("L3", "not_eligible"),
    ]
    assert d.procedure.levels_to_treat == ("L1",)


def test_spec_last_dose_j_minus_6_means_no_dose_on_j_minus_5_to_j_minus_1() -> None:
    d = evaluate(referral(antithrombotics=(Antithrombotic.CLOPIDOGREL,)))
    entry = d.medication_plan[0]
    assert entry.last_dose_day == -6
    assert d.earliest_procedure_date + timedelta(days=entry.last_dose_day) == AS_OF


def test_spec_a_clearance_of_29_5_is_below_30() -> None:
    d = evaluate(
        referral(antithrombotics=(Antithrombotic.DABIGATRAN,), labs=labs(creatinine_clearance=29.5))
    )
    assert "G-RENAL" in rule_ids(d, None)
    x = evaluate(
        referral(antithrombotics=(Antithrombotic.APIXABAN,), labs=labs(creatinine_clearance=29.5))
    )
    assert x.medication_plan[0].last_dose_day == -4


def test_spec_2026_1_doac_hold_allowed_the_last_dose_one_day_too_late() -> None:
    # 2026.1's « 2 days » let the last dose be on J−2; a named xaban now stops on J−3 at least.
    d = evaluate(referral(antithrombotics=(Antithrombotic.RIVAROXABAN,), labs=labs(
        creatinine_clearance=90)))  # fmt: skip
    assert d.medication_plan[0].last_dose_day == -3
    assert d.medication_plan[0].resume_day == 2


def test_spec_the_clopidogrel_hold_counts_for_E_although_it_is_optional() -> None:
    d = evaluate(referral(antithrombotics=(Antithrombotic.CLOPIDOGREL,)))
    assert d.medication_plan[0].optional is True
    assert d.earliest_procedure_date == AS_OF + timedelta(days=6)
