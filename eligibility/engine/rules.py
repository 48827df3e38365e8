"""The rule table, in the order of ``docs/clinical-rules.md``: per level, per patient, medication.

``RULE_ORDER`` is the one place that says which rules exist and in which order; the rule modules
hold their functions and texts. The rules page and the PDF read this table; the engine evaluates
it. To add a rule, see ``docs/eligibility.md``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from . import age_rules, checks_rules, level_rules, medication_rules, patient_rules
from .rulebase import TEMPLATES, Rule
from .settings import DEFAULT_SETTINGS, EngineSettings

RULESET_VERSION = "2027.1"

# Importing the rule modules registers their rules; name them so the import is not "unused".
RULE_MODULES = (level_rules, age_rules, patient_rules, checks_rules, medication_rules)

RULE_ORDER: tuple[str, ...] = (
    # Per level
    "B-LEVEL-SPINE", "B-LEVEL-CERVICAL", "B-SACRUM-H", "B-SACRUM-LATE", "B-SACRUM-OTHER",
    "B-ARCH", "B-ARCH-HEALED", "B-AGE-UNKNOWN", "B-AGE-UNKNOWN-OEDEMA", "B-AGE-IDEAL",
    "B-IDEAL-MISSED", "B-AGE-WINDOW", "B-AGE-NO-FAILURE", "B-SEMI-RECENT",
    "B-SEMI-RECENT-NO-OPIOID", "G-WINDOW-CLOSES", "B-AGE-OVER-OEDEMA", "B-AGE-OVER",
    "B-CAUSE-TUMOUR", "G-WALL", "G-RETROPULSION", "G-NO-OEDEMA", "G-OEDEMA-UNSTATED",
    "G-NO-CONCORDANCE",
    # Per patient
    "B-IMAGING", "G-IMAGING-ALTERNATIVE", "G-INFECTION", "G-COAGULOPATHY", "G-ALLERGY",
    "G-PAIN-ABSENT", "G-PAIN-LOW", "G-PAIN-UNRECORDED", "G-NEURO", "G-HIGH-ENERGY", "G-YOUNG",
    "G-PREGNANCY", "G-LEVELS-MAX", "G-PRONE", "G-PLATELETS", "G-INR", "G-RENAL",
    "G-ANTITHROMBOTIC-OTHER", "G-ALLERGY-OTHER", "G-FLS",
    # Medication and anaesthesia
    "B-VKA", "B-ASPIRIN", "B-CLOPIDOGREL", "G-PRASUGREL", "G-TICAGRELOR", "G-DOAC-XABAN",
    "G-DOAC-DABIGATRAN", "G-DOAC", "G-LMWH", "G-DAPT", "B-ANAESTHESIA",
)  # fmt: skip

_registered = {r.id: r for r in TEMPLATES}
if len(_registered) != len(TEMPLATES):  # a copy-pasted id would silently merge two rules' tests
    raise RuntimeError("duplicate rule id in the rule modules")
if set(_registered) != set(RULE_ORDER) or len(RULE_ORDER) != len(set(RULE_ORDER)):
    raise RuntimeError(
        f"RULE_ORDER and the rule modules disagree: {sorted(set(_registered) ^ set(RULE_ORDER))}"
    )


@lru_cache(maxsize=16)
def rules_for(settings: EngineSettings) -> tuple[Rule, ...]:
    """The table with its texts rendered for ``settings`` (e.g. "≤ 21 jours")."""
    values = settings.text_values()
    return tuple(
        replace(
            r,
            condition_fr=r.condition_fr.format_map(values),
            condition_en=r.condition_en.format_map(values),
            message_fr=r.message_fr.format_map(values),
            message_en=r.message_en.format_map(values),
        )
        for r in (_registered[rule_id] for rule_id in RULE_ORDER)
    )


RULES: tuple[Rule, ...] = rules_for(DEFAULT_SETTINGS)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
