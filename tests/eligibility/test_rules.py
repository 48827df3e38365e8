"""The rule table against docs/clinical-rules.md: every id, in order, with texts and a test.

The rules themselves are tested in test_level_rules.py, test_patient_rules.py and
test_medication_rules.py, one test (or table) per rule id, both sides of every boundary.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.eligibility
from eligibility.engine import (
    ACTION_LABELS,
    DRUG_LABELS,
    RULES,
    Antithrombotic,
    EngineSettings,
    evaluate,
    rules_for,
)
from tests.eligibility import at_e, referral

# The ids of the spec, in its order; the rules page is generated from RULES in this order.
SPEC_RULE_IDS = (
    "B-LEVEL-SPINE", "B-LEVEL-CERVICAL", "B-SACRUM-H", "B-SACRUM-LATE", "B-SACRUM-OTHER",
    "B-ARCH", "B-ARCH-HEALED", "B-AGE-UNKNOWN", "B-AGE-UNKNOWN-OEDEMA", "B-AGE-IDEAL",
    "B-IDEAL-MISSED", "B-AGE-WINDOW", "B-AGE-NO-FAILURE", "B-SEMI-RECENT",
    "B-SEMI-RECENT-NO-OPIOID", "G-WINDOW-CLOSES", "B-AGE-OVER-OEDEMA", "B-AGE-OVER",
    "B-CAUSE-TUMOUR", "G-WALL", "G-RETROPULSION", "G-NO-OEDEMA", "G-OEDEMA-UNSTATED",
    "G-NO-CONCORDANCE",
    "B-IMAGING", "G-IMAGING-ALTERNATIVE", "G-INFECTION", "G-COAGULOPATHY", "G-ALLERGY",
    "G-PAIN-ABSENT", "G-PAIN-LOW", "G-PAIN-UNRECORDED", "G-NEURO", "G-HIGH-ENERGY", "G-YOUNG",
    "G-PREGNANCY", "G-LEVELS-MAX", "G-PRONE", "G-PLATELETS", "G-INR", "G-RENAL",
    "G-ANTITHROMBOTIC-OTHER", "G-ALLERGY-OTHER", "G-FLS",
    "B-VKA", "B-ASPIRIN", "B-CLOPIDOGREL", "G-PRASUGREL", "G-TICAGRELOR", "G-DOAC-XABAN",
    "G-DOAC-DABIGATRAN", "G-DOAC", "G-LMWH", "G-DAPT", "B-ANAESTHESIA",
)  # fmt: skip


def _test_names() -> list[str]:
    names = []
    for module in pkgutil.iter_modules(tests.eligibility.__path__):
        if module.name.startswith("test_"):
            loaded = importlib.import_module(f"tests.eligibility.{module.name}")
            names += [n for n in vars(loaded) if n.startswith("test_")]
    return names


def test_rule_table_holds_every_spec_rule_in_the_spec_order() -> None:
    assert tuple(r.id for r in RULES) == SPEC_RULE_IDS


def test_every_rule_id_has_a_test_named_after_it() -> None:
    # A table-driven test may cover several rules: its name lists their ids.
    names = _test_names()
    missing = [
        rid for rid in SPEC_RULE_IDS if not any(f"_{rid.replace('-', '_')}_" in n for n in names)
    ]
    assert missing == []


def test_every_rule_has_both_languages_a_source_and_labelled_actions() -> None:
    for r in RULES:
        assert r.condition_fr and r.condition_en and r.message_fr and r.message_en, r.id
        assert "{" not in r.message_fr + r.message_en + r.condition_fr + r.condition_en, r.id
        assert r.message_fr != r.message_en, r.id
        assert all(a in ACTION_LABELS for a in r.actions), r.id
        if r.id.startswith("B-"):  # brochure rules quote the brochure, in French
            assert "Brochure" in r.source and "«" in r.source, r.id


def test_every_drug_has_a_label_in_both_languages() -> None:
    for drug in (*Antithrombotic, "lmwh_bridging"):
        assert DRUG_LABELS[drug]["fr"] and DRUG_LABELS[drug]["en"], drug
    assert DRUG_LABELS["doac"]["fr"] == "AOD, nom à préciser"


# ---- Settings --------------------------------------------------------------------------------


def test_settings_move_the_windows_and_the_texts() -> None:
    settings = EngineSettings(ideal_window_days=28)
    d = evaluate(referral(at_e(28)), settings)
    assert d.verdict == "eligible_ideal"
    ideal = next(f for f in d.findings if f.rule == "B-AGE-IDEAL")
    assert "28 jours" in ideal.message("fr") and "28 days" in ideal.message("en")


def test_settings_move_the_hold_days() -> None:
    settings = EngineSettings(clopidogrel_hold_days=7)
    d = evaluate(referral(antithrombotics=(Antithrombotic.CLOPIDOGREL,)), settings)
    assert dict(d.holds) == {"clopidogrel_stop": 7}
    assert d.medication_plan[0].last_dose_day == -7
    assert "J−7" in next(f for f in d.findings if f.rule == "B-CLOPIDOGREL").message("fr")


def test_settings_move_the_inr_threshold_in_both_languages() -> None:
    rules = {r.id: r for r in rules_for(EngineSettings(max_inr=1.8))}
    assert "1,8" in rules["G-INR"].message_fr and "1.8" in rules["G-INR"].message_en


@pytest.mark.parametrize(
    "changes",
    [{"ideal_window_days": 0}, {"ideal_window_days": 200}, {"max_levels": 0},
     {"doac_hold_days": -1}, {"vka_hold_days": True}, {"recent_window_days": 10},
     {"recent_window_days": 200}, {"max_inr": "1.5"}, {"min_platelets": 50.5}],
)  # fmt: skip
def test_settings_refuse_numbers_that_would_leave_ages_without_a_rule(changes: dict) -> None:
    with pytest.raises(ValueError):
        EngineSettings(**changes)
