"""``evaluate(facts)``: run the rule table, combine the findings, derive dates and the procedure.

The earliest procedure date comes first: patient and medication rules run before the levels, so
that every level is judged at its age on that date (``docs/clinical-rules.md``, "Dates").
Everything that depends only on the settings (rendered findings, leads, window lengths) is
compiled once per settings object, so an evaluation allocates little more than its result.
"""

from __future__ import annotations

from datetime import date, timedelta

from .facts import LEVEL_INDEX, LEVELS, Antithrombotic, LevelFacts, ReferralFacts, Verdict
from .labels import ACT_ONE_OR_TWO, ACT_THREE_OR_MORE
from .medication_rules import dual_antiplatelet
from .results import (
    Decision,
    Finding,
    Hold,
    LevelDecision,
    Option,
    PlanEntry,
    Preparation,
    Procedure,
)
from .rulebase import Rule, RuleFunction, Scope
from .rules import RULESET_VERSION, rules_for
from .settings import DEFAULT_SETTINGS, EngineSettings

__all__ = ["DURATION_MINUTES", "SEVERITY", "Decision", "Finding", "Hold", "LevelDecision",
           "Option", "PlanEntry", "Preparation", "Procedure", "evaluate"]  # fmt: skip

# Level severity, least to most severe (clinical-rules.md, "Combining findings").
SEVERITY: tuple[Verdict, ...] = (
    Verdict.ELIGIBLE_IDEAL,
    Verdict.ELIGIBLE,
    Verdict.NEEDS_REVIEW,
    Verdict.NOT_ELIGIBLE,
    Verdict.INCOMPLETE,
    Verdict.SURGICAL_REFERRAL,
)
_RANK: dict[str, int] = {verdict: rank for rank, verdict in enumerate(SEVERITY)}
_IDEAL, _ELIGIBLE, _REVIEW, _NOT, _INCOMPLETE, _SURGICAL = range(6)
_NOTHING = -1  # info and action findings do not weigh on a verdict
# Brochure: « procubitus pendant 30 minutes … jusqu'à 1h30 en cas de plusieurs vertèbres ».
DURATION_MINUTES: tuple[int, ...] = (30, 60, 90)
CONTINUE_CLOPIDOGREL = "continue_clopidogrel"
ANAESTHESIA_CONSULTATION = "anaesthesia_consultation"
_CLOPIDOGREL = Antithrombotic.CLOPIDOGREL
# A treatable level: (level, ideal_until, latest_until); its dates are known, or it would be
# incomplete, but the type cannot say so.
_Treatable = tuple[str, date | None, date | None]


