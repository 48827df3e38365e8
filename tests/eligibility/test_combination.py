"""How findings combine: a level's verdict, the overall verdict's ordered steps, and the order
of findings and actions."""

from __future__ import annotations

import pytest

from eligibility.engine import Antithrombotic, Cause, ImagingFacts, evaluate
from tests.eligibility import at_e, flags, level, level_verdict, pain, patient, referral, rule_ids

FAILED = pain(analgesics_failed=True)
OPIOIDS = pain(opioids_failed=True)


def undated(name: str = "L1", **changes: object) -> object:
    return level(name, None, mri_oedema=None, **changes)


def old(name: str = "L1", age: int = 300, **changes: object) -> object:
    return level(name, age, mri_oedema=None, **changes)


# ---- A level's verdict: surgical_referral > incomplete > not_eligible > needs_review > ... ----


@pytest.mark.parametrize(
    ("lv", "expected"),
    [
        (level(age=270, mri_oedema=False), "not_eligible"),  # the spec's own example
        (undated(posterior_arch_involved=True), "surgical_referral"),
        (level(age=300, posterior_arch_involved=True), "surgical_referral"),  # oedema: not healed
        (undated(retropulsion=True), "incomplete"),
        (old(cause=Cause.TUMOUR_SUSPECTED), "needs_review"),  # age rules do not apply
        (level("C5", age=5), "needs_review"),
        (old("C5", 270), "not_eligible"),
        (old("S", 270), "not_eligible"),
        (at_e(60, posterior_wall_involved=True), "needs_review"),
        (at_e(60), "eligible"),
        (at_e(30), "eligible"),
        (level(age=5), "eligible_ideal"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_level_verdict_is_its_most_severe_finding(lv: object, expected: str) -> None:
    d = evaluate(referral(lv, pain=OPIOIDS))  # type: ignore[arg-type]
    assert d.levels[0].verdict == expected


# ---- The overall verdict: the first step that matches decides --------------------------------


def test_step_1_neuro_decides_first_even_with_an_infection() -> None:
    d = evaluate(referral(red_flags=flags(neurological_deficit=True, active_infection=True)))
    assert (d.verdict, d.urgent) == ("surgical_referral", True)


def test_step_1_neuro_beats_absent_pain_and_missing_imaging() -> None:
    d = evaluate(
        referral(
            pain=pain(0),
            imaging=ImagingFacts(ct=False, mri=False),
            red_flags=flags(neurological_deficit=True),
        )
    )
    assert (d.verdict, d.urgent) == ("surgical_referral", True)


def test_step_2_patient_contraindication_beats_a_surgical_level() -> None:
    d = evaluate(
        referral(level(posterior_arch_involved=True), red_flags=flags(cement_allergy=True))
    )
    assert (d.verdict, d.urgent) == ("not_eligible", False)


def test_step_3_one_surgical_level_beats_an_incomplete_one() -> None:
    d = evaluate(referral(undated("L1"), level("L2", posterior_arch_involved=True)))
    assert (d.verdict, d.urgent) == ("surgical_referral", False)


def test_step_4_missing_imaging_beats_a_patient_review() -> None:
    d = evaluate(referral(imaging=ImagingFacts(ct=True, mri=False), pain=pain(3)))
    assert d.verdict == "incomplete"


def test_step_4_an_undated_level_beats_a_level_to_review() -> None:
    d = evaluate(referral(undated("L1"), level("C6")))
    assert d.verdict == "incomplete"


def test_step_4_an_undated_level_beats_a_level_outside_every_window() -> None:
    d = evaluate(referral(undated("L1"), old("L2", 400)))
    assert d.verdict == "incomplete"


def test_step_5_patient_review_holds_back_an_ideal_level() -> None:
    d = evaluate(referral(patient=patient(pregnant=True)))
    assert level_verdict(d, "L1") == "eligible_ideal"
    assert d.verdict == "needs_review"


def test_step_5_one_level_to_review_holds_back_the_referral() -> None:
    d = evaluate(referral(level("L1"), level("L2", retropulsion=True)))
    assert d.verdict == "needs_review"


def test_step_5_a_level_to_review_beats_a_level_outside_every_window() -> None:
    d = evaluate(referral(old("L1", 400), at_e(60, "L2"), pain=FAILED))
    assert [ld.verdict for ld in d.levels] == ["not_eligible", "needs_review"]
    assert d.verdict == "needs_review"


def test_step_6_no_treatable_level_is_not_eligible() -> None:
    d = evaluate(referral(old("L1", 200), old("L2", 300), pain=OPIOIDS))
    assert d.verdict == "not_eligible"
    assert d.procedure.levels_to_treat == ()


def test_step_7_all_ideal_is_eligible_ideal() -> None:
    d = evaluate(referral(at_e(3, "L1"), at_e(21, "L2")))
    assert d.verdict == "eligible_ideal"


def test_step_7_one_level_past_the_ideal_window_makes_it_eligible() -> None:
    d = evaluate(referral(at_e(3, "L1"), at_e(40, "L2"), pain=FAILED))
    assert d.verdict == "eligible"


def test_a_level_outside_every_window_is_listed_and_not_treated() -> None:
    d = evaluate(referral(level("L1", age=10), old("L3", 270)))
    assert d.verdict == "eligible_ideal"
    assert [ld.level for ld in d.levels] == ["L1", "L3"]
    assert d.procedure.levels_to_treat == ("L1",)


def test_medication_changes_a_verdict_only_through_the_earliest_date() -> None:
    # A 10-day-old fracture: every drug together moves E by 8 days (prasugrel); still ideal.
    drugs = tuple(d for d in Antithrombotic if d not in ("fondaparinux", "other"))
    assert evaluate(referral(level(age=10), antithrombotics=drugs)).verdict == "eligible_ideal"
    # A 16-day-old one is past 21 days at E once clopidogrel is stopped for six days.
    d = evaluate(
        referral(level(age=16), pain=FAILED, antithrombotics=(Antithrombotic.CLOPIDOGREL,))
    )
    assert d.verdict == "eligible"


# ---- Order -----------------------------------------------------------------------------------


def test_findings_come_in_spine_order_then_patient_then_medication() -> None:
    d = evaluate(
        referral(
            level("S", age=5),
            level("L2"),
            level("T4"),
            pain=pain(None),
            antithrombotics=(Antithrombotic.CLOPIDOGREL, Antithrombotic.ASPIRIN),
        )
    )
    assert [ld.level for ld in d.levels] == ["T4", "L2", "S"]
    assert [f.level for f in d.findings] == ["T4", "T4", "L2", "L2", "S", "S"] + [None] * 4
    assert rule_ids(d, None) == ["G-PAIN-UNRECORDED", "B-ASPIRIN", "B-CLOPIDOGREL", "G-DAPT"]


def test_actions_are_deduplicated_in_finding_order() -> None:
    d = evaluate(
        referral(
            level("L1", posterior_arch_involved=True),
            level("L2", posterior_arch_involved=True, cause=Cause.TUMOUR_SUSPECTED),
            imaging=ImagingFacts(ct=False, mri=True),
            antithrombotics=(Antithrombotic.VKA,),
        )
    )
    assert d.actions == ("surgical_opinion", "oncology_pathway", "book_ct", "vka_stop_bridging")


def test_the_same_facts_always_give_the_same_decision() -> None:
    facts = referral(level("L1"), level("T12", age=40), pain=FAILED)
    assert evaluate(facts) == evaluate(facts)


def test_oedema_stated_without_an_mri_still_asks_for_the_mri() -> None:
    d = evaluate(referral(level(mri_oedema=True), imaging=ImagingFacts(ct=True, mri=False)))
    assert d.verdict == "incomplete"
    assert d.actions == ("book_mri",)
