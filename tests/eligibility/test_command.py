"""manage.py evaluate_referral with 2027.1 facts: the new keys in, the new output out, and
invalid values of the new keys exit with status 2 naming each field at fault."""

from __future__ import annotations

import copy
import io
import json
import sys

import pytest
import time_machine
from django.core.management import call_command

from tests.eligibility.test_derived import SPEC_EXAMPLE

NOW = "2026-11-28 10:00 +0100"


def _run(monkeypatch: pytest.MonkeyPatch, data: object, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(data)))
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        with time_machine.travel(NOW, tick=False):
            call_command("evaluate_referral", "-", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_the_spec_example_prints_the_2027_1_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _run(monkeypatch, SPEC_EXAMPLE)
    assert code == 0, err
    decision = json.loads(out)
    assert decision["ruleset"] == "2027.1"
    assert decision["verdict_label"] == "Indication probable — délai idéal"
    assert decision["urgent"] is False
    assert decision["levels"][0]["age_at_earliest_days"] == 19
    assert decision["medication_plan"][0]["last_dose_day"] == -6
    assert (decision["preparation"], decision["options"]) == ([], [])


def test_lang_en_translates_every_new_message(monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy.deepcopy(SPEC_EXAMPLE)
    data["antithrombotics"] = ["doac", "clopidogrel"]
    data["allergies"] = ["iodine"]
    data["labs"] = {"platelets": 40, "inr": 2.0, "creatinine_clearance": 20}
    data["red_flags"]["cannot_lie_prone"] = True
    data["levels"][0]["tender_on_percussion"] = False
    _, out_fr, _ = _run(monkeypatch, data, "--lang", "fr")
    _, out_en, _ = _run(monkeypatch, data, "--lang", "en")
    fr = {f["rule"]: f["message"] for f in json.loads(out_fr)["findings"]}
    en = {f["rule"]: f["message"] for f in json.loads(out_en)["findings"]}
    new = {"G-DOAC", "G-ALLERGY-OTHER", "G-PLATELETS", "G-INR", "G-RENAL", "G-PRONE",
           "G-NO-CONCORDANCE", "G-FLS"}  # fmt: skip
    assert fr.keys() == en.keys() >= new
    assert all(fr[rule] != en[rule] for rule in fr)
    assert json.loads(out_en)["verdict_label"] == "Radiologist review needed"


def test_invalid_new_values_exit_2_naming_each_field(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = copy.deepcopy(SPEC_EXAMPLE)
    bad["labs"] = {"platelets": 2500, "inr": 0.2, "creatinine_clearance": -1, "sodium": 140}
    bad["allergies"] = ["pollen"]
    bad["antithrombotics"] = ["warfarin"]
    bad["imaging"]["alternative"] = "pet"
    bad["vka_bridging"] = "yes"
    bad["levels"][0]["tender_on_percussion"] = 1
    code, out, err = _run(monkeypatch, bad)
    assert (code, out) == (2, "")
    for field in ("labs.platelets", "labs.inr", "labs.creatinine_clearance", "labs.sodium",
                  "allergies[0]", "antithrombotics[0]", "imaging.alternative", "vka_bridging",
                  "levels[0].tender_on_percussion"):  # fmt: skip
        assert f"{field}:" in err, field