def _after_the_levels(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return False  # G-LEVELS-MAX's place in the first pass; it runs once the levels are judged


def _finding(rule: Rule, level: str | None, actions: tuple[str, ...]) -> Finding:
    return Finding(
        rule.id, level, rule.effect, rule.message_fr, rule.message_en, rule.source, actions
    )


class _Compiled:
    """The rule table prepared for one settings object."""

    __slots__ = ("delays", "ideal", "latest", "level_rules", "levels_max", "other_rules",
                 "position", "settings", "variants")  # fmt: skip

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.ideal = timedelta(days=settings.ideal_window_days)
        self.latest = timedelta(days=settings.latest_window_days)
        self.variants: dict[tuple[int, tuple[str, ...]], Finding] = {}
        self.delays: dict[int, timedelta] = {}
        level_rules = []
        other_rules = []
        self.levels_max: tuple[RuleFunction, Finding] | None = None
        self.position: dict[str, int] = {}
        for index, rule in enumerate(rules_for(settings)):
            self.position[rule.id] = index
            rank = _RANK.get(rule.effect, _NOTHING)
            if rule.scope is Scope.LEVEL:
                by_level = {name: _finding(rule, name, rule.actions) for name in LEVELS}
                level_rules.append((rule.function, by_level, rank))
                continue
            finding = _finding(rule, None, rule.actions)
            function = rule.function
            if rule.id == "G-LEVELS-MAX":  # the only rule that needs the levels' verdicts
                self.levels_max = (function, finding)
                function = _after_the_levels
            lead = None
            if rule.plan is None:
                days = rule.hold_days(settings)
                lead = Hold(rule.actions[0], days) if days else None
            other_rules.append((function, finding, rank, lead, rule.plan, index, rule))
        self.level_rules = tuple(level_rules)
        self.other_rules = tuple(other_rules)

    def variant(self, index: int, rule: Rule, actions: tuple[str, ...]) -> Finding:
        """The finding of a rule whose actions depend on the facts (B-IMAGING, G-DOAC-…)."""
        key = (index, actions)
        found = self.variants.get(key)
        if found is None:
            found = self.variants[key] = _finding(rule, None, actions)
        return found

    def delay(self, days: int) -> timedelta:
        """as_of → earliest date: the largest last-dose day or lead, and at least one day."""
        found = self.delays.get(days)
        if found is None:
            found = self.delays[days] = timedelta(days=max(1, days))
        return found


_by_identity: dict[int, tuple[EngineSettings, _Compiled]] = {}
_by_value: dict[EngineSettings, _Compiled] = {}


def _compile(settings: EngineSettings) -> _Compiled:
    # Identity first: hashing a 30-field dataclass on every call would cost more than the rules.
    # The entry keeps the settings object alive, so its id cannot be reused while cached. Callers
    # that build equal settings per request (dataclasses.replace) still share one compiled table.
    hit = _by_identity.get(id(settings))
    if hit is not None and hit[0] is settings:
        return hit[1]
    table = _by_value.get(settings)
    if table is None:
        if len(_by_value) >= 16:  # bounded: a handful of configurations exist in practice
            _by_value.clear()
        table = _by_value[settings] = _Compiled(settings)
    if len(_by_identity) >= 64:
        _by_identity.clear()
    _by_identity[id(settings)] = (settings, table)
    return table


def _spine_order(level: LevelFacts) -> int:
    return LEVEL_INDEX[level.level]


def evaluate(facts: ReferralFacts, settings: EngineSettings = DEFAULT_SETTINGS) -> Decision:
    """Advise on one referral as of ``facts.as_of``. The radiologist decides."""
    table = _compile(settings)
    decision, clopidogrel_alone = _evaluate(facts, table, False)
    if not clopidogrel_alone:
        return decision
    # The clopidogrel hold alone sets E: what if it were continued, as the brochure allows?
    alt, _ = _evaluate(facts, table, True)
    better = _RANK[alt.verdict] < _RANK[decision.verdict]
    earlier = alt.target_before is not None and (
        decision.target_before is None or alt.target_before < decision.target_before
    )
    if not (better or earlier):
        return decision
    option = Option(CONTINUE_CLOPIDOGREL, alt.verdict, alt.earliest_procedure_date,
                    alt.target_before, alt.medication_plan)  # fmt: skip
    return decision._replace(options=(option,))


def _evaluate(
    facts: ReferralFacts, table: _Compiled, continue_clopidogrel: bool
) -> tuple[Decision, bool]:
    """The decision without options, and whether the clopidogrel hold alone sets E."""
    settings = table.settings
    as_of = facts.as_of

    # ---- Patient and medication rules first: they give the earliest procedure date (E). ----
    other_findings: list[Finding] = []
    other_actions: dict[str, None] = {}  # an ordered set
    patient_ranks = 0
    urgent = False
    holds: dict[str, int] = {}
    plan: list[PlanEntry] = []
    largest = largest_other = 0  # largest last-dose day or lead; the same without clopidogrel
    drugs = facts.antithrombotics
    dapt = len(drugs) > 1 and dual_antiplatelet(facts)
    for function, finding, rank, lead, plan_of, index, rule in table.other_rules:
        applies = function(facts, settings, 0)
        if applies is not True:
            if applies is False or not applies:
                continue
            finding = table.variant(index, rule, applies)
        other_findings.append(finding)
        if finding.actions:
            other_actions.update(dict.fromkeys(finding.actions))
        if rank != _NOTHING:
            patient_ranks |= 1 << rank
            if rule.urgent:
                urgent = True
        if plan_of is not None:
            is_clopidogrel = rule.id == "B-CLOPIDOGREL"
            if is_clopidogrel and continue_clopidogrel:
                continue
            entries = plan_of(facts, settings, dapt)
            days = max(-e.last_dose_day for e in entries)
            plan.extend(entries)
            action = rule.actions[0]
            if days > holds.get(action, 0):
                holds[action] = days
            if days > largest:
                largest = days
            if not is_clopidogrel and days > largest_other:
                largest_other = days
        elif lead is not None:
            if lead.days > holds.get(lead.action, 0):
                holds[lead.action] = lead.days
            if lead.days > largest:
                largest = lead.days
            if lead.days > largest_other:
                largest_other = lead.days
    earliest = as_of + table.delay(largest)

    # ---- Each level, in spine order, judged at E. ----
    levels = facts.levels
    if len(levels) > 1:
        levels = tuple(sorted(levels, key=_spine_order))
    findings: list[Finding] = []
    actions: dict[str, None] = {}
    level_decisions: list[LevelDecision] = []
    treatable: list[_Treatable] = []
    all_ideal = True
    level_ranks = 0  # bit set of the level verdicts seen
    for lv in levels:
        name = lv.level
        fracture_date = lv.fracture_date
        if fracture_date is None:
            age = a = ideal_until = latest_until = None
        else:
            age = (as_of - fracture_date).days
            a = (earliest - fracture_date).days
            ideal_until = fracture_date + table.ideal
            latest_until = fracture_date + table.latest
        worst = _NOTHING
        for function, by_level, rank in table.level_rules:
            if function(lv, a, age, facts, settings):
                finding = by_level[name]
                findings.append(finding)
                if finding.actions:
                    actions.update(dict.fromkeys(finding.actions))
                if rank > worst:
                    worst = rank
        if worst == _NOTHING:  # unreachable with valid settings: every age has its rule
            worst = _REVIEW
        level_ranks |= 1 << worst
        if worst <= _ELIGIBLE:
            treatable.append((name, ideal_until, latest_until))
            all_ideal = all_ideal and worst == _IDEAL
        level_decisions.append(
            LevelDecision(name, SEVERITY[worst], age, ideal_until, latest_until, a)
        )

    if table.levels_max is not None:
        levels_max, finding = table.levels_max
        if levels_max(facts, settings, len(treatable)):
            position = table.position
            before = position[finding.rule]
            slot = sum(1 for f in other_findings if position[f.rule] < before)
            other_findings.insert(slot, finding)
            patient_ranks |= 1 << _RANK[finding.effect]
    findings.extend(other_findings)
    actions.update(other_actions)

    verdict = _overall(urgent, patient_ranks, level_ranks, bool(treatable), all_ideal)
    consultation = holds.get(ANAESTHESIA_CONSULTATION)
    decision = Decision(
        RULESET_VERSION,
        as_of,
        verdict,
        tuple(level_decisions),
        tuple(findings),
        tuple(actions),
        tuple(Hold(action, days) for action, days in holds.items()),
        _procedure(treatable),
        earliest,
        _target_before(treatable, earliest),
        urgent,
        tuple(plan),
        () if consultation is None else (Preparation(ANAESTHESIA_CONSULTATION, -consultation),),
    )
    clopidogrel_alone = (
        not continue_clopidogrel and largest > max(1, largest_other) and _CLOPIDOGREL in drugs
    )
    return decision, clopidogrel_alone


def _overall(
    urgent: bool, patient: int, levels: int, any_treatable: bool, all_ideal: bool
) -> Verdict:
    """The ordered steps of "Combining findings"; ``patient``/``levels`` are rank bit sets."""
    if urgent:  # G-NEURO decides first, whatever else is found
        return SEVERITY[_SURGICAL]
    if patient & (1 << _NOT):
        return SEVERITY[_NOT]
    if levels & (1 << _SURGICAL):
        return SEVERITY[_SURGICAL]
    either = patient | levels
    if either & (1 << _INCOMPLETE):
        return SEVERITY[_INCOMPLETE]
    if either & (1 << _REVIEW):
        return SEVERITY[_REVIEW]
    if not any_treatable:
        return SEVERITY[_NOT]
    return SEVERITY[_IDEAL] if all_ideal else SEVERITY[_ELIGIBLE]


_NO_PROCEDURE = Procedure((), None, None)


def _procedure(treatable: list[_Treatable]) -> Procedure:
    count = len(treatable)
    if not count:
        return _NO_PROCEDURE
    # More than three levels is flagged by G-LEVELS-MAX (split into sessions); one session
    # still lasts at most the brochure's 1 h 30.
    return Procedure(
        tuple(level for level, _, _ in treatable),
        DURATION_MINUTES[min(count, len(DURATION_MINUTES)) - 1],
        ACT_ONE_OR_TWO if count <= 2 else ACT_THREE_OR_MORE,
    )


def _target_before(treatable: list[_Treatable], earliest: date) -> date | None:
    """The earliest ideal deadline that can still be met, else the earliest 6-month deadline."""
    if not treatable:
        return None
    reachable = [ideal for _, ideal, _ in treatable if ideal is not None and ideal >= earliest]
    if reachable:
        return min(reachable)
    return min(latest for _, _, latest in treatable if latest is not None)
