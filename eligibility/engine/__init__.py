"""The eligibility engine: referral facts in, advice out. Pure Python: no Django, no clock.

See ``docs/eligibility.md`` and ``docs/clinical-rules.md``.
"""

from .evaluate import Decision, Finding, Hold, LevelDecision, Procedure, evaluate
from .facts import (
    ACTION,
    EFFECTS,
    INFO,
    LEVELS,
    VERDICTS,
    Anaesthesia,
    Antithrombotic,
    Cause,
    ImagingFacts,
    LevelFacts,
    PainFacts,
    PatientFacts,
    RedFlags,
    ReferralFacts,
    SacralPattern,
    Sex,
    Verdict,
)
from .io import FactsError, decision_to_dict, facts_from_dict, facts_to_dict
from .labels import ACT_LABELS, ACTION_LABELS, EFFECT_LABELS, VERDICT_LABELS
from .rulebase import Rule, Scope
from .rules import RULES, RULES_BY_ID, RULESET_VERSION, rules_for
from .settings import DEFAULT_SETTINGS, EngineSettings

__all__ = [
    "ACTION",
    "ACTION_LABELS",
    "ACT_LABELS",
    "DEFAULT_SETTINGS",
    "EFFECTS",
    "EFFECT_LABELS",
    "INFO",
    "LEVELS",
    "RULES",
    "RULESET_VERSION",
    "RULES_BY_ID",
    "VERDICTS",
    "VERDICT_LABELS",
    "Anaesthesia",
    "Antithrombotic",
    "Cause",
    "Decision",
    "EngineSettings",
    "FactsError",
    "Finding",
    "Hold",
    "ImagingFacts",
    "LevelDecision",
    "LevelFacts",
    "PainFacts",
    "PatientFacts",
    "Procedure",
    "RedFlags",
    "ReferralFacts",
    "Rule",
    "SacralPattern",
    "Scope",
    "Sex",
    "Verdict",
    "decision_to_dict",
    "evaluate",
    "facts_from_dict",
    "facts_to_dict",
    "rules_for",
]
