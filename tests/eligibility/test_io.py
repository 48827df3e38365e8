"""The JSON interchange format: strict validation naming every fault, defaults, round trips."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from typing import Any

import pytest

from eligibility.engine import (
    DRUG_LABELS,
    Anaesthesia,
    Cause,
    FactsError,
    decision_to_dict,
    evaluate,
    facts_from_dict,
    facts_to_dict,
)
from tests.eligibility.test_derived import SPEC_EXAMPLE

TODAY = date(2026, 11, 28)


def errors_for(data: Any, today: date = TODAY) -> dict[str, list[str]]:
    with pytest.raises(FactsError) as caught:
        facts_from_dict(data, today=today)
    return caught.value.errors


def example(**changes: Any) -> dict[str, Any]:
    """The spec example with dotted-path changes, e.g. ``{"pain.nrs": 3}``."""
    data = copy.deepcopy(SPEC_EXAMPLE)
    for path, value in changes.items():
        *parents, key = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(key) if key.isdigit() else key] = value
    return data


# ---- Defaults --------------------------------------------------------------------------------


def test_only_the_levels_are_required_and_the_rest_takes_the_spec_defaults() -> None:
    facts = facts_from_dict({"levels": [{"level": "L1"}]}, today=TODAY)
    assert facts.as_of == TODAY
    lv = facts.levels[0]
    assert (lv.fracture_date, lv.cause, lv.sacral_pattern, lv.mri_oedema) == (
        None,
        Cause.UNKNOWN,
        None,
        None,
    )
    assert not (lv.posterior_arch_involved or lv.posterior_wall_involved or lv.retropulsion)
    assert (facts.imaging.ct, facts.imaging.mri, facts.pain.nrs) == (False, False, None)
    assert facts.antithrombotics == ()
    assert facts.anaesthesia == Anaesthesia.LOCAL
    assert facts.patient.birth_date is None and facts.patient.pregnant is False


def test_the_keys_added_in_2027_1_are_optional_with_the_spec_defaults() -> None:
    facts = facts_from_dict({"levels": [{"level": "L1"}]}, today=TODAY)
    assert facts.levels[0].tender_on_percussion is None
    assert facts.patient.osteoporosis_treatment is None
    assert (facts.imaging.mri_contraindicated, facts.imaging.alternative) == (False, None)
    assert facts.red_flags.cannot_lie_prone is False
    assert (facts.labs.platelets, facts.labs.inr, facts.labs.creatinine_clearance) == (None,) * 3
    assert (facts.allergies, facts.vka_bridging) == ((), None)


def test_a_2026_1_input_stays_valid_and_a_plain_doac_asks_for_its_name() -> None:
    stored = {
        "as_of": "2026-11-28",
        "patient": {"birth_date": "1941-03-02", "sex": "F", "pregnant": False},
        "levels": [{"level": "L1", "fracture_date": "2026-11-25", "cause": "trauma",
                    "posterior_arch_involved": False, "posterior_wall_involved": False,
                    "sacral_pattern": None, "mri_oedema": True, "retropulsion": False}],
        "imaging": {"ct": True, "mri": True},
        "pain": {"nrs": 8, "analgesics_failed": True, "opioids_failed": False},
        "red_flags": {"active_infection": False, "uncorrectable_coagulopathy": False,
                      "cement_allergy": False, "neurological_deficit": False,
                      "high_energy_trauma": False},
        "antithrombotics": ["doac"],
        "anaesthesia": "local",
    }  # fmt: skip
    out = decision_to_dict(evaluate(facts_from_dict(stored, today=TODAY)), lang="fr")
    assert out["ruleset"] == "2027.1"
    assert "doac_name_needed" in out["actions"]
    assert out["medication_plan"][0]["drug"] == "doac"
    assert DRUG_LABELS["doac"]["fr"] == "AOD, nom à préciser"
    doac = next(f for f in out["findings"] if f["rule"] == "G-DOAC")
    assert "AOD, nom à préciser" in doac["message"]
    assert out["earliest_procedure_date"] == "2026-12-03"  # last dose J−5


@pytest.mark.parametrize(
    ("path", "value"),
    [("labs.platelets", 0), ("labs.platelets", 2000), ("labs.platelets", 49.5),
     ("labs.inr", 0.5), ("labs.inr", 15), ("labs.creatinine_clearance", 0),
     ("labs.creatinine_clearance", 250), ("labs.creatinine_clearance", 29.5)],
)  # fmt: skip
def test_lab_values_at_the_ends_of_their_ranges_are_valid(path: str, value: float) -> None:
    facts = facts_from_dict(example(**{path: value}), today=TODAY)
    assert getattr(facts.labs, path.split(".")[1]) == value


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [("labs.platelets", -1, "must be between 0 and 2000 G/L, not -1"),
     ("labs.platelets", 2001, "must be between 0 and 2000 G/L, not 2001"),
     ("labs.inr", 0.4, "must be between 0.5 and 15, not 0.4"),
     ("labs.inr", 15.1, "must be between 0.5 and 15, not 15.1"),
     ("labs.creatinine_clearance", 251, "must be between 0 and 250 mL/min, not 251"),
     ("labs.creatinine_clearance", float("nan"), "must be between 0 and 250 mL/min, not nan"),
     ("labs.inr", True, "must be a number, not bool"),
     ("labs.platelets", "120", "must be a number, not str")],
)  # fmt: skip
def test_lab_values_out_of_range_or_of_the_wrong_type(
    path: str, value: object, message: str
) -> None:
    assert errors_for(example(**{path: value})) == {path: [message]}


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [("imaging.alternative", "xray", "imaging.alternative"),
     ("allergies", ["iodine", "penicillin"], "allergies[1]"),
     ("antithrombotics", ["apixaban", "warfarin"], "antithrombotics[1]")],
)  # fmt: skip
def test_unknown_values_of_the_keys_added_in_2027_1(path: str, value: object, where: str) -> None:
    errors = errors_for(example(**{path: value}))
    assert list(errors) == [where]
    assert "unknown value" in errors[where][0]


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [("levels.0.tender_on_percussion", "yes", "levels[0].tender_on_percussion"),
     ("patient.osteoporosis_treatment", 1, "patient.osteoporosis_treatment"),
     ("imaging.mri_contraindicated", None, "imaging.mri_contraindicated"),
     ("red_flags.cannot_lie_prone", "no", "red_flags.cannot_lie_prone"),
     ("vka_bridging", "true", "vka_bridging"), ("labs", [], "labs"),
     ("labs.potassium", 4.1, "labs.potassium"), ("allergies", "iodine", "allergies")],
)  # fmt: skip
def test_wrong_types_and_keys_of_the_keys_added_in_2027_1(
    path: str, value: object, where: str
) -> None:
    assert list(errors_for(example(**{path: value}))) == [where]


def test_a_repeated_allergy_is_reported() -> None:
    assert errors_for(example(allergies=["latex", "latex"])) == {"allergies[1]": ["repeats latex"]}


def test_nullable_fields_accept_null() -> None:
    nulls = ("levels.0.fracture_date", "levels.0.mri_oedema", "levels.0.sacral_pattern",
             "levels.0.tender_on_percussion", "pain.nrs", "patient.birth_date", "patient.sex",
             "patient.osteoporosis_treatment", "imaging.alternative", "labs.platelets",
             "labs.inr", "labs.creatinine_clearance", "vka_bridging")  # fmt: skip
    data = example(**dict.fromkeys(nulls))
    facts = facts_from_dict(data, today=TODAY)
    assert facts.levels[0].fracture_date is None and facts.pain.nrs is None


# ---- Invalid input: every fault, by path -----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (example(extra=1), "extra"),
        (example(**{"patient.age": 85}), "patient.age"),
        (example(**{"levels.0.height_loss": 0.3}), "levels[0].height_loss"),
        (example(**{"imaging.xray": True}), "imaging.xray"),
        (example(**{"pain.vas": 7}), "pain.vas"),
        (example(**{"red_flags.fever": True}), "red_flags.fever"),
    ],
)
def test_unknown_keys_at_any_depth(data: dict[str, Any], path: str) -> None:
    assert errors_for(data) == {path: ["unknown key"]}


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        ("pain.nrs", True, "pain.nrs"),  # bool is not int
        ("as_of", None, "as_of"),  # absent means today; null is a broken client
        ("pain.nrs", "8", "pain.nrs"),
        ("pain.nrs", 8.0, "pain.nrs"),
        ("imaging.ct", 1, "imaging.ct"),
        ("imaging.mri", "yes", "imaging.mri"),
        ("imaging.mri", None, "imaging.mri"),
        ("red_flags.active_infection", 0, "red_flags.active_infection"),
        ("levels.0.mri_oedema", "true", "levels[0].mri_oedema"),
        ("levels.0.level", 1, "levels[0].level"),
        ("levels.0.cause", None, "levels[0].cause"),
        ("patient", ["F"], "patient"),
        ("pain", None, "pain"),
        ("levels", {"level": "L1"}, "levels"),
        ("antithrombotics", "aspirin", "antithrombotics"),
        ("antithrombotics", [["aspirin"]], "antithrombotics[0]"),
        ("anaesthesia", None, "anaesthesia"),
        ("patient.pregnant", "no", "patient.pregnant"),
    ],
)
def test_wrong_types(path: str, value: object, where: str) -> None:
    assert list(errors_for(example(**{path: value}))) == [where]


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "2026-13-01", "28/11/2026", "20261115", "2026-11-15T10:00", "", 20261115],
)
def test_unparseable_or_impossible_dates(value: object) -> None:
    assert list(errors_for(example(**{"levels.0.fracture_date": value}))) == [
        "levels[0].fracture_date"
    ]


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"as_of": "2026-11-29"}, "as_of", "is after today (2026-11-28)"),
        ({"levels.0.fracture_date": "2026-11-29", "as_of": "2026-11-28"},
         "levels[0].fracture_date", "is after today (2026-11-28)"),
        ({"levels.0.fracture_date": "2026-11-20", "as_of": "2026-11-16"},
         "levels[0].fracture_date", "is after as_of (2026-11-16)"),
        ({"patient.birth_date": "2027-01-01"}, "patient.birth_date", "is after today (2026-11-28)"),
        ({"patient.birth_date": "2026-11-20", "as_of": "2026-11-16",
          "levels.0.fracture_date": None}, "patient.birth_date", "is after as_of (2026-11-16)"),
        ({"patient.birth_date": "1041-03-02"}, "patient.birth_date", "is more than 130 years ago"),
        ({"patient.birth_date": "2026-11-16"}, "levels[0].fracture_date",
         "is before the patient's birth date"),
    ],
)  # fmt: skip
def test_dates_in_the_wrong_order(changes: dict[str, Any], path: str, message: str) -> None:
    assert errors_for(example(**changes)) == {path: [message]}


def test_fracture_date_on_as_of_and_today_is_valid() -> None:
    facts = facts_from_dict(example(**{"levels.0.fracture_date": "2026-11-28"}), today=TODAY)
    assert evaluate(facts).levels[0].fracture_age_days == 0


def test_levels_must_be_present_non_empty_named_and_unique() -> None:
    no_levels = example()
    del no_levels["levels"]
    assert errors_for(no_levels) == {"levels": ["is required"]}
    assert errors_for(example(levels=[])) == {"levels": ["must name at least one level"]}
    assert errors_for(example(levels=[{"fracture_date": "2026-11-15"}])) == {
        "levels[0].level": ["is required"]
    }
    twice = example(levels=[{"level": "L1"}, {"level": "L2"}, {"level": "L1"}])
    assert errors_for(twice) == {"levels[2].level": ["repeats L1 (also levels[0])"]}


@pytest.mark.parametrize(("nrs", "valid"), [(-1, False), (0, True), (10, True), (11, False)])
def test_nrs_is_0_to_10(nrs: int, valid: bool) -> None:
    if valid:
        assert facts_from_dict(example(**{"pain.nrs": nrs}), today=TODAY).pain.nrs == nrs
    else:
        assert errors_for(example(**{"pain.nrs": nrs})) == {
            "pain.nrs": [f"must be between 0 and 10, not {nrs}"]
        }


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        ("levels.0.level", "L6", "levels[0].level"),
        ("levels.0.level", "l1", "levels[0].level"),
        ("levels.0.cause", "fall", "levels[0].cause"),
        ("patient.sex", "X", "patient.sex"),
        ("antithrombotics", ["aspirin", "warfarin"], "antithrombotics[1]"),
        ("anaesthesia", "spinal", "anaesthesia"),
        ("levels.0.sacral_pattern", "Y", "levels[0].sacral_pattern"),
    ],
)
def test_unknown_enum_values(path: str, value: object, where: str) -> None:
    errors = errors_for(example(**{path: value}))
    assert list(errors) == [where]
    assert "unknown" in errors[where][0]


def test_pregnancy_is_not_rejected_whatever_the_administrative_sex() -> None:
    facts = facts_from_dict(example(**{"patient.sex": "M", "patient.pregnant": True}), today=TODAY)
    assert evaluate(facts).verdict == "needs_review"


def test_sacral_pattern_only_on_the_sacrum() -> None:
    assert errors_for(example(**{"levels.0.sacral_pattern": "H"})) == {
        "levels[0].sacral_pattern": ["applies to level S only, not L1"]
    }
    facts = facts_from_dict(
        example(**{"levels.0.level": "S", "levels.0.sacral_pattern": "H"}), today=TODAY
    )
    assert facts.levels[0].sacral_pattern == "H"


def test_a_repeated_antithrombotic_is_reported() -> None:
    assert errors_for(example(antithrombotics=["aspirin", "aspirin"])) == {
        "antithrombotics[1]": ["repeats aspirin"]
    }


@pytest.mark.parametrize("data", [None, [], "levels", 3])
def test_the_root_must_be_an_object(data: object) -> None:
    assert list(errors_for(data)) == ["$"]


def test_every_fault_is_reported_at_once() -> None:
    data = {
        "as_of": "2026-11-31",
        "levels": [
            {"level": "L1", "fracture_date": "yesterday", "colour": "red"},
            {"level": "L1", "sacral_pattern": "H", "mri_oedema": 1},
        ],
        "pain": {"nrs": True},
        "antithrombotics": ["aspirin", "heparin"],
        "anaesthesia": "local",
        "surgeon": "x",
    }
    assert sorted(errors_for(data)) == sorted([
        "as_of", "levels[0].fracture_date", "levels[0].colour", "levels[1].level",
        "levels[1].sacral_pattern", "levels[1].mri_oedema", "pain.nrs", "antithrombotics[1]",
        "surgeon",
    ])  # fmt: skip


def test_the_error_message_names_the_paths() -> None:
    with pytest.raises(FactsError, match=r"pain\.nrs: must be between 0 and 10"):
        facts_from_dict(example(**{"pain.nrs": 12}), today=TODAY)


def test_today_must_be_a_date_not_a_datetime() -> None:
    with pytest.raises(TypeError):
        facts_from_dict(SPEC_EXAMPLE, today=datetime(2026, 11, 28, 12, 0))


# ---- Output ----------------------------------------------------------------------------------


def test_facts_round_trip_through_the_json_form() -> None:
    facts = facts_from_dict(SPEC_EXAMPLE, today=TODAY)
    data = facts_to_dict(facts)
    assert data == SPEC_EXAMPLE
    assert facts_from_dict(json.loads(json.dumps(data)), today=TODAY) == facts


def test_decision_to_dict_is_json_in_either_language() -> None:
    decision = evaluate(facts_from_dict(example(antithrombotics=["clopidogrel"]), today=TODAY))
    fr = decision_to_dict(decision, lang="fr")
    en = decision_to_dict(decision, lang="en-gb")
    assert json.loads(json.dumps(fr)) == fr
    assert fr["verdict_label"] == "Indication probable — délai idéal"
    assert en["verdict_label"] == "Probable indication — ideal window"
    clopidogrel_fr = next(f for f in fr["findings"] if f["rule"] == "B-CLOPIDOGREL")
    clopidogrel_en = next(f for f in en["findings"] if f["rule"] == "B-CLOPIDOGREL")
    assert "Plavix" in clopidogrel_fr["message"] and "préférence" in clopidogrel_fr["message"]
    assert "preferably" in clopidogrel_en["message"]
    assert clopidogrel_fr["source"] == clopidogrel_en["source"]  # sources are quoted as written
    assert fr["holds"] == [{"action": "clopidogrel_stop", "days": 6}]
    assert fr["earliest_procedure_date"] == "2026-12-04"
    assert en["medication_plan"] == fr["medication_plan"]


def test_an_unsupported_language_is_a_bug_not_a_silent_default() -> None:
    decision = evaluate(facts_from_dict(SPEC_EXAMPLE, today=TODAY))
    with pytest.raises(ValueError, match="unsupported language"):
        decision_to_dict(decision, lang="de")
