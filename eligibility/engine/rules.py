"""The rule table, in the order of ``docs/clinical-rules.md``: per level, per patient, medication.

The rules page and the PDF read this table; the engine evaluates it. To add a rule, see
``docs/eligibility.md``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from . import level_rules, patient_rules
from .rulebase import TEMPLATES, Rule, Scope
from .settings import DEFAULT_SETTINGS, EngineSettings

RULESET_VERSION = "2026.1"

# Importing the rule modules registers their rules; name them so the import is not "unused".
RULE_MODULES = (level_rules, patient_rules)
_SCOPE_ORDER = {Scope.LEVEL: 0, Scope.PATIENT: 1, Scope.MEDICATION: 2}


@lru_cache(maxsize=16)
def rules_for(settings: EngineSettings) -> tuple[Rule, ...]:
    """The table with its texts rendered for ``settings`` (e.g. "≤ 21 jours")."""
    values = settings.text_values()
    ordered = sorted(TEMPLATES, key=lambda r: _SCOPE_ORDER[r.scope])  # stable within a scope
    return tuple(
        replace(
            r,
            condition_fr=r.condition_fr.format_map(values),
            condition_en=r.condition_en.format_map(values),
            message_fr=r.message_fr.format_map(values),
            message_en=r.message_en.format_map(values),
        )
        for r in ordered
    )


RULES: tuple[Rule, ...] = rules_for(DEFAULT_SETTINGS)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
if len(RULES_BY_ID) != len(RULES):  # a copy-pasted id would silently merge two rules' tests
    raise RuntimeError("duplicate rule id in the rule table")
