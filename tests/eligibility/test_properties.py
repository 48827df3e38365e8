"""Properties over generated valid facts: what must hold for every referral, not just examples."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.engine import (
    LEVELS,
    RULES_BY_ID,
    VERDICTS,
    Allergy,
    AlternativeImaging,
    Anaesthesia,
    Antithrombotic,
    Cause,
    EngineSettings,
    ImagingFacts,
    LabFacts,
    LevelFacts,
    PainFacts,
    PatientFacts,
    RedFlags,
    ReferralFacts,
    SacralPattern,
    Sex,
    decision_to_dict,
    evaluate,
    facts_from_dict,
    facts_to_dict,
)
from eligibility.engine.evaluate import SEVERITY, _Compiled, _evaluate

ELIGIBLE = {"eligible", "eligible_ideal"}
MAX_AGE_DAYS = 400  # past the 183-day window, so every age rule is reached
NO_RULE_DRUGS = {Antithrombotic.FONDAPARINUX, Antithrombotic.OTHER}
maybe_bool = st.none() | st.booleans()


@st.composite
def one_level(draw: st.DrawFn, name: str, as_of: date, arch: bool | None = None) -> LevelFacts:
    age = draw(st.none() | st.integers(0, MAX_AGE_DAYS))
    pattern = draw(st.none() | st.sampled_from(SacralPattern)) if name == "S" else None
    return LevelFacts(
        name,
        None if age is None else as_of - timedelta(days=age),
        draw(st.sampled_from(Cause)),
        draw(st.booleans()) if arch is None else arch,
        draw(st.booleans()),
        pattern,
        draw(maybe_bool),
        draw(st.booleans()),
        draw(maybe_bool),
    )


@st.composite
def levels(draw: st.DrawFn, as_of: date) -> tuple[LevelFacts, ...]:
    names = draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=6, unique=True))
    return tuple(draw(one_level(name, as_of)) for name in names)


def lab(low: float, high: float) -> st.SearchStrategy[float | None]:
    return st.none() | st.integers(math.ceil(low), int(high)) | st.floats(low, high)


@st.composite
def referrals(
    draw: st.DrawFn,
    with_levels: Callable[[date], st.SearchStrategy[tuple[LevelFacts, ...]]] | None = None,
) -> ReferralFacts:
    as_of = draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    born = draw(st.none() | st.integers(MAX_AGE_DAYS + 1, 120 * 365))
    alternative = draw(st.none() | st.sampled_from(AlternativeImaging))
    return ReferralFacts(
        as_of=as_of,
        levels=draw((with_levels or levels)(as_of)),
        patient=PatientFacts(
            None if born is None else as_of - timedelta(days=born),
            draw(st.none() | st.sampled_from(Sex)),
            draw(st.booleans()),
            draw(maybe_bool),
        ),
        imaging=ImagingFacts(
            draw(st.booleans()), draw(st.booleans()), draw(st.booleans()), alternative
        ),
        pain=PainFacts(
            draw(st.none() | st.integers(0, 10)), draw(st.booleans()), draw(st.booleans())
        ),
        red_flags=RedFlags(*(draw(st.booleans()) for _ in range(6))),
        antithrombotics=tuple(draw(st.lists(st.sampled_from(Antithrombotic), unique=True))),
        anaesthesia=draw(st.sampled_from(Anaesthesia)),
        labs=LabFacts(draw(lab(0, 2000)), draw(lab(0.5, 15)), draw(lab(0, 250))),
        allergies=tuple(draw(st.lists(st.sampled_from(Allergy), unique=True))),
        vka_bridging=draw(maybe_bool),
    )


@st.composite
def engine_settings(draw: st.DrawFn) -> EngineSettings:
    ideal = draw(st.integers(1, 60))
    recent = ideal + draw(st.integers(0, 60))
    days = st.integers(0, 14)
    return EngineSettings(
        ideal_window_days=ideal,
        recent_window_days=recent,
        latest_window_days=recent + draw(st.integers(1, 400)),
        max_levels=draw(st.integers(1, 6)),
        **{name: draw(days) for name in (
            "vka_hold_days", "clopidogrel_hold_days", "prasugrel_hold_days",
            "ticagrelor_hold_days", "doac_hold_days", "lmwh_hold_days",
            "anaesthesia_consultation_days", "xaban_hold_days", "xaban_renal_hold_days",
            "dabigatran_hold_days", "dabigatran_renal_hold_days", "doac_resume_day")},
        max_inr=draw(st.floats(1.0, 3.0)),
        min_platelets=draw(st.integers(20, 100)),
    )  # fmt: skip


def rank(verdict: str) -> int:
    return SEVERITY.index(verdict)  # type: ignore[arg-type]


@given(referrals())
def test_evaluation_gives_a_coherent_decision(facts: ReferralFacts) -> None:
    d = evaluate(facts)
    assert d.verdict in VERDICTS
    assert [ld.level for ld in d.levels] == sorted(
        (lv.level for lv in facts.levels), key=LEVELS.index
    )
    for ld in d.levels:
        own = [RULES_BY_ID[f.rule].effect for f in d.findings if f.level == ld.level]
        assert ld.verdict == max((e for e in own if e in VERDICTS), key=SEVERITY.index)
        if ld.fracture_age_days is not None:
            delay = (d.earliest_procedure_date - facts.as_of).days
            assert ld.age_at_earliest_days == ld.fracture_age_days + delay
    assert all(f.rule in RULES_BY_ID for f in d.findings)
    assert all(f.effect == RULES_BY_ID[f.rule].effect for f in d.findings)
    assert len(set(d.actions)) == len(d.actions)
    treatable = tuple(ld.level for ld in d.levels if ld.verdict in ELIGIBLE)
    assert d.procedure.levels_to_treat == treatable
    assert (d.target_before is None) == (not treatable)
    deadlines = [
        day
        for ld in d.levels
        if ld.verdict in ELIGIBLE
        for day in (ld.ideal_until, ld.latest_until)
        if day is not None and day >= d.earliest_procedure_date
    ]
    assert d.target_before == min(deadlines, default=None)
    assert d.target_before is None or d.target_before >= d.earliest_procedure_date
    assert d.earliest_procedure_date >= facts.as_of + timedelta(days=1)
    assert d.urgent == ("G-NEURO" in {f.rule for f in d.findings})
    if d.verdict in ELIGIBLE:
        assert treatable


def test_gating_is_in_effect_so_the_next_property_compares_two_different_paths() -> None:
    gated, every_rule = _Compiled(EngineSettings()), _Compiled(EngineSettings(), gated=False)
    assert "B-VKA" not in {entry[3][1].id for entry in gated.ungated}
    assert "B-VKA" in {entry[3][1].id for entry in every_rule.ungated}
    kind = ("TL", True, False)  # a dated thoracolumbar level, no tumour
    assert len(gated.level_rules[kind]) < len(every_rule.level_rules[kind])


@given(referrals())
def test_gating_rules_by_level_kind_and_drug_never_changes_a_decision(
    facts: ReferralFacts,
) -> None:
    gated, _ = _evaluate(facts, _Compiled(EngineSettings()), False)
    every_rule, _ = _evaluate(facts, _Compiled(EngineSettings(), gated=False), False)
    assert gated == every_rule


@given(referrals(), st.data())
def test_posterior_arch_involvement_is_never_eligible(
    facts: ReferralFacts, data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(facts.levels) - 1))
    levels = list(facts.levels)
    levels[i] = replace(levels[i], posterior_arch_involved=True)
    assert evaluate(replace(facts, levels=tuple(levels))).verdict not in ELIGIBLE


@given(referrals(), st.sampled_from(["ct", "mri"]))
def test_without_ct_or_mri_never_eligible(facts: ReferralFacts, exam: str) -> None:
    imaging = replace(facts.imaging, **{exam: False})
    assert evaluate(replace(facts, imaging=imaging)).verdict not in ELIGIBLE


@given(referrals())
def test_adding_G_NEURO_is_urgent_surgery_and_changes_no_other_finding(
    facts: ReferralFacts,
) -> None:
    without = evaluate(
        replace(facts, red_flags=replace(facts.red_flags, neurological_deficit=False))
    )
    with_ = evaluate(replace(facts, red_flags=replace(facts.red_flags, neurological_deficit=True)))
    assert (with_.verdict, with_.urgent, without.urgent) == ("surgical_referral", True, False)
    assert [f for f in with_.findings if f.rule != "G-NEURO"] == list(without.findings)
    assert set(with_.actions) == {*without.actions, "urgent_surgical_opinion"}
    same = ("levels", "medication_plan", "preparation", "procedure", "earliest_procedure_date",
            "target_before", "holds")  # fmt: skip
    assert [getattr(with_, k) for k in same] == [getattr(without, k) for k in same]


@given(
    referrals(),
    st.lists(st.sampled_from([d for d in Antithrombotic if d not in NO_RULE_DRUGS]), unique=True),
    st.sampled_from(Anaesthesia),
)
def test_medication_and_anaesthesia_change_a_verdict_only_through_the_earliest_date(
    facts: ReferralFacts, drugs: list[Antithrombotic], anaesthesia: Anaesthesia
) -> None:
    base = replace(facts, antithrombotics=(), anaesthesia=Anaesthesia.LOCAL, labs=LabFacts())
    other = replace(base, antithrombotics=tuple(drugs), anaesthesia=anaesthesia)
    before, after = evaluate(base), evaluate(other)
    assert after.earliest_procedure_date >= before.earliest_procedure_date
    if after.earliest_procedure_date == before.earliest_procedure_date:
        assert (after.verdict, after.levels, after.procedure) == (
            before.verdict,
            before.levels,
            before.procedure,
        )
    # A later date never makes a level better, except B-ARCH-HEALED on an old arch fracture.
    for lv, was, now in zip(sorted(base.levels, key=lambda x: LEVELS.index(x.level)),
                            before.levels, after.levels, strict=True):  # fmt: skip
        if not lv.posterior_arch_involved:
            assert rank(now.verdict) >= rank(was.verdict)


def one_level_without_arch(as_of: date) -> st.SearchStrategy[tuple[LevelFacts]]:
    names = st.sampled_from(LEVELS)
    return names.flatmap(lambda name: st.tuples(one_level(name, as_of, arch=False)))


@given(referrals(with_levels=one_level_without_arch), st.integers(1, 400))
def test_a_later_as_of_never_makes_one_level_better(facts: ReferralFacts, later: int) -> None:
    early = evaluate(facts)
    late = evaluate(replace(facts, as_of=facts.as_of + timedelta(days=later)))
    assert rank(late.levels[0].verdict) >= rank(early.levels[0].verdict)
    patient_verdicts = [
        f for d in (early, late) for f in d.findings if f.level is None and f.effect in VERDICTS
    ]
    if not patient_verdicts:  # no patient-level rule: the level's verdict is the referral's
        assert rank(late.verdict) >= rank(early.verdict)


@given(referrals())
def test_the_continue_clopidogrel_option_is_offered_only_when_it_helps(
    facts: ReferralFacts,
) -> None:
    d = evaluate(facts)
    for option in d.options:
        assert option.id == "continue_clopidogrel"
        assert Antithrombotic.CLOPIDOGREL in facts.antithrombotics
        assert "clopidogrel" not in {e.drug for e in option.medication_plan}
        assert option.earliest_procedure_date < d.earliest_procedure_date
        earlier = option.target_before is not None and (
            d.target_before is None or option.target_before < d.target_before
        )
        assert rank(option.verdict) < rank(d.verdict) or earlier


@given(referrals())
def test_facts_round_trip_through_json(facts: ReferralFacts) -> None:
    data = json.loads(json.dumps(facts_to_dict(facts)))
    assert facts_from_dict(data, today=facts.as_of) == facts


@given(referrals(), st.sampled_from(["fr", "en"]))
def test_every_decision_serialises(facts: ReferralFacts, lang: str) -> None:
    out = decision_to_dict(evaluate(facts), lang=lang)
    assert json.loads(json.dumps(out)) == out


@settings(max_examples=50)
@given(referrals(), engine_settings())
def test_any_valid_settings_evaluate(facts: ReferralFacts, engine: EngineSettings) -> None:
    d = evaluate(facts, engine)
    assert d.verdict in VERDICTS
    largest = max((h.days for h in d.holds), default=0)
    assert d.earliest_procedure_date == facts.as_of + timedelta(days=max(1, largest))
