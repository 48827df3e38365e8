"""One test (or table) per rule id of docs/clinical-rules.md, both sides of every boundary."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest

from eligibility.engine import (
    ACTION_LABELS,
    RULES,
    Anaesthesia,
    Antithrombotic,
    Cause,
    EngineSettings,
    ImagingFacts,
    PatientFacts,
    SacralPattern,
    evaluate,
)
from tests.eligibility import AS_OF, flags, level, level_verdict, pain, referral, rule_ids

# The ids of the spec, in its order; the rules page is generated from RULES in this order.
SPEC_RULE_IDS = (
    "B-LEVEL-SPINE", "B-LEVEL-CERVICAL", "B-SACRUM-H", "B-SACRUM-OTHER", "B-ARCH",
    "B-AGE-UNKNOWN", "B-AGE-IDEAL", "B-AGE-WINDOW", "B-SEMI-RECENT", "B-AGE-NO-FAILURE",
    "B-AGE-OVER", "B-CAUSE-TUMOUR", "G-WALL", "G-RETROPULSION", "G-NO-OEDEMA",
    "B-IMAGING", "G-INFECTION", "G-COAGULOPATHY", "G-ALLERGY", "G-PAIN-ABSENT", "G-PAIN-LOW",
    "G-PAIN-UNRECORDED", "G-NEURO", "G-HIGH-ENERGY", "G-PREGNANCY", "G-LEVELS-MAX",
    "B-VKA", "B-ASPIRIN", "B-CLOPIDOGREL", "G-PRASUGREL", "G-TICAGRELOR", "G-DOAC", "G-LMWH",
    "G-DAPT", "B-ANAESTHESIA",
)  # fmt: skip
FAILED = pain(analgesics_failed=True)


def test_rule_table_holds_every_spec_rule_in_the_spec_order() -> None:
    assert tuple(r.id for r in RULES) == SPEC_RULE_IDS


def test_every_rule_id_has_a_test_named_after_it() -> None:
    # A table-driven test may cover several rules: its name lists their ids.
    names = [n for n in vars(sys.modules[__name__]) if n.startswith("test_")]
    missing = [
        rid for rid in SPEC_RULE_IDS if not any(f"_{rid.replace('-', '_')}_" in n for n in names)
    ]
    assert missing == []


def test_every_rule_has_both_languages_a_source_and_labelled_actions() -> None:
    for r in RULES:
        assert r.condition_fr and r.condition_en and r.message_fr and r.message_en, r.id
        assert "{" not in r.message_fr + r.message_en + r.condition_fr + r.condition_en, r.id
        assert all(a in ACTION_LABELS for a in r.actions), r.id
        if r.id.startswith("B-"):  # brochure rules quote the brochure, in French
            assert "Brochure" in r.source and "«" in r.source, r.id


# ---- Per level -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["T1", "T7", "T12", "L1", "L5"])
def test_B_LEVEL_SPINE_thoracic_and_lumbar_levels_are_in_scope(name: str) -> None:
    d = evaluate(referral(level(name)))
    assert "B-LEVEL-SPINE" in rule_ids(d, name)
    assert d.verdict == "eligible_ideal"


@pytest.mark.parametrize("name", ["C1", "C7", "S"])
def test_B_LEVEL_SPINE_not_cited_outside_the_thoracolumbar_spine(name: str) -> None:
    assert "B-LEVEL-SPINE" not in rule_ids(evaluate(referral(level(name))))


@pytest.mark.parametrize("name", ["C1", "C4", "C7"])
def test_B_LEVEL_CERVICAL_needs_review(name: str) -> None:
    d = evaluate(referral(level(name)))
    assert "B-LEVEL-CERVICAL" in rule_ids(d, name)
    assert level_verdict(d, name) == "needs_review"
    assert d.verdict == "needs_review"


def test_B_SACRUM_H_is_in_scope_and_the_age_rules_apply() -> None:
    recent = evaluate(referral(level("S", 10, sacral_pattern=SacralPattern.H)))
    assert rule_ids(recent, "S") == ["B-SACRUM-H", "B-AGE-IDEAL"]
    assert recent.verdict == "eligible_ideal"
    old = evaluate(referral(level("S", 200, sacral_pattern=SacralPattern.H)))
    assert old.verdict == "not_eligible"


@pytest.mark.parametrize(
    "pattern", [SacralPattern.U, SacralPattern.UNILATERAL, SacralPattern.OTHER, None]
)
def test_B_SACRUM_OTHER_needs_review_for_any_other_or_no_pattern(
    pattern: SacralPattern | None,
) -> None:
    d = evaluate(referral(level("S", 10, sacral_pattern=pattern)))
    assert "B-SACRUM-OTHER" in rule_ids(d, "S")
    assert "B-SACRUM-H" not in rule_ids(d, "S")
    assert d.verdict == "needs_review"


def test_B_ARCH_sends_to_the_surgeon() -> None:
    d = evaluate(referral(level(posterior_arch_involved=True)))
    assert "B-ARCH" in rule_ids(d, "L1")
    assert level_verdict(d, "L1") == "surgical_referral"
    assert d.verdict == "surgical_referral"
    assert "surgical_opinion" in d.actions


def test_B_AGE_UNKNOWN_makes_the_file_incomplete() -> None:
    d = evaluate(referral(level(age=None)))
    assert rule_ids(d, "L1") == ["B-LEVEL-SPINE", "B-AGE-UNKNOWN"]
    assert d.verdict == "incomplete"
    assert d.actions == ("date_fracture",)
    assert d.levels[0].fracture_age_days is None


@pytest.mark.parametrize(("age", "applies"), [(0, True), (21, True), (22, False)])
def test_B_AGE_IDEAL_up_to_21_days_without_treatment_failure(age: int, applies: bool) -> None:
    d = evaluate(referral(level(age=age)))  # no treatment failure recorded
    assert ("B-AGE-IDEAL" in rule_ids(d)) is applies
    assert (d.verdict == "eligible_ideal") is applies


@pytest.mark.parametrize(("age", "applies"), [(21, False), (22, True), (183, True), (184, False)])
def test_B_AGE_WINDOW_22_to_183_days_after_analgesics_failed(age: int, applies: bool) -> None:
    d = evaluate(referral(level(age=age), pain=FAILED))
    assert ("B-AGE-WINDOW" in rule_ids(d)) is applies
    assert (d.verdict == "eligible") is applies


def test_B_AGE_WINDOW_also_after_opioids_failed() -> None:
    d = evaluate(referral(level(age=60), pain=pain(opioids_failed=True)))
    assert "B-AGE-WINDOW" in rule_ids(d)
    assert d.verdict == "eligible"


@pytest.mark.parametrize(("age", "applies"), [(21, False), (22, True), (183, True), (184, False)])
def test_B_SEMI_RECENT_cited_with_B_AGE_WINDOW_when_opioids_failed(age: int, applies: bool) -> None:
    d = evaluate(referral(level(age=age), pain=pain(opioids_failed=True)))
    assert ("B-SEMI-RECENT" in rule_ids(d)) is applies
    if applies:
        assert rule_ids(d, "L1")[-2:] == ["B-AGE-WINDOW", "B-SEMI-RECENT"]


def test_B_SEMI_RECENT_not_cited_when_only_analgesics_failed() -> None:
    assert "B-SEMI-RECENT" not in rule_ids(evaluate(referral(level(age=60), pain=FAILED)))


@pytest.mark.parametrize(("age", "applies"), [(21, False), (22, True), (183, True), (184, False)])
def test_B_AGE_NO_FAILURE_needs_review(age: int, applies: bool) -> None:
    d = evaluate(referral(level(age=age)))
    assert ("B-AGE-NO-FAILURE" in rule_ids(d)) is applies
    if applies:
        assert d.verdict == "needs_review"


@pytest.mark.parametrize(("age", "applies"), [(183, False), (184, True), (400, True)])
def test_B_AGE_OVER_is_not_eligible(age: int, applies: bool) -> None:
    d = evaluate(referral(level(age=age), pain=FAILED))
    assert ("B-AGE-OVER" in rule_ids(d)) is applies
    assert (d.verdict == "not_eligible") is applies


def test_B_CAUSE_TUMOUR_needs_review_and_the_oncology_pathway() -> None:
    d = evaluate(referral(level(cause=Cause.TUMOUR_SUSPECTED)))
    assert "B-CAUSE-TUMOUR" in rule_ids(d, "L1")
    assert d.verdict == "needs_review"
    assert "oncology_pathway" in d.actions


@pytest.mark.parametrize("cause", [Cause.TRAUMA, Cause.OSTEOPOROTIC, Cause.UNKNOWN])
def test_B_CAUSE_TUMOUR_not_cited_for_other_causes(cause: Cause) -> None:
    d = evaluate(referral(level(cause=cause)))
    assert "B-CAUSE-TUMOUR" not in rule_ids(d)
    assert d.verdict == "eligible_ideal"


def test_G_WALL_needs_review_when_the_arch_is_intact() -> None:
    d = evaluate(referral(level(posterior_wall_involved=True)))
    assert "G-WALL" in rule_ids(d, "L1")
    assert d.verdict == "needs_review"


def test_G_WALL_yields_to_B_ARCH_when_the_arch_is_involved() -> None:
    d = evaluate(referral(level(posterior_wall_involved=True, posterior_arch_involved=True)))
    assert "G-WALL" not in rule_ids(d)
    assert d.verdict == "surgical_referral"


def test_G_RETROPULSION_needs_review() -> None:
    d = evaluate(referral(level(retropulsion=True)))
    assert "G-RETROPULSION" in rule_ids(d, "L1")
    assert d.verdict == "needs_review"


@pytest.mark.parametrize(("oedema", "applies"), [(False, True), (None, False), (True, False)])
def test_G_NO_OEDEMA_only_when_the_mri_says_no_oedema(oedema: bool | None, applies: bool) -> None:
    d = evaluate(referral(level(mri_oedema=oedema)))
    assert ("G-NO-OEDEMA" in rule_ids(d)) is applies
    assert d.verdict == ("needs_review" if applies else "eligible_ideal")


# ---- Per patient -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ct", "mri", "actions"),
    [(False, True, ("book_ct",)), (True, False, ("book_mri",)),
     (False, False, ("book_ct", "book_mri")), (True, True, ())],
)  # fmt: skip
def test_B_IMAGING_incomplete_until_ct_and_mri(ct: bool, mri: bool, actions: tuple) -> None:
    d = evaluate(referral(imaging=ImagingFacts(ct=ct, mri=mri)))
    assert ("B-IMAGING" in rule_ids(d, None)) is bool(actions)
    assert d.actions == actions
    assert d.verdict == ("incomplete" if actions else "eligible_ideal")


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
    assert d.verdict == "surgical_referral"
    assert d.actions == ("urgent_surgical_opinion",)


def test_G_HIGH_ENERGY_needs_review() -> None:
    d = evaluate(referral(red_flags=flags(high_energy_trauma=True)))
    assert "G-HIGH-ENERGY" in rule_ids(d, None)
    assert d.verdict == "needs_review"


def test_G_PREGNANCY_needs_review() -> None:
    d = evaluate(referral(patient=PatientFacts(pregnant=True)))
    assert "G-PREGNANCY" in rule_ids(d, None)
    assert d.verdict == "needs_review"


@pytest.mark.parametrize(("count", "applies"), [(3, False), (4, True)])
def test_G_LEVELS_MAX_more_than_three_treatable_levels(count: int, applies: bool) -> None:
    levels = [level(name) for name in ("T11", "T12", "L1", "L2")[:count]]
    d = evaluate(referral(*levels))
    assert ("G-LEVELS-MAX" in rule_ids(d, None)) is applies
    assert d.verdict == ("needs_review" if applies else "eligible_ideal")


def test_G_LEVELS_MAX_counts_treatable_levels_only() -> None:
    levels = [level("T11"), level("T12"), level("L1"), level("L2", age=300)]
    d = evaluate(referral(*levels))
    assert "G-LEVELS-MAX" not in rule_ids(d)
    assert d.procedure.levels_to_treat == ("T11", "T12", "L1")
    assert d.verdict == "eligible_ideal"


# ---- Medication and anaesthesia --------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "drug", "action", "days"),
    [pytest.param(*row, id=row[0]) for row in [
        ("B-VKA", Antithrombotic.VKA, "vka_stop_bridging", 5),
        ("B-ASPIRIN", Antithrombotic.ASPIRIN, "aspirin_continue", 0),
        ("B-CLOPIDOGREL", Antithrombotic.CLOPIDOGREL, "clopidogrel_stop", 5),
        ("G-PRASUGREL", Antithrombotic.PRASUGREL, "prasugrel_stop", 7),
        ("G-TICAGRELOR", Antithrombotic.TICAGRELOR, "ticagrelor_stop", 5),
        ("G-DOAC", Antithrombotic.DOAC, "doac_hold", 2),
        ("G-LMWH", Antithrombotic.LMWH, "lmwh_hold", 1),
    ]],
)  # fmt: skip
def test_B_VKA_B_ASPIRIN_B_CLOPIDOGREL_G_PRASUGREL_G_TICAGRELOR_G_DOAC_G_LMWH_holds(
    rule_id: str, drug: Antithrombotic, action: str, days: int
) -> None:
    d = evaluate(referral(antithrombotics=(drug,)))
    finding = next(f for f in d.findings if f.rule == rule_id)
    assert (finding.level, finding.effect, finding.actions) == (None, "action", (action,))
    assert d.actions == (action,)
    assert dict(d.holds) == ({action: days} if days else {})
    assert d.verdict == "eligible_ideal"  # medication never changes the verdict


def test_B_VKA_message_names_bridging_and_the_days() -> None:
    d = evaluate(referral(antithrombotics=(Antithrombotic.VKA,)))
    message = next(f for f in d.findings if f.rule == "B-VKA").message("fr")
    assert "relais héparine" in message and "5 jours" in message


def test_G_DOAC_message_warns_about_dabigatran_without_moving_the_date() -> None:
    d = evaluate(referral(antithrombotics=(Antithrombotic.DOAC,)))
    finding = next(f for f in d.findings if f.rule == "G-DOAC")
    assert "dabigatran" in finding.message("fr") and "4 jours" in finding.message("fr")
    assert d.earliest_procedure_date == AS_OF + timedelta(days=2)  # not 4


@pytest.mark.parametrize(
    ("drugs", "applies"),
    [(("aspirin", "clopidogrel"), True), (("clopidogrel", "ticagrelor"), True),
     (("aspirin", "prasugrel", "vka"), True), (("aspirin",), False), (("aspirin", "vka"), False),
     (("clopidogrel", "doac", "lmwh"), False)],
)  # fmt: skip
def test_G_DAPT_two_antiplatelets_ask_the_cardiologist(drugs: tuple, applies: bool) -> None:
    d = evaluate(referral(antithrombotics=tuple(Antithrombotic(x) for x in drugs)))
    assert ("G-DAPT" in rule_ids(d, None)) is applies
    assert ("cardiology_advice" in d.actions) is applies
    assert d.verdict == "eligible_ideal"


@pytest.mark.parametrize(
    ("anaesthesia", "applies"),
    [(Anaesthesia.LOCAL, False), (Anaesthesia.SEDATION, True), (Anaesthesia.GENERAL, True)],
)
def test_B_ANAESTHESIA_consultation_two_days_before(
    anaesthesia: Anaesthesia, applies: bool
) -> None:
    d = evaluate(referral(anaesthesia=anaesthesia))
    assert ("B-ANAESTHESIA" in rule_ids(d, None)) is applies
    assert dict(d.holds) == ({"anaesthesia_consultation": 2} if applies else {})
    assert d.verdict == "eligible_ideal"


# ---- Settings --------------------------------------------------------------------------------


def test_settings_move_the_windows_and_the_texts() -> None:
    settings = EngineSettings(ideal_window_days=28)
    d = evaluate(referral(level(age=25)), settings)
    assert d.verdict == "eligible_ideal"
    ideal = next(f for f in d.findings if f.rule == "B-AGE-IDEAL")
    assert "28 jours" in ideal.message("fr") and "28 days" in ideal.message("en")


def test_settings_move_the_hold_days() -> None:
    settings = EngineSettings(clopidogrel_hold_days=7)
    d = evaluate(referral(antithrombotics=(Antithrombotic.CLOPIDOGREL,)), settings)
    assert dict(d.holds) == {"clopidogrel_stop": 7}
    assert "7 jours" in next(f for f in d.findings if f.rule == "B-CLOPIDOGREL").message("fr")


@pytest.mark.parametrize(
    "changes",
    [{"ideal_window_days": 0}, {"ideal_window_days": 200}, {"max_levels": 0},
     {"doac_hold_days": -1}, {"vka_hold_days": True}],
)  # fmt: skip
def test_settings_refuse_numbers_that_would_leave_ages_without_a_rule(changes: dict) -> None:
    with pytest.raises(ValueError):
        EngineSettings(**changes)
