"""The medication plan and preparation a booking follows, and their dates for one procedure day.

The engine states each hold relative to the procedure day J (last dose J−6, resume J+1, INR on
J−1, anaesthesia consultation by J−2) and knows no calendar. This module is the one place that
turns those days into dates (docs/clinical-rules.md, « Output: decision »):

- the plan is the radiologist's when they changed it, else the option they chose
  (``continue_clopidogrel``), else the engine's;
- a decision made under another ruleset is evaluated again on its stored facts under the current
  one: its stored holds are never read (2026.1's DOAC « 2 days » allowed a last dose one day late);
- a check (the INR) or the anaesthesia consultation falling on a day that is not a working day
  (Monday–Friday, not a public holiday, « The procedure ») moves to the last working day before
  it: the INR of J−1 for a Tuesday after Easter Monday is taken on the Friday.

Every date a convocation, a letter or the booking page shows comes from ``dated_plan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from eligibility.adapter import engine_settings
from eligibility.engine import (
    DRUG_LABELS,
    PREPARATION_LABELS,
    RULESET_VERSION,
    Anaesthesia,
    FactsError,
    decision_to_dict,
    evaluate,
    facts_from_dict,
)
from eligibility.engine.rulebase import is_english
from scheduling.public_holidays import holiday_name

if TYPE_CHECKING:
    from referrals.models import Decision

ANAESTHESIA_CONSULTATION = "anaesthesia_consultation"
ANAESTHESIA_UNDER_CARE = (Anaesthesia.GENERAL.value, Anaesthesia.SEDATION.value)


@dataclass(frozen=True)
class Plan:
    """What a booking follows: plan entries and preparation, relative to J (engine JSON)."""

    medication: tuple[dict[str, Any], ...]
    preparation: tuple[dict[str, Any], ...]
    source: str  # "engine", "option", "radiologist" or "recomputed"
    ruleset: str
    # The chosen option's dates (evaluated when the radiologist decided); None otherwise.
    option_earliest: date | None = None
    option_target: date | None = None

    def holds(self) -> dict[str, int]:
        """Days before J each drug's last dose or each preparation must happen (n of J−n)."""
        found: dict[str, int] = {}
        for entry in self.medication:
            found[entry["drug"]] = max(found.get(entry["drug"], 0), -int(entry["last_dose_day"]))
        for prep in self.preparation:
            found[prep["kind"]] = max(found.get(prep["kind"], 0), -int(prep["latest_day"]))
        return found

    def largest_hold(self) -> tuple[str, int]:
        """The drug or preparation that sets the earliest day, and its n (0 when none)."""
        return max(self.holds().items(), key=lambda item: item[1], default=("", 0))


def is_working_day(day: date) -> bool:
    """Monday–Friday and not a public holiday: when a consultation or a check can take place."""
    return day.weekday() < 5 and holiday_name(day) is None


def last_working_day(day: date) -> date:
    """`day`, or the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _current_output(decision: Decision, *, today: date) -> dict[str, Any]:
    """The engine's output for the decision's facts under the current ruleset, as of today."""
    facts = dict(decision.facts) if isinstance(decision.facts, dict) else {}
    facts.pop("as_of", None)
    try:
        parsed = facts_from_dict(facts, today=today)
    except FactsError:
        # Facts stored by an older version that no longer parse (a fracture date typed after the
        # evaluation date cannot happen; kept for safety): the longest holds of every drug.
        parsed = None
    if parsed is None:
        return {"medication_plan": [], "preparation": []}
    return decision_to_dict(evaluate(parsed, engine_settings()), lang="fr")


def _preparation(
    output: dict[str, Any], decision: Decision, facts: dict[str, Any]
) -> tuple[dict[str, Any], ...]:
    """The engine's preparation, following the anaesthesia the radiologist chose: a consultation
    when they chose general anaesthesia or sedation, none when they chose local anaesthesia and
    only the GP's request (B-ANAESTHESIA) asked for one (G-PRONE still asks)."""
    preparation = [dict(p) for p in output.get("preparation") or [] if isinstance(p, dict)]
    chosen = decision.anaesthesia or facts.get("anaesthesia") or Anaesthesia.LOCAL.value
    has_consultation = any(p.get("kind") == ANAESTHESIA_CONSULTATION for p in preparation)
    prone = any(f.get("rule") == "G-PRONE" for f in output.get("findings") or [])
    if chosen in ANAESTHESIA_UNDER_CARE and not has_consultation:
        days = engine_settings().anaesthesia_consultation_days
        preparation.append({"kind": ANAESTHESIA_CONSULTATION, "latest_day": -days})
    elif chosen not in ANAESTHESIA_UNDER_CARE and has_consultation and not prone:
        preparation = [p for p in preparation if p.get("kind") != ANAESTHESIA_CONSULTATION]
    return tuple(preparation)


