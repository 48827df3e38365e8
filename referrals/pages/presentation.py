"""How engine output and referral dates read on the radiologist's pages and in documents: labels in
the active language, badge colours, findings grouped by level, days left in a window.

Read-only helpers shared by views_radiology, the GP decision panel and reports.documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eligibility.adapter import engine_settings
from eligibility.engine import (
    ACTION_LABELS,
    EFFECT_LABELS,
    RULES_BY_ID,
    RULESET_VERSION,
    VERDICT_LABELS,
    EngineSettings,
    Rule,
    Scope,
    rules_for,
)
from referrals.choices import Verdict

# Bootstrap badge classes; contrast checked with Bootstrap's text-bg-* helpers.
VERDICT_BADGES: dict[str, str] = {
    Verdict.ELIGIBLE_IDEAL: "text-bg-success",
    Verdict.ELIGIBLE: "text-bg-primary",
    Verdict.NEEDS_REVIEW: "text-bg-warning",
    Verdict.INCOMPLETE: "text-bg-secondary",
    Verdict.SURGICAL_REFERRAL: "text-bg-dark",
    Verdict.NOT_ELIGIBLE: "text-bg-danger",
}
EFFECT_BADGES: dict[str, str] = {
    **VERDICT_BADGES,
    "info": "text-bg-light border",
    "action": "text-bg-info",
}


def _lang() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def verdict_label(verdict: str) -> str:
    labels = VERDICT_LABELS.get(verdict)
    return labels[_lang()] if labels else str(_("Non évalué"))


def effect_label(effect: str) -> str:
    labels = EFFECT_LABELS.get(effect)
    return labels[_lang()] if labels else effect


def action_label(action: str) -> str:
    labels = ACTION_LABELS.get(action)
    return labels[_lang()] if labels else action


@dataclass
class FindingGroup:
    """The findings about one level, or about the patient, or about medication."""

    title: str
    level: str | None = None
    verdict: str = ""
    fracture_age_days: int | None = None
    ideal_until: date | None = None
    latest_until: date | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict) if self.verdict else ""

    @property
    def badge(self) -> str:
        return VERDICT_BADGES.get(self.verdict, "text-bg-secondary")


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


@lru_cache(maxsize=4)
def _rules(settings: EngineSettings) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules_for(settings)}


def _message(finding: dict[str, Any], ruleset: str) -> str:
    """The finding's message in the active language. Snapshots store the French text; while the
    ruleset is the one running, its rule gives the same message in either language."""
    rule = _rules(engine_settings()).get(str(finding.get("rule", "")))
    if rule is None or ruleset != RULESET_VERSION:
        return str(finding.get("message", ""))
    return rule.message(_lang())


def _decorate(finding: dict[str, Any], ruleset: str = RULESET_VERSION) -> dict[str, Any]:
    effect = str(finding.get("effect", ""))
    return {
        **finding,
        "message": _message(finding, ruleset),
        "effect_label": effect_label(effect),
        "badge": EFFECT_BADGES.get(effect, "text-bg-secondary"),
        "action_labels": [action_label(a) for a in finding.get("actions") or []],
    }


def group_findings(output: dict[str, Any] | None) -> list[FindingGroup]:
    """Engine output → one group per level (spine order), then patient, then medication."""
    if not output:
        return []
    ruleset = str(output.get("ruleset", ""))
    groups: dict[str, FindingGroup] = {}
    for level in output.get("levels", []):
        name = level["level"]
        groups[name] = FindingGroup(
            title=str(_("Sacrum")) if name == "S" else name,
            level=name,
            verdict=level.get("verdict", ""),
            fracture_age_days=level.get("fracture_age_days"),
            ideal_until=_as_date(level.get("ideal_until")),
            latest_until=_as_date(level.get("latest_until")),
        )
    patient = FindingGroup(title=str(_("Patient")))
    medication = FindingGroup(title=str(_("Traitements et anesthésie")))
    for finding in output.get("findings", []):
        level = finding.get("level")
        if level and level in groups:
            groups[level].findings.append(_decorate(finding, ruleset))
            continue
        rule = RULES_BY_ID.get(finding.get("rule", ""))
        target = medication if rule is not None and rule.scope is Scope.MEDICATION else patient
        target.findings.append(_decorate(finding, ruleset))
    return [*groups.values(), *(g for g in (patient, medication) if g.findings)]


def rule_ids(output: dict[str, Any] | None) -> list[str]:
    return [f["rule"] for f in (output or {}).get("findings", [])]


@dataclass(frozen=True)
class Urgency:
    """Where a referral stands in its treatment windows on `today`."""

    window: str  # "ideal", "six_months", "over", "unknown"
    days_left: int | None

    @property
    def label(self) -> str:
        if self.window == "ideal":
            return str(_("délai idéal"))
        if self.window == "six_months":
            return str(_("délai de 6 mois"))
        if self.window == "over":
            return str(_("délais dépassés"))
        return str(_("date de fracture inconnue"))

    @property
    def badge(self) -> str:
        if self.window == "ideal":
            return "text-bg-danger" if (self.days_left or 0) <= 7 else "text-bg-warning"
        if self.window == "six_months":
            return "text-bg-info"
        return "text-bg-light border"


def urgency_of(*, ideal_until: date | None, latest_until: date | None, today: date) -> Urgency:
    if ideal_until is not None and ideal_until >= today:
        return Urgency("ideal", (ideal_until - today).days)
    if latest_until is not None and latest_until >= today:
        return Urgency("six_months", (latest_until - today).days)
    if ideal_until is None and latest_until is None:
        return Urgency("unknown", None)
    return Urgency("over", None)


def age_on(birth_date: date | None, today: date) -> int | None:
    """Whole years of age on `today`."""
    if birth_date is None:
        return None
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday
