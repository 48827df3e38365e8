"""manage.py evaluate_referral: JSON in, decision out; invalid input → exit 2, errors on stderr."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from eligibility.engine import RULESET_VERSION

# The specification's example facts (docs/clinical-rules.md), shared with the engine tests.
from tests.eligibility.test_derived import SPEC_EXAMPLE


def _run(monkeypatch: pytest.MonkeyPatch, data: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("evaluate_referral", "-", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@time_machine.travel("2026-11-28 10:00 +0100", tick=False)
def test_spec_example_gives_the_spec_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _run(monkeypatch, json.dumps(SPEC_EXAMPLE))
    assert code == 0, err
    decision = json.loads(out)
    assert decision["ruleset"] == RULESET_VERSION == "2027.1"
    assert decision["verdict"] == "eligible_ideal"
    assert decision["levels"][0] == {
        **decision["levels"][0],
        "level": "L1",
        "fracture_age_days": 13,
        "age_at_earliest_days": 19,
        "ideal_until": "2026-12-06",
        "latest_until": "2027-05-17",
    }
    # The example takes clopidogrel: last dose J−6 (2027.1), so E is 6 days after as_of.
    assert decision["earliest_procedure_date"] == "2026-12-04"
    assert decision["target_before"] == "2026-12-06"
    assert decision["procedure"]["act_label"] == "Spondyloplastie unique ou de 2 vertèbres"
    assert "B-AGE-IDEAL" in {f["rule"] for f in decision["findings"]}


@time_machine.travel("2026-11-28 10:00 +0100", tick=False)
def test_lang_en_gives_english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out_fr, _ = _run(monkeypatch, json.dumps(SPEC_EXAMPLE), "--lang", "fr")
    _, out_en, _ = _run(monkeypatch, json.dumps(SPEC_EXAMPLE), "--lang", "en")
    fr = {f["rule"]: f["message"] for f in json.loads(out_fr)["findings"]}
    en = {f["rule"]: f["message"] for f in json.loads(out_en)["findings"]}
    assert fr.keys() == en.keys()
    assert fr["B-AGE-IDEAL"] != en["B-AGE-IDEAL"]


@time_machine.travel("2026-11-28 10:00 +0100", tick=False)
def test_invalid_input_exits_2_naming_every_field_and_prints_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = json.loads(json.dumps(SPEC_EXAMPLE))
    bad["colour"] = "blue"
    bad["levels"].append({"level": "L1", "fracture_date": "2026-02-30"})
    bad["pain"]["nrs"] = 11
    bad["anaesthesia"] = "hypnosis"
    bad["levels"][0]["fracture_date"] = "2027-01-01"
    code, out, err = _run(monkeypatch, json.dumps(bad))
    assert code == 2
    assert out == ""
    for field in ("colour", "levels[1]", "pain.nrs", "anaesthesia", "levels[0].fracture_date"):
        assert field in err, field


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        "[]",
        json.dumps({**SPEC_EXAMPLE, "levels": []}),
        json.dumps({"levels": [{"level": "X9"}]}),
    ],
)
def test_malformed_documents_exit_2(monkeypatch: pytest.MonkeyPatch, payload: str) -> None:
    code, out, err = _run(monkeypatch, payload)
    assert code == 2
    assert out == ""
    assert err.strip()


def test_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(SPEC_EXAMPLE))
    out = io.StringIO()
    with time_machine.travel("2026-11-28 10:00 +0100", tick=False):
        call_command("evaluate_referral", str(path), stdout=out)
    assert json.loads(out.getvalue())["verdict"] == "eligible_ideal"


def test_missing_file_exits_2(tmp_path: Path) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("evaluate_referral", str(tmp_path / "nope.json"), stderr=err)
    assert exit_.value.code == 2
    assert "cannot read" in err.getvalue()
