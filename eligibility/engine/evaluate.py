"""``evaluate(facts)``: run the rule table, combine the findings, derive dates and the procedure.

The earliest procedure date comes first: patient and medication rules run before the levels, so
that every level is judged at its age on that date (``docs/clinical-rules.md``, "Dates").
Everything that depends only on the settings (rendered findings, leads, window lengths) is
compiled once per settings object, so an evaluation allocates little more than its result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from .facts import LEVEL_INDEX, LEVELS, Antithrombotic, Cause, LevelFacts, ReferralFacts, Verdict
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
from .rulebase import REGIONS, LevelKinds, Rule, RuleFunction, Scope
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
_TUMOUR = Cause.TUMOUR_SUSPECTED
_REGION: dict[str, str] = {name: name[0] if name[0] in "CS" else "TL" for name in LEVELS}
# A treatable level: (level, ideal_until, latest_until); its dates are known, or it would be
# incomplete, but the type cannot say so.
_Treatable = tuple[str, date | None, date | None]
# A compiled patient or medication rule: (function, finding, rank, (index, rule, lead, plan));
# the loop unpacks the last part only for rules that apply.
_Extra = tuple[int, Rule, Hold | None, Callable[..., Any] | None]
_OtherRule = tuple[RuleFunction, Finding, int, _Extra]


def _finding(rule: Rule, level: str | None, actions: tuple[str, ...]) -> Finding:
    return Finding(
        rule.id, level, rule.effect, rule.message_fr, rule.message_en, rule.source, actions
    )


class _Compiled:
    """The rule table prepared for one settings object.

    Rules that declare ``kinds`` (level rules) or ``drugs`` are called only for those kinds of
    level or when one of those drugs is listed: a necessary condition that each rule function
    also checks, so skipping them never changes a decision (``gated=False`` calls every rule, and
    a test compares both).
    """

    __slots__ = ("by_drug", "delays", "gated", "ideal", "latest", "level_rules", "levels_max",
                 "position", "settings", "ungated", "variants", "with_drugs")  # fmt: skip

    def __init__(self, settings: EngineSettings, gated: bool = True) -> None:
        self.settings = settings
        self.ideal = timedelta(days=settings.ideal_window_days)
        self.latest = timedelta(days=settings.latest_window_days)
        self.variants: dict[tuple[int, tuple[str, ...]], Finding] = {}
        self.delays: dict[int, timedelta] = {}
        self.levels_max: tuple[RuleFunction, Finding] | None = None
        self.position: dict[str, int] = {}
        level_rules: list[tuple[LevelKinds | None, tuple[RuleFunction, dict[str, Finding], int]]]
        level_rules = []
        ungated: list[_OtherRule] = []
        gated_rules: list[_OtherRule] = []
        by_drug: dict[str, list[int]] = {}
        for index, rule in enumerate(rules_for(settings)):
            self.position[rule.id] = index
            rank = _RANK.get(rule.effect, _NOTHING)
            if rule.scope is Scope.LEVEL:
                by_level = {name: _finding(rule, name, rule.actions) for name in LEVELS}
                level_rules.append((rule.kinds if gated else None, (rule.function, by_level, rank)))
                continue
            finding = _finding(rule, None, rule.actions)
            function = rule.function
            if rule.id == "G-LEVELS-MAX":  # the only rule that needs the levels' verdicts
                self.levels_max = (function, finding)
                continue
            lead = None
            if rule.plan is None:
                days = rule.hold_days(settings)
                lead = Hold(rule.actions[0], days) if days else None
            entry: _OtherRule = (function, finding, rank, (index, rule, lead, rule.plan))
            if rule.drugs and gated:
                for drug in rule.drugs:
                    by_drug.setdefault(drug, []).append(len(gated_rules))
                gated_rules.append(entry)
            else:
                ungated.append(entry)
        self.level_rules = {
            (region, dated, tumour): tuple(
                compiled
                for kinds, compiled in level_rules
                if kinds is None or kinds(region, dated, tumour)
            )
            for region in REGIONS
            for dated in (False, True)
            for tumour in (False, True)
        }
        self.ungated = tuple(ungated)
        self.gated = tuple(gated_rules)
        self.by_drug = {drug: tuple(indexes) for drug, indexes in by_drug.items()}
        self.with_drugs: dict[tuple[str, ...], tuple[_OtherRule, ...]] = {}

    def other_rules(self, drugs: tuple[str, ...]) -> tuple[_OtherRule, ...]:
        """Patient and medication rules to call for these drugs, in the table's order."""
        if not drugs:
            return self.ungated
        found = self.with_drugs.get(drugs)
        if found is None:
            candidates = {i for drug in drugs for i in self.by_drug.get(drug, ())}
            rules = self.ungated + tuple(self.gated[i] for i in candidates)
            found = tuple(sorted(rules, key=lambda entry: entry[3][0]))  # by table index
            if len(self.with_drugs) >= 1024:  # bounded: a few hundred combinations in practice
                self.with_drugs.clear()
            self.with_drugs[drugs] = found
        return found

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
    other: list[Finding] = []
    patient_ranks = 0
    urgent = False
    holds: dict[str, int] = {}
    plan: list[PlanEntry] = []
    largest = largest_other = 0  # largest last-dose day or lead; the same without clopidogrel
    drugs = facts.antithrombotics
    dapt = len(drugs) > 1 and dual_antiplatelet(facts)
    for function, finding, rank, extra in table.other_rules(drugs):
        applies = function(facts, settings, 0)
        if not applies:
            continue
        index, rule, lead, plan_of = extra
        if applies is not True:
            finding = table.variant(index, rule, applies)  # type: ignore[arg-type]
        other.append(finding)
        if rank != _NOTHING:
            patient_ranks |= 1 << rank
            if rule.urgent:
                urgent = True
        if plan_of is not None:
            is_clopidogrel = finding.rule == "B-CLOPIDOGREL"
            if is_clopidogrel and continue_clopidogrel:
                continue
            entries = plan_of(facts, settings, dapt)
            days = max(-e.last_dose_day for e in entries)
            plan.extend(entries)
        elif lead is not None:
            is_clopidogrel = False
            days = lead.days
        else:
            continue
        action = rule.actions[0]
        if days > holds.get(action, 0):
            holds[action] = days
        if days > largest:
            largest = days
        if not is_clopidogrel and days > largest_other:
            largest_other = days
    earliest = as_of + table.delay(largest)

    # ---- Each level, in spine order, judged at E. ----
    levels = facts.levels
    if len(levels) > 1:
        levels = tuple(sorted(levels, key=_spine_order))
    findings: list[Finding] = []
    level_decisions: list[LevelDecision] = []
    treatable: list[_Treatable] = []
    all_ideal = True
    level_ranks = 0  # bit set of the level verdicts seen
    level_rules = table.level_rules
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
        kind = (_REGION[name], fracture_date is not None, lv.cause is _TUMOUR)
        worst = _NOTHING
        for function, by_level, rank in level_rules[kind]:
            if function(lv, a, age, facts, settings):
                findings.append(by_level[name])
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
            other.insert(sum(1 for f in other if position[f.rule] < before), finding)
            patient_ranks |= 1 << _RANK[finding.effect]
    findings.extend(other)
    actions: dict[str, None] = {}  # an ordered set
    for f in findings:
        if f.actions:
            actions.update(dict.fromkeys(f.actions))

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
    """The most pressing deadline that can still be met: the earliest of the treatable levels'
    ideal deadlines on or after E and all their 6-month deadlines."""
    if not treatable:
        return None
    target: date | None = None
    for _, ideal, latest in treatable:
        if ideal is not None and ideal >= earliest and (target is None or ideal < target):
            target = ideal
        if latest is not None and (target is None or latest < target):
            target = latest
    return target
