"""``evaluate(facts)``: run the rule table, combine the findings, derive dates and the procedure.

Everything that depends only on the settings (rendered findings, hold days, window lengths) is
compiled once per settings object, so an evaluation allocates little more than its result.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from .facts import LEVEL_INDEX, LEVELS, LevelFacts, ReferralFacts, Verdict
from .labels import ACT_ONE_OR_TWO, ACT_THREE_OR_MORE
from .rulebase import Rule, Scope, is_english
from .rules import RULESET_VERSION, rules_for
from .settings import DEFAULT_SETTINGS, EngineSettings

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
# A treatable level: (level, ideal_until, latest_until); its dates are known, or it would be
# incomplete, but the type cannot say so.
_Treatable = tuple[str, date | None, date | None]


# The results are NamedTuples rather than frozen dataclasses: just as immutable and equal by
# value, but about four times cheaper to build, and building them was a third of an evaluation.
# Serialise with io.decision_to_dict, not json.dumps (which would write bare lists).


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
    fracture_age_days: int | None
    ideal_until: date | None
    latest_until: date | None


class Hold(NamedTuple):
    """Days before the procedure an action must happen; ``dict(decision.holds)`` works."""

    action: str
    days: int

    def stop_on(self, procedure_date: date) -> date:
        return procedure_date - timedelta(days=self.days)


class Procedure(NamedTuple):
    levels_to_treat: tuple[str, ...]  # spine order
    duration_minutes: int | None  # capped at 90 (see docs/eligibility.md)
    act_label: str | None


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


def _finding(rule: Rule, level: str | None, actions: tuple[str, ...]) -> Finding:
    return Finding(
        rule.id, level, rule.effect, rule.message_fr, rule.message_en, rule.source, actions
    )


class _Compiled:
    """The rule table prepared for one settings object."""

    __slots__ = ("delays", "ideal", "latest", "level_rules", "other_rules", "settings", "variants")

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.ideal = timedelta(days=settings.ideal_window_days)
        self.latest = timedelta(days=settings.latest_window_days)
        self.variants: dict[tuple[int, tuple[str, ...]], Finding] = {}
        level_rules = []
        other_rules = []
        holds: list[Hold] = []
        for index, rule in enumerate(rules_for(settings)):
            rank = _RANK.get(rule.effect, _NOTHING)
            if rule.scope is Scope.LEVEL:
                by_level = {name: _finding(rule, name, rule.actions) for name in LEVELS}
                level_rules.append((rule.function, by_level, rank))
            else:
                days = rule.hold_days(settings)
                hold = Hold(rule.actions[0], days) if days else None
                if hold is not None:
                    holds.append(hold)
                other_rules.append((rule.function, _finding(rule, None, rule.actions), rank, hold,
                                    index, rule))  # fmt: skip
        # earliest_procedure_date = as_of + max(1, largest hold): one timedelta per hold value.
        self.delays = {d: timedelta(days=max(1, d)) for d in (0, *(h.days for h in holds))}
        self.level_rules = tuple(level_rules)
        self.other_rules = tuple(other_rules)

    def variant(self, index: int, rule: Rule, actions: tuple[str, ...]) -> Finding:
        """The finding of a rule whose actions depend on the facts (B-IMAGING)."""
        key = (index, actions)
        found = self.variants.get(key)
        if found is None:
            found = self.variants[key] = _finding(rule, None, actions)
        return found


_by_identity: dict[int, tuple[EngineSettings, _Compiled]] = {}
_by_value: dict[EngineSettings, _Compiled] = {}


def _compile(settings: EngineSettings) -> _Compiled:
    # Identity first: hashing an 11-field dataclass on every call would cost more than the rules.
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
    as_of = facts.as_of
    levels = facts.levels
    if len(levels) > 1:
        levels = tuple(sorted(levels, key=_spine_order))

    findings: list[Finding] = []
    actions: dict[str, None] = {}  # an ordered set
    level_decisions: list[LevelDecision] = []
    treatable: list[_Treatable] = []
    all_ideal = True
    level_ranks = 0  # bit set of the level verdicts seen
    for lv in levels:
        name = lv.level
        fracture_date = lv.fracture_date
        if fracture_date is None:
            age = ideal_until = latest_until = None
        else:
            age = (as_of - fracture_date).days
            ideal_until = fracture_date + table.ideal
            latest_until = fracture_date + table.latest
        worst = _NOTHING
        for function, by_level, rank in table.level_rules:
            if function(lv, age, facts, settings):
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
        level_decisions.append(LevelDecision(name, SEVERITY[worst], age, ideal_until, latest_until))

    patient_ranks = 0
    holds: list[Hold] = []
    largest_hold = 0
    treatable_count = len(treatable)
    for function, finding, rank, hold, index, rule in table.other_rules:
        applies = function(facts, settings, treatable_count)
        if applies is not True:
            if applies is False or not applies:
                continue
            finding = table.variant(index, rule, applies)
        findings.append(finding)
        if finding.actions:
            actions.update(dict.fromkeys(finding.actions))
        if rank != _NOTHING:
            patient_ranks |= 1 << rank
        if hold is not None:
            holds.append(hold)
            if hold.days > largest_hold:
                largest_hold = hold.days

    verdict = _overall(patient_ranks, level_ranks, bool(treatable), all_ideal)
    earliest = as_of + table.delays[largest_hold]
    return Decision(
        RULESET_VERSION,
        as_of,
        verdict,
        tuple(level_decisions),
        tuple(findings),
        tuple(actions),
        tuple(holds),
        _procedure(treatable),
        earliest,
        _target_before(treatable, earliest),
    )


def _overall(patient: int, levels: int, any_treatable: bool, all_ideal: bool) -> Verdict:
    """The ordered steps of "Combining findings"; ``patient``/``levels`` are rank bit sets."""
    either = patient | levels
    if patient & (1 << _NOT):
        return SEVERITY[_NOT]
    if either & (1 << _SURGICAL):
        return SEVERITY[_SURGICAL]
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
