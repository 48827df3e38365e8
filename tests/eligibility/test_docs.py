"""docs/eligibility.md stays true to the engine: its rule table is the engine's own, and every
rule id it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from eligibility.engine import RULES_BY_ID, RULESET_VERSION
from eligibility.engine.ruledoc import BEGIN, END, rule_table, with_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "eligibility.md"


def test_the_rule_table_in_the_doc_is_the_engines() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert with_table(text) == text, (
        "docs/eligibility.md is out of date: run "
        "`.venv/bin/python -m eligibility.engine.ruledoc docs/eligibility.md`"
    )
    assert f"Ruleset {RULESET_VERSION}" in rule_table()


def test_every_rule_id_the_doc_names_exists() -> None:
    named = set(re.findall(r"\b[BG]-[A-Z]+(?:-[A-Z]+)*\b", DOC.read_text(encoding="utf-8")))
    assert named - set(RULES_BY_ID) == set()
