"""How findings combine: a level's verdict, the overall verdict's ordered steps, and the order
of findings and actions."""

from __future__ import annotations

import pytest

from eligibility.engine import Antithrombotic, Cause, ImagingFacts, PatientFacts, evaluate
from tests.eligibility import flags, level, level_verdict, pain, referral, rule_ids

FAILED = pain(analgesics_failed=True)


# ---- A level's verdict: surgical_referral > incomplete > not_eligible > needs_review > ... ----


@pytest.mark.parametrize(
    ("lv", "expected"),
    [
        (level(age=270, mri_oedema=False), "not_eligible"),  # the spec's own example
        (level(age=None, posterior_arch_involved=True), "surgical_referral"),
        (level(age=300, posterior_arch_involved=True), "surgical_referral"),
        (level(age=None, retropulsion=True), "incomplete"),
        (level(age=300, cause=Cause.TUMOUR_SUSPECTED), "not_eligible"),
        (level("C5", age=5), "needs_review"),
        (level("C5", age=270), "not_eligible"),
        (level("S", age=270), "not_eligible"),
        (level(age=60, posterior_wall_involved=True), "needs_review"),
        (level(age=60), "eligible"),
        (level(age=5), "eligible_ideal"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_level_verdict_is_its_most_severe_finding(lv: object, expected: str) -> None:
    d = evaluate(referral(lv, pain=FAILED))  # type: ignore[arg-type]
    assert d.levels[0].verdict == expected


# ---- The overall verdict: the first step that matches decides --------------------------------


def test_step_1_patient_contraindication_beats_a_surgical_level() -> None:
    d = evaluate(
        referral(level(posterior_arch_involved=True), red_flags=flags(cement_allergy=True))
    )
    assert d.verdict == "not_eligible"


def test_step_1_absent_pain_beats_a_neurological_deficit() -> None:
    d = evaluate(referral(pain=pain(0), red_flags=flags(neurological_deficit=True)))
    assert d.verdict == "not_eligible"


def test_step_2_neuro_beats_missing_imaging() -> None:
    d = evaluate(
        referral(
            imaging=ImagingFacts(ct=False, mri=False), red_flags=flags(neurological_deficit=True)
        )
    )
    assert d.verdict == "surgical_referral"


def test_step_2_one_surgical_level_beats_an_incomplete_one() -> None:
    d = evaluate(referral(level("L1", age=None), level("L2", posterior_arch_involved=True)))
    assert d.verdict == "surgical_referral"


def test_step_3_missing_imaging_beats_a_patient_review() -> None:
    d = evaluate(referral(imaging=ImagingFacts(ct=True, mri=False), pain=pain(3)))
    assert d.verdict == "incomplete"


def test_step_3_an_undated_level_beats_a_level_to_review() -> None:
    d = evaluate(referral(level("L1", age=None), level("C6")))
    assert d.verdict == "incomplete"


def test_step_3_an_undated_level_beats_a_level_outside_every_window() -> None:
    d = evaluate(referral(level("L1", age=None), level("L2", age=400)))
    assert d.verdict == "incomplete"


def test_step_4_patient_review_holds_back_an_ideal_level() -> None:
    d = evaluate(referral(patient=PatientFacts(pregnant=True)))
    assert level_verdict(d, "L1") == "eligible_ideal"
    assert d.verdict == "needs_review"


def test_step_4_one_level_to_review_holds_back_the_referral() -> None:
    d = evaluate(referral(level("L1"), level("L2", retropulsion=True)))
    assert d.verdict == "needs_review"


def test_step_4_a_level_to_review_beats_a_level_outside_every_window() -> None:
    d = evaluate(referral(level("L1", age=400), level("L2", age=60), pain=pain(8)))
    assert [ld.verdict for ld in d.levels] == ["not_eligible", "needs_review"]
    assert d.verdict == "needs_review"


def test_step_5_no_treatable_level_is_not_eligible() -> None:
    d = evaluate(referral(level("L1", age=200), level("L2", age=300), pain=FAILED))
    assert d.verdict == "not_eligible"
    assert d.procedure.levels_to_treat == ()


def test_step_6_all_ideal_is_eligible_ideal() -> None:
    d = evaluate(referral(level("L1", age=3), level("L2", age=21)))
    assert d.verdict == "eligible_ideal"


def test_step_6_one_level_past_the_ideal_window_makes_it_eligible() -> None:
    d = evaluate(referral(level("L1", age=3), level("L2", age=40), pain=FAILED))
    assert d.verdict == "eligible"


def test_a_level_outside_every_window_is_listed_and_not_treated() -> None:
    d = evaluate(referral(level("L1", age=10), level("L3", age=270)))
    assert d.verdict == "eligible_ideal"
    assert [ld.level for ld in d.levels] == ["L1", "L3"]
    assert d.procedure.levels_to_treat == ("L1",)


def test_medication_never_changes_the_verdict() -> None:
    every_drug = tuple(Antithrombotic)
    assert evaluate(referral(antithrombotics=every_drug)).verdict == "eligible_ideal"


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
