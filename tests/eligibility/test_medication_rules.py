"""Medication and anaesthesia rules: actions, the medication plan (last dose J−n, resume J+n,
optional) and the earliest procedure date they give."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eligibility.engine import Anaesthesia, Antithrombotic, PlanEntry, evaluate
from tests.eligibility import AS_OF, labs, referral, rule_ids

A = Antithrombotic


def _plan(d: object) -> list[tuple]:
    return [(e.drug, e.last_dose_day, e.last_dose_time, e.resume_day, e.optional)
            for e in d.medication_plan]  # type: ignore[attr-defined]  # fmt: skip


@pytest.mark.parametrize(
    ("rule_id", "drug", "actions", "plan", "delay"),
    [pytest.param(*row, id=row[0]) for row in [
        ("B-VKA", A.VKA, ("vka_stop_bridging",), [("vka", -6, None, 1, False)], 6),
        ("B-ASPIRIN", A.ASPIRIN, ("aspirin_continue",), [], 1),
        ("B-CLOPIDOGREL", A.CLOPIDOGREL, ("clopidogrel_stop",),
         [("clopidogrel", -6, None, 1, True)], 6),
        ("G-PRASUGREL", A.PRASUGREL, ("prasugrel_stop",), [("prasugrel", -8, None, 1, False)], 8),
        ("G-TICAGRELOR", A.TICAGRELOR, ("ticagrelor_stop",),
         [("ticagrelor", -6, None, 1, False)], 6),
        ("G-DOAC", A.DOAC, ("doac_hold", "doac_name_needed"), [("doac", -5, None, 2, False)], 5),
        ("G-LMWH", A.LMWH, ("lmwh_hold",), [("lmwh", -1, "morning", 1, False)], 1),
    ]],
)  # fmt: skip
def test_B_VKA_B_ASPIRIN_B_CLOPIDOGREL_G_PRASUGREL_G_TICAGRELOR_G_DOAC_G_LMWH_plans(
    rule_id: str, drug: Antithrombotic, actions: tuple, plan: list, delay: int
) -> None:
    d = evaluate(referral(antithrombotics=(drug,)))
    finding = next(f for f in d.findings if f.rule == rule_id)
    assert (finding.level, finding.effect, finding.actions) == (None, "action", actions)
    assert d.actions == actions
    assert _plan(d) == plan
    assert all(e.rule == rule_id for e in d.medication_plan)
    assert d.earliest_procedure_date == AS_OF + timedelta(days=delay)
    assert d.verdict == "eligible_ideal"


def test_B_VKA_entry_has_the_inr_check_and_resumes_in_the_evening() -> None:
    d = evaluate(referral(antithrombotics=(A.VKA,)))
    assert d.medication_plan == (PlanEntry("vka", "B-VKA", -6, None, 1, "evening", False, -1, 1.5),)
    message = next(f for f in d.findings if f.rule == "B-VKA").message("fr")
    assert "relais héparine" in message and "J−6" in message and "1,5" in message


@pytest.mark.parametrize(("bridging", "entries"), [(True, 2), (False, 1), (None, 1)])
def test_B_VKA_with_heparin_bridging_adds_the_lmwh_entry(
    bridging: bool | None, entries: int
) -> None:
    d = evaluate(referral(antithrombotics=(A.VKA,), vka_bridging=bridging))
    assert len(d.medication_plan) == entries
    if bridging:
        assert d.medication_plan[1] == PlanEntry(
            "lmwh_bridging", "B-VKA", -1, "morning", 1, None, False
        )
    assert d.earliest_procedure_date == AS_OF + timedelta(days=6)


def test_B_CLOPIDOGREL_last_dose_J_minus_6_means_no_dose_from_J_minus_5() -> None:
    d = evaluate(referral(antithrombotics=(A.CLOPIDOGREL,)))
    last_dose = d.earliest_procedure_date + timedelta(days=d.medication_plan[0].last_dose_day)
    assert last_dose == AS_OF  # the last dose may be taken on as_of at the latest


@pytest.mark.parametrize(
    ("drug", "clearance", "last_dose_day", "actions"),
    [(A.APIXABAN, 30, -3, ("doac_hold",)), (A.APIXABAN, 29.5, -4, ("doac_hold",)),
     (A.RIVAROXABAN, 80, -3, ("doac_hold",)), (A.EDOXABAN, 15, -4, ("doac_hold",)),
     (A.APIXABAN, None, -4, ("doac_hold", "creatinine_clearance_needed"))],
)  # fmt: skip
def test_G_DOAC_XABAN_hold_by_creatinine_clearance(
    drug: Antithrombotic, clearance: float | None, last_dose_day: int, actions: tuple
) -> None:
    d = evaluate(referral(antithrombotics=(drug,), labs=labs(creatinine_clearance=clearance)))
    assert "G-DOAC-XABAN" in rule_ids(d, None)
    assert d.actions == actions
    assert _plan(d) == [(drug.value, last_dose_day, None, 2, False)]
    assert d.earliest_procedure_date == AS_OF + timedelta(days=-last_dose_day)


def test_G_DOAC_XABAN_one_entry_per_drug() -> None:
    d = evaluate(referral(antithrombotics=(A.EDOXABAN, A.APIXABAN)))
    assert [e.drug for e in d.medication_plan] == ["apixaban", "edoxaban"]
    assert rule_ids(d, None).count("G-DOAC-XABAN") == 1


@pytest.mark.parametrize(
    ("clearance", "last_dose_day", "actions"),
    [(50, -4, ("doac_hold",)), (49.9, -5, ("doac_hold",)), (30, -5, ("doac_hold",)),
     (None, -5, ("doac_hold", "creatinine_clearance_needed"))],
)  # fmt: skip
def test_G_DOAC_DABIGATRAN_hold_by_creatinine_clearance(
    clearance: float | None, last_dose_day: int, actions: tuple
) -> None:
    d = evaluate(
        referral(antithrombotics=(A.DABIGATRAN,), labs=labs(creatinine_clearance=clearance))
    )
    assert "G-DOAC-DABIGATRAN" in rule_ids(d, None)
    assert d.actions == actions
    assert _plan(d) == [("dabigatran", last_dose_day, None, 2, False)]


def test_G_DOAC_an_unnamed_doac_takes_the_longest_hold_and_asks_for_the_name() -> None:
    d = evaluate(referral(antithrombotics=(A.DOAC,), labs=labs(creatinine_clearance=90)))
    assert d.medication_plan[0].last_dose_day == -5
    assert "doac_name_needed" in d.actions
    message = next(f for f in d.findings if f.rule == "G-DOAC").message("fr")
    assert "AOD, nom à préciser" in message


@pytest.mark.parametrize(
    ("drugs", "applies"),
    [(("aspirin", "clopidogrel"), True), (("clopidogrel", "ticagrelor"), True),
     (("aspirin", "prasugrel", "vka"), True), (("aspirin",), False), (("aspirin", "vka"), False),
     (("clopidogrel", "doac", "lmwh"), False)],
)  # fmt: skip
def test_G_DAPT_two_antiplatelets_ask_the_cardiologist(drugs: tuple, applies: bool) -> None:
    d = evaluate(referral(antithrombotics=tuple(A(x) for x in drugs)))
    assert ("G-DAPT" in rule_ids(d, None)) is applies
    assert ("cardiology_advice" in d.actions) is applies
    assert d.verdict in ("eligible_ideal", "eligible")


def test_G_DAPT_makes_every_antiplatelet_stop_optional_and_still_counted_for_E() -> None:
    d = evaluate(referral(antithrombotics=(A.TICAGRELOR, A.PRASUGREL)))
    assert _plan(d) == [("prasugrel", -8, None, 1, True), ("ticagrelor", -6, None, 1, True)]
    assert d.earliest_procedure_date == AS_OF + timedelta(days=8)
    alone = evaluate(referral(antithrombotics=(A.PRASUGREL, A.VKA)))
    assert [e.optional for e in alone.medication_plan] == [False, False]


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
    assert [tuple(p) for p in d.preparation] == (
        [("anaesthesia_consultation", -2)] if applies else []
    )
    assert d.earliest_procedure_date == AS_OF + timedelta(days=2 if applies else 1)
    assert d.verdict == "eligible_ideal"
