"""The continue-clopidogrel option: when the clopidogrel hold alone sets the earliest date, the
same facts are evaluated with clopidogrel continued, and listed when that helps."""

from __future__ import annotations

from datetime import timedelta

from eligibility.engine import Anaesthesia, Antithrombotic, decision_to_dict, evaluate
from tests.eligibility import AS_OF, level, pain, patient, referral

A = Antithrombotic
FAILED = pain(analgesics_failed=True)


def test_continuing_clopidogrel_keeps_a_17_day_old_fracture_in_its_ideal_window() -> None:
    d = evaluate(referral(level(age=17), pain=FAILED, antithrombotics=(A.CLOPIDOGREL,)))
    assert (d.verdict, d.earliest_procedure_date) == ("eligible", AS_OF + timedelta(days=6))
    (option,) = d.options
    assert option.id == "continue_clopidogrel"
    assert (option.verdict, option.earliest_procedure_date) == (
        "eligible_ideal",
        AS_OF + timedelta(days=1),
    )
    assert option.target_before == d.levels[0].ideal_until == AS_OF + timedelta(days=4)
    assert option.medication_plan == ()
    out = decision_to_dict(d, lang="en")["options"]
    assert out == [
        {"id": "continue_clopidogrel", "verdict": "eligible_ideal",
         "verdict_label": "Probable indication — ideal window", "earliest_procedure_date":
         "2026-11-29", "target_before": "2026-12-02", "medication_plan": []}
    ]  # fmt: skip


def test_an_earlier_target_alone_is_enough_for_the_option() -> None:
    d = evaluate(
        referral(level(age=17), pain=FAILED, patient=patient(pregnant=True),
                 antithrombotics=(A.CLOPIDOGREL,))
    )  # fmt: skip
    (option,) = d.options
    assert option.verdict == d.verdict == "needs_review"
    assert option.target_before is not None and d.target_before is not None
    assert option.target_before < d.target_before


def test_the_option_keeps_the_other_drugs_in_its_plan() -> None:
    d = evaluate(referral(level(age=17), pain=FAILED, antithrombotics=(A.CLOPIDOGREL, A.LMWH)))
    (option,) = d.options
    assert [e.drug for e in option.medication_plan] == ["lmwh"]
    assert [e.drug for e in d.medication_plan] == ["clopidogrel", "lmwh"]


def test_no_option_when_continuing_would_change_nothing() -> None:
    d = evaluate(referral(level(age=5), antithrombotics=(A.CLOPIDOGREL,)))
    assert d.options == ()  # ideal either way, same target


def test_no_option_when_another_hold_is_as_long_or_longer() -> None:
    for other in (A.TICAGRELOR, A.PRASUGREL, A.VKA):
        d = evaluate(referral(level(age=17), pain=FAILED, antithrombotics=(A.CLOPIDOGREL, other)))
        assert d.options == (), other


def test_the_option_under_anaesthesia_still_waits_for_the_consultation() -> None:
    d = evaluate(
        referral(level(age=17), pain=FAILED, antithrombotics=(A.CLOPIDOGREL,),
                 anaesthesia=Anaesthesia.GENERAL)
    )  # fmt: skip
    (option,) = d.options
    assert option.earliest_procedure_date == AS_OF + timedelta(days=2)
    assert option.verdict == "eligible_ideal"
