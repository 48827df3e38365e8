"""Properties over generated valid facts: what must hold for every referral, not just examples."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.engine import (
    LEVELS,
    RULES_BY_ID,
    VERDICTS,
    Anaesthesia,
    Antithrombotic,
    Cause,
    EngineSettings,
    ImagingFacts,
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
from eligibility.engine.evaluate import SEVERITY

ELIGIBLE = {"eligible", "eligible_ideal"}
MAX_AGE_DAYS = 400  # past the 183-day window, so every age rule is reached


@st.composite
def levels(draw: st.DrawFn, as_of: date) -> tuple[LevelFacts, ...]:
    names = draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=6, unique=True))
    result = []
    for name in names:
        age = draw(st.none() | st.integers(0, MAX_AGE_DAYS))
        pattern = draw(st.none() | st.sampled_from(SacralPattern)) if name == "S" else None
        result.append(
            LevelFacts(
                name,
                None if age is None else as_of - timedelta(days=age),
                draw(st.sampled_from(Cause)),
                draw(st.booleans()),
                draw(st.booleans()),
                pattern,
                draw(st.none() | st.booleans()),
                draw(st.booleans()),
            )
        )
    return tuple(result)


@st.composite
def referrals(draw: st.DrawFn) -> ReferralFacts:
    as_of = draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    born = draw(st.none() | st.integers(MAX_AGE_DAYS + 1, 120 * 365))
    return ReferralFacts(
        as_of=as_of,
        levels=draw(levels(as_of)),
        patient=PatientFacts(
            None if born is None else as_of - timedelta(days=born),
            draw(st.none() | st.sampled_from(Sex)),
            draw(st.booleans()),
        ),
        imaging=ImagingFacts(draw(st.booleans()), draw(st.booleans())),
        pain=PainFacts(
            draw(st.none() | st.integers(0, 10)), draw(st.booleans()), draw(st.booleans())
        ),
        red_flags=RedFlags(*(draw(st.booleans()) for _ in range(5))),
        antithrombotics=tuple(draw(st.lists(st.sampled_from(Antithrombotic), unique=True))),
        anaesthesia=draw(st.sampled_from(Anaesthesia)),
    )


engine_settings = st.builds(
    lambda ideal, extra, holds: EngineSettings(ideal, ideal + extra, *holds),
    st.integers(1, 60),
    st.integers(1, 400),
    st.tuples(st.integers(1, 6), *(st.integers(0, 14) for _ in range(9))),
)


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
    assert all(f.rule in RULES_BY_ID for f in d.findings)
    assert all(f.effect == RULES_BY_ID[f.rule].effect for f in d.findings)
    assert len(set(d.actions)) == len(d.actions)
    treatable = tuple(ld.level for ld in d.levels if ld.verdict in ELIGIBLE)
    assert d.procedure.levels_to_treat == treatable
    assert (d.target_before is None) == (not treatable)
    assert d.earliest_procedure_date >= facts.as_of + timedelta(days=1)
    if d.verdict in ELIGIBLE:
        assert treatable


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


@given(
    referrals(),
    st.lists(st.sampled_from(Antithrombotic), unique=True),
    st.sampled_from(Anaesthesia),
)
def test_medication_and_anaesthesia_never_change_the_verdict(
    facts: ReferralFacts, drugs: list[Antithrombotic], anaesthesia: Anaesthesia
) -> None:
    other = replace(facts, antithrombotics=tuple(drugs), anaesthesia=anaesthesia)
    before, after = evaluate(facts), evaluate(other)
    assert (after.verdict, after.levels, after.procedure) == (
        before.verdict,
        before.levels,
        before.procedure,
    )


@given(referrals())
def test_facts_round_trip_through_json(facts: ReferralFacts) -> None:
    data = json.loads(json.dumps(facts_to_dict(facts)))
    assert facts_from_dict(data, today=facts.as_of) == facts


@given(referrals(), st.sampled_from(["fr", "en"]))
def test_every_decision_serialises(facts: ReferralFacts, lang: str) -> None:
    out = decision_to_dict(evaluate(facts), lang=lang)
    assert json.loads(json.dumps(out)) == out


@settings(max_examples=50)
@given(referrals(), engine_settings)
def test_any_valid_settings_evaluate(facts: ReferralFacts, engine: EngineSettings) -> None:
    d = evaluate(facts, engine)
    assert d.verdict in VERDICTS
    largest = max((h.days for h in d.holds), default=0)
    assert d.earliest_procedure_date == facts.as_of + timedelta(days=max(1, largest))