def decision_plan(decision: Decision, *, today: date) -> Plan:
    """The plan the booking of this accept decision follows (see the module's docstring)."""
    facts: dict[str, Any] = decision.facts if isinstance(decision.facts, dict) else {}
    stored = decision.engine_output
    output: dict[str, Any] = stored if isinstance(stored, dict) else {}
    source = "engine"
    if output.get("ruleset") != RULESET_VERSION or "medication_plan" not in output:
        output = _current_output(decision, today=today)
        source = "recomputed"
    medication = [dict(e) for e in output.get("medication_plan") or []]
    option_earliest = option_target = None
    if decision.option:
        for candidate in output.get("options") or []:
            if candidate.get("id") == decision.option:
                medication = [dict(e) for e in candidate.get("medication_plan") or []]
                source = "option"
                option_earliest = _as_date(candidate.get("earliest_procedure_date"))
                option_target = _as_date(candidate.get("target_before"))
    if isinstance(decision.medication_plan, list):
        medication = [dict(e) for e in decision.medication_plan]
        source = "radiologist"
    return Plan(
        medication=tuple(medication),
        preparation=_preparation(output, decision, facts),
        source=source,
        ruleset=str(output.get("ruleset") or RULESET_VERSION),
        option_earliest=option_earliest,
        option_target=option_target,
    )


def _as_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(frozen=True)
class DatedEntry:
    """One plan entry with its dates for a procedure day."""

    drug: str
    label: str
    rule: str
    last_dose_day: int
    last_dose: date
    last_dose_time: str | None
    resume_day: int
    resume: date
    resume_time: str | None
    optional: bool
    inr_check: date | None = None
    inr_max: float | None = None
    # The day the INR check was due (J−1) when it was not a working day and moved.
    inr_moved_from: date | None = None


@dataclass(frozen=True)
class DatedPreparation:
    kind: str
    label: str
    latest_day: int
    latest: date  # the working day it must happen on at the latest


def drug_label(drug: str, lang: str = "fr") -> str:
    labels = DRUG_LABELS.get(drug)
    if labels is None:
        return drug
    return labels["en" if is_english(lang) else "fr"]


def preparation_label(kind: str, lang: str = "fr") -> str:
    labels = PREPARATION_LABELS.get(kind)
    if labels is None:
        return kind
    return labels["en" if is_english(lang) else "fr"]


def dated_entries(
    medication: tuple[dict[str, Any], ...] | list[dict[str, Any]], procedure_day: date
) -> list[DatedEntry]:
    """The plan's entries with their dates; the INR check moved to a working day."""
    entries = []
    for e in medication:
        last_dose_day = int(e["last_dose_day"])
        resume_day = int(e.get("resume_day") or 1)
        inr_check = inr_due = None
        if e.get("inr_check_day") is not None:
            inr_due = procedure_day + timedelta(days=int(e["inr_check_day"]))
            inr_check = last_working_day(inr_due)
        entries.append(
            DatedEntry(
                drug=str(e["drug"]),
                label=drug_label(str(e["drug"])),
                rule=str(e.get("rule") or ""),
                last_dose_day=last_dose_day,
                last_dose=procedure_day + timedelta(days=last_dose_day),
                last_dose_time=e.get("last_dose_time"),
                resume_day=resume_day,
                resume=procedure_day + timedelta(days=resume_day),
                resume_time=e.get("resume_time"),
                optional=bool(e.get("optional")),
                inr_check=inr_check,
                inr_max=e.get("inr_max"),
                inr_moved_from=inr_due if inr_due != inr_check else None,
            )
        )
    return entries


def dated_preparation(
    preparation: tuple[dict[str, Any], ...] | list[dict[str, Any]], procedure_day: date
) -> list[DatedPreparation]:
    return [
        DatedPreparation(
            kind=str(p["kind"]),
            label=preparation_label(str(p["kind"])),
            latest_day=int(p["latest_day"]),
            latest=last_working_day(procedure_day + timedelta(days=int(p["latest_day"]))),
        )
        for p in preparation
    ]


def deadlines_passed(plan: Plan, procedure_day: date, *, today: date) -> list[DatedPreparation]:
    """The preparations that could no longer happen in time for `procedure_day` (their deadline,
    moved to a working day, is before today)."""
    return [p for p in dated_preparation(plan.preparation, procedure_day) if p.latest < today]


