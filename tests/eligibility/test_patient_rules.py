"""Per-patient rules, one test (or table) per rule id, both sides of every boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from eligibility.engine import (
    Allergy,
    AlternativeImaging,
    Anaesthesia,
    Antithrombotic,
    Cause,
    ImagingFacts,
    evaluate,
)
from tests.eligibility import (
    AS_OF,
    flags,
    labs,
    level,
    pain,
    patient,
    referral,
    rule_ids,
)

BONE_SCAN = AlternativeImaging.BONE_SCAN


@pytest.mark.parametrize(
    ("imaging", "actions"),
    [(ImagingFacts(ct=False, mri=True), ("book_ct",)),
     (ImagingFacts(ct=True, mri=False), ("book_mri",)),
     (ImagingFacts(ct=False, mri=False), ("book_ct", "book_mri")),
     (ImagingFacts(ct=True, mri=False, mri_contraindicated=True), ("book_bone_scan",)),
     (ImagingFacts(ct=False, mri=False, mri_contraindicated=True),
      ("book_ct", "book_bone_scan")),
     (ImagingFacts(ct=True, mri=False, alternative=BONE_SCAN), ("book_mri",)),
     (ImagingFacts(ct=True, mri=False, mri_contraindicated=True, alternative=BONE_SCAN), ()),
     (ImagingFacts(ct=True, mri=True), ())],
)  # fmt: skip
def test_B_IMAGING_incomplete_until_ct_and_mri_or_its_replacement(
    imaging: ImagingFacts, actions: tuple[str, ...]
) -> None:
    d = evaluate(referral(imaging=imaging))
    assert ("B-IMAGING" in rule_ids(d, None)) is bool(actions)
    assert tuple(a for a in d.actions if a.startswith("book_")) == actions
    if actions:
        assert d.verdict == "incomplete"


@pytest.mark.parametrize("alternative", list(AlternativeImaging))
def test_G_IMAGING_ALTERNATIVE_the_radiologist_judges_on_the_replacement(
    alternative: AlternativeImaging,
) -> None:
    imaging = ImagingFacts(ct=True, mri=False, mri_contraindicated=True, alternative=alternative)
    d = evaluate(referral(imaging=imaging))
    assert "G-IMAGING-ALTERNATIVE" in rule_ids(d, None)
    assert "B-IMAGING" not in rule_ids(d)
    assert d.verdict == "needs_review"


def test_G_IMAGING_ALTERNATIVE_not_when_the_mri_was_done_or_is_not_contraindicated() -> None:
    for imaging in (
        ImagingFacts(ct=True, mri=True, mri_contraindicated=True, alternative=BONE_SCAN),
        ImagingFacts(ct=True, mri=False, alternative=BONE_SCAN),
    ):
        assert "G-IMAGING-ALTERNATIVE" not in rule_ids(evaluate(referral(imaging=imaging)))


@pytest.mark.parametrize(
    ("rule_id", "flag"),
    [("G-INFECTION", "active_infection"), ("G-COAGULOPATHY", "uncorrectable_coagulopathy"),
     ("G-ALLERGY", "cement_allergy")],
)  # fmt: skip
def test_G_INFECTION_G_COAGULOPATHY_G_ALLERGY_are_absolute(rule_id: str, flag: str) -> None:
    d = evaluate(referral(red_flags=flags(**{flag: True})))
    assert rule_id in rule_ids(d, None)
    assert d.verdict == "not_eligible"


@pytest.mark.parametrize(
    ("nrs", "absent", "low", "verdict"),
    [(0, True, False, "not_eligible"), (1, False, True, "needs_review"),
     (4, False, True, "needs_review"), (5, False, False, "eligible_ideal"),
     (10, False, False, "eligible_ideal")],
)  # fmt: skip
def test_G_PAIN_ABSENT_and_G_PAIN_LOW_thresholds(
    nrs: int, absent: bool, low: bool, verdict: str
) -> None:
    d = evaluate(referral(pain=pain(nrs)))
    assert ("G-PAIN-ABSENT" in rule_ids(d)) is absent
    assert ("G-PAIN-LOW" in rule_ids(d)) is low
    assert d.verdict == verdict


def test_G_PAIN_UNRECORDED_is_information_only() -> None:
    d = evaluate(referral(pain=pain(None)))
    finding = next(f for f in d.findings if f.rule == "G-PAIN-UNRECORDED")
    assert finding.effect == "info"
    assert d.verdict == "eligible_ideal"
    assert "G-PAIN-UNRECORDED" not in rule_ids(evaluate(referral(pain=pain(0))))


def test_G_NEURO_urgent_surgical_opinion() -> None:
    d = evaluate(referral(red_flags=flags(neurological_deficit=True)))
    assert "G-NEURO" in rule_ids(d, None)
    assert (d.verdict, d.urgent) == ("surgical_referral", True)
    assert d.actions == ("urgent_surgical_opinion",)
    assert evaluate(referral()).urgent is False


@pytest.mark.parametrize(
    "changes",
    [{"red_flags": flags(neurological_deficit=True, active_infection=True)},
     {"red_flags": flags(neurological_deficit=True), "pain": pain(0)},
     {"red_flags": flags(neurological_deficit=True, cement_allergy=True)}],
)  # fmt: skip
def test_G_NEURO_decides_first_even_over_an_absolute_contraindication(changes: dict) -> None:
    d = evaluate(referral(**changes))
    assert (d.verdict, d.urgent) == ("surgical_referral", True)
    assert len(rule_ids(d, None)) == 2  # every rule is still evaluated and reported


def test_G_HIGH_ENERGY_needs_review() -> None:
    d = evaluate(referral(red_flags=flags(high_energy_trauma=True)))
    assert "G-HIGH-ENERGY" in rule_ids(d, None)
    assert d.verdict == "needs_review"


def _born(years: int, days: int = 0) -> date:
    """Born ``years`` years (and ``days`` more days) before AS_OF."""
    return AS_OF.replace(year=AS_OF.year - years) - timedelta(days=days)


@pytest.mark.parametrize(
    ("born", "applies"),
    [(_born(50, -1), True), (_born(50), False), (_born(49), True), (_born(80), False),
     (None, False)],
)  # fmt: skip
def test_G_YOUNG_under_50_look_for_another_cause(born: date | None, applies: bool) -> None:
    d = evaluate(referral(patient=patient(birth_date=born)))
    assert ("G-YOUNG" in rule_ids(d, None)) is applies
    assert d.verdict == ("needs_review" if applies else "eligible_ideal")


def test_G_YOUNG_not_when_every_level_is_a_suspected_tumour() -> None:
    young = patient(birth_date=_born(30))
    tumour = level(cause=Cause.TUMOUR_SUSPECTED)
    assert "G-YOUNG" not in rule_ids(evaluate(referral(tumour, patient=young)))
    assert "G-YOUNG" in rule_ids(evaluate(referral(tumour, level("L2"), patient=young)))


def test_G_PREGNANCY_needs_review() -> None:
    d = evaluate(referral(patient=patient(pregnant=True)))
    assert "G-PREGNANCY" in rule_ids(d, None)
    assert d.verdict == "needs_review"


@pytest.mark.parametrize(("count", "applies"), [(3, False), (4, True)])
def test_G_LEVELS_MAX_more_than_three_treatable_levels(count: int, applies: bool) -> None:
    levels = [level(name) for name in ("T11", "T12", "L1", "L2")[:count]]
    d = evaluate(referral(*levels, pain=pain(None)))
    assert ("G-LEVELS-MAX" in rule_ids(d, None)) is applies
    assert d.verdict == ("needs_review" if applies else "eligible_ideal")
    if applies:  # in the table's order among the patient findings
        assert rule_ids(d, None) == ["G-PAIN-UNRECORDED", "G-LEVELS-MAX"]


def test_G_LEVELS_MAX_counts_treatable_levels_only() -> None:
    levels = [level("T11"), level("T12"), level("L1"), level("L2", age=300, mri_oedema=None)]
    d = evaluate(referral(*levels))
    assert "G-LEVELS-MAX" not in rule_ids(d)
    assert d.procedure.levels_to_treat == ("T11", "T12", "L1")
    assert d.verdict == "eligible_ideal"


def test_G_PRONE_needs_review_and_an_anaesthesia_consultation() -> None:
    d = evaluate(referral(red_flags=flags(cannot_lie_prone=True)))
    assert "G-PRONE" in rule_ids(d, None)
    assert d.verdict == "needs_review"
    assert "anaesthesia_consultation" in d.actions
    assert [tuple(p) for p in d.preparation] == [("anaesthesia_consultation", -2)]
    assert d.earliest_procedure_date == AS_OF + timedelta(days=2)


def test_G_PRONE_and_B_ANAESTHESIA_ask_for_one_consultation() -> None:
    d = evaluate(referral(red_flags=flags(cannot_lie_prone=True), anaesthesia=Anaesthesia.GENERAL))
    assert {"G-PRONE", "B-ANAESTHESIA"} <= set(rule_ids(d, None))
    assert d.actions.count("anaesthesia_consultation") == 1
    assert len(d.preparation) == 1


@pytest.mark.parametrize(
    ("platelets", "applies"), [(None, False), (10, True), (49, True), (49.9, True), (50, False),
                               (51, False), (300, False)],
)  # fmt: skip
def test_G_PLATELETS_below_50(platelets: float | None, applies: bool) -> None:
    d = evaluate(referral(labs=labs(platelets=platelets)))
    assert ("G-PLATELETS" in rule_ids(d, None)) is applies
    assert d.verdict == ("needs_review" if applies else "eligible_ideal")


@pytest.mark.parametrize(
    ("inr", "drugs", "applies"),
    [(None, (), False), (1.0, (), False), (1.5, (), False), (1.51, (), True), (2.5, (), True),
     (2.5, (Antithrombotic.VKA,), False), (1.5, (Antithrombotic.VKA,), False)],
)  # fmt: skip
def test_G_INR_above_1_5_without_a_vka(inr: float | None, drugs: tuple, applies: bool) -> None:
    d = evaluate(referral(labs=labs(inr=inr), antithrombotics=drugs))
    assert ("G-INR" in rule_ids(d, None)) is applies
    assert (d.verdict == "needs_review") is applies


@pytest.mark.parametrize(
    ("drug", "clearance", "applies", "last_dose_day"),
    [("dabigatran", 29.5, True, -5), ("dabigatran", 30, False, -5),
     ("dabigatran", 49, False, -5), ("dabigatran", 50, False, -4),
     ("doac", 29, True, -5), ("doac", 30, False, -5),
     ("apixaban", 14.9, True, -4), ("apixaban", 15, False, -4),
     ("rivaroxaban", 14, True, -4), ("edoxaban", 29, False, -4), ("edoxaban", 30, False, -3),
     ("apixaban", None, False, -4), ("dabigatran", None, False, -5)],
)  # fmt: skip
def test_G_RENAL_severe_renal_failure_on_a_doac(
    drug: str, clearance: float | None, applies: bool, last_dose_day: int
) -> None:
    d = evaluate(
        referral(labs=labs(creatinine_clearance=clearance), antithrombotics=(Antithrombotic(drug),))
    )
    assert ("G-RENAL" in rule_ids(d, None)) is applies
    assert d.verdict == ("needs_review" if applies else "eligible_ideal")
    # The plan keeps the longest hold of the drug's rule; the radiologist sets it.
    assert [(e.drug, e.last_dose_day) for e in d.medication_plan] == [(drug, last_dose_day)]


def test_G_RENAL_needs_a_doac() -> None:
    d = evaluate(referral(labs=labs(creatinine_clearance=10)))
    assert "G-RENAL" not in rule_ids(d)


@pytest.mark.parametrize("drug", [Antithrombotic.FONDAPARINUX, Antithrombotic.OTHER])
def test_G_ANTITHROMBOTIC_OTHER_the_radiologist_sets_the_hold(drug: Antithrombotic) -> None:
    d = evaluate(referral(antithrombotics=(drug,)))
    assert "G-ANTITHROMBOTIC-OTHER" in rule_ids(d, None)
    assert d.verdict == "needs_review"
    assert d.medication_plan == ()
    assert d.earliest_procedure_date == AS_OF + timedelta(days=1)


@pytest.mark.parametrize("allergies", [(Allergy.IODINE,), tuple(Allergy)])
def test_G_ALLERGY_OTHER_precautions_without_effect_on_the_verdict(allergies: tuple) -> None:
    d = evaluate(referral(allergies=allergies))
    assert "G-ALLERGY-OTHER" in rule_ids(d, None)
    assert d.actions == ("allergy_precautions",)
    assert d.verdict == "eligible_ideal"
    assert "G-ALLERGY-OTHER" not in rule_ids(evaluate(referral()))


@pytest.mark.parametrize(
    ("born", "treated", "cause", "applies"),
    [(_born(85), None, Cause.TRAUMA, True), (_born(85), False, Cause.OSTEOPOROTIC, True),
     (_born(85), True, Cause.TRAUMA, False), (None, None, Cause.UNKNOWN, True),
     (_born(50), None, Cause.TRAUMA, True), (_born(50, -1), None, Cause.TRAUMA, False),
     (_born(85), None, Cause.TUMOUR_SUSPECTED, False)],
)  # fmt: skip
def test_G_FLS_a_vertebral_fracture_calls_for_osteoporosis_care(
    born: date | None, treated: bool | None, cause: Cause, applies: bool
) -> None:
    d = evaluate(
        referral(
            level(cause=cause), patient=patient(birth_date=born, osteoporosis_treatment=treated)
        )
    )
    assert ("G-FLS" in rule_ids(d, None)) is applies
    assert ("osteoporosis_care" in d.actions) is applies
    finding = next((f for f in d.findings if f.rule == "G-FLS"), None)
    assert finding is None or finding.effect == "action"
