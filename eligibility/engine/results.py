"""What an evaluation returns.

The results are NamedTuples rather than frozen dataclasses: just as immutable and equal by value,
but about four times cheaper to build, and building them was a third of an evaluation. Serialise
with ``io.decision_to_dict``, not ``json.dumps`` (which would write bare lists). New fields go at
the end, so that code built on 2026.1's positions keeps working.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from .facts import Verdict
from .rulebase import is_english


class Finding(NamedTuple):
    rule: str
    level: str | None  # None for patient and medication rules
    effect: str  # a verdict, "info" or "action"
    message_fr: str
    message_en: str
    source: str
    actions: tuple[str, ...] = ()

    def message(self, lang: str) -> str:
        return self.message_en if is_english(lang) else self.message_fr


class LevelDecision(NamedTuple):
    level: str
    verdict: Verdict
    fracture_age_days: int | None  # at as_of: shown to people
    ideal_until: date | None
    latest_until: date | None
    age_at_earliest_days: int | None = None  # at the earliest procedure date: the age rules read it


class Hold(NamedTuple):
    """Days before the procedure an action must happen; ``dict(decision.holds)`` works.

    For a drug, ``days`` is n of its last dose J−n (the largest of the rule's plan entries).
    ``decision.medication_plan`` says more (resume day, optional, per drug).
    """

    action: str
    days: int

    def stop_on(self, procedure_date: date) -> date:
        return procedure_date - timedelta(days=self.days)


class PlanEntry(NamedTuple):
    """One drug with a hold: days are relative to the procedure day J (−6 is J−6, 1 is J+1)."""

    drug: str
    rule: str
    last_dose_day: int
    last_dose_time: str | None  # "morning", "evening" or None
    resume_day: int
    resume_time: str | None  # "evening" for a VKA, else None
    optional: bool  # may be continued (clopidogrel; every antiplatelet under G-DAPT)
    inr_check_day: int | None = None  # VKA only: INR on J−1 …
    inr_max: float | None = None  # … must be at most this


class Preparation(NamedTuple):
    """Something that must happen before J, at the latest on J + ``latest_day`` (negative)."""

    kind: str
    latest_day: int


class Procedure(NamedTuple):
    levels_to_treat: tuple[str, ...]  # spine order
    duration_minutes: int | None  # capped at 90 (see docs/eligibility.md)
    act_label: str | None


class Option(NamedTuple):
    """A what-if evaluation the radiologist may choose (``continue_clopidogrel``)."""

    id: str
    verdict: Verdict
    earliest_procedure_date: date
    target_before: date | None
    medication_plan: tuple[PlanEntry, ...]


class Decision(NamedTuple):
    ruleset: str
    as_of: date
    verdict: Verdict
    levels: tuple[LevelDecision, ...]  # spine order
    findings: tuple[Finding, ...]  # levels in spine order, then patient, then medication
    actions: tuple[str, ...]
    holds: tuple[Hold, ...]
    procedure: Procedure
    earliest_procedure_date: date
    target_before: date | None
    urgent: bool = False  # G-NEURO fired
    medication_plan: tuple[PlanEntry, ...] = ()
    preparation: tuple[Preparation, ...] = ()
    options: tuple[Option, ...] = ()