def plan_lines(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A medication plan (engine JSON) for a document: the drug, J−n of its last dose, J+n of
    its resume, whether it may be continued, the INR check. Days only: a date is set by the
    booking (scheduling.plan), never here."""
    return [
        {
            "drug": drug_label(str(e.get("drug"))),
            "last_dose_day": -int(e.get("last_dose_day") or 0),
            "last_dose_time": e.get("last_dose_time"),
            "resume_day": int(e.get("resume_day") or 0),
            "resume_time": e.get("resume_time"),
            "optional": bool(e.get("optional")),
            "inr_check_day": -int(e["inr_check_day"]) if e.get("inr_check_day") else None,
            "inr_max": f"{e['inr_max']:g}".replace(".", ",") if e.get("inr_max") else None,
        }
        for e in plan
        if isinstance(e, dict) and "last_dose_day" in e
    ]


# --- The dates a convocation prints, to tell when one must be sent again -----------------------

# 2026.1 stored holds as {"action", "days"}, and its convocation printed the procedure day minus
# those days for each drug (« à partir du … », « dernière dose le … »), with its defaults when the
# decision did not store one.
LEGACY_HOLDS: dict[str, tuple[str, int]] = {
    "vka": ("vka_stop_bridging", 5),
    "clopidogrel": ("clopidogrel_stop", 5),
    "prasugrel": ("prasugrel_stop", 7),
    "ticagrelor": ("ticagrelor_stop", 5),
    "doac": ("doac_hold", 2),
    "lmwh": ("lmwh_hold", 1),
}


def plan_dates(plan: Plan, procedure_day: date) -> dict[str, str]:
    """Every date of the plan a convocation prints, by what it is (``last_dose:<drug>``,
    ``resume:<drug>``, ``inr_check:<drug>``, ``preparation:<kind>``), as ISO dates."""
    found: dict[str, str] = {}
    for entry in dated_entries(plan.medication, procedure_day):
        found[f"last_dose:{entry.drug}"] = entry.last_dose.isoformat()
        found[f"resume:{entry.drug}"] = entry.resume.isoformat()
        if entry.inr_check is not None:
            found[f"inr_check:{entry.drug}"] = entry.inr_check.isoformat()
    for prep in dated_preparation(plan.preparation, procedure_day):
        found[f"preparation:{prep.kind}"] = prep.latest.isoformat()
    return found


def legacy_dates(decision: Decision, procedure_day: date) -> dict[str, str]:
    """The dates a convocation printed for a decision made under 2026.1 (its stored holds):
    last doses and the anaesthesia consultation only (it printed no resume or INR date)."""
    output = decision.engine_output if isinstance(decision.engine_output, dict) else {}
    stored = {
        str(h["action"]): int(h["days"])
        for h in output.get("holds") or []
        if isinstance(h, dict) and "action" in h and "days" in h
    }
    facts = decision.facts if isinstance(decision.facts, dict) else {}
    found: dict[str, str] = {}
    for drug in facts.get("antithrombotics") or []:
        if drug in LEGACY_HOLDS:
            action, default = LEGACY_HOLDS[drug]
            day = procedure_day - timedelta(days=stored.get(action, default))
            found[f"last_dose:{drug}"] = day.isoformat()
    anaesthesia = decision.anaesthesia or facts.get("anaesthesia")
    if anaesthesia in ANAESTHESIA_UNDER_CARE:
        days = stored.get(ANAESTHESIA_CONSULTATION, 2)
        found[f"preparation:{ANAESTHESIA_CONSULTATION}"] = (
            procedure_day - timedelta(days=days)
        ).isoformat()
    return found


def changed_dates(old: dict[str, str], new: dict[str, str]) -> list[dict[str, str | None]]:
    """The dates a convocation printed (`old`) that the plan no longer gives (`new`), and the
    last doses or preparations it did not print at all. Kinds of date the old convocation did
    not print (2026.1 printed no resume day) are not compared."""
    kinds = {key.split(":", 1)[0] for key in old} | {"last_dose", "preparation"}
    keys = sorted(k for k in old.keys() | new.keys() if k.split(":", 1)[0] in kinds)
    return [
        {"what": key, "old": old.get(key), "new": new.get(key)}
        for key in keys
        if old.get(key) != new.get(key)
    ]


def date_label(what: str) -> str:
    """« Dernière prise : Dabigatran (Pradaxa) » for ``last_dose:dabigatran``, in the active
    language."""
    kind, _sep, name = what.partition(":")
    if kind == "preparation":
        return preparation_label(name, get_language() or "fr")
    phrases = {
        "last_dose": _("Dernière prise : %(drug)s"),
        "resume": _("Reprise : %(drug)s"),
        "inr_check": _("Contrôle de l’INR : %(drug)s"),
    }
    return phrases.get(kind, "%(drug)s") % {"drug": drug_label(name, get_language() or "fr")}
