"""When an accepted referral may be booked, and what the booking takes.

Read from the radiologist's accept decision (levels, stay, anaesthesia) and the engine's dates on
the referral:

- earliest: no session before the medication holds and the anaesthesia consultation allow. The
  holds count from the day the patient gets the convocation, so the earliest date is also at least
  today + the largest hold (and never today itself).
- target: ``Referral.target_before`` (the end of the ideal 3-week window when it can still be met,
  else the 6-month limit). A session after it needs the secretary's explicit confirmation.
- limit: ``Referral.latest_until`` (6 months after the fracture); later is refused, unless the
  radiologist accepted past it (an override the engine allows for): then no limit applies, and a
  session past the target still needs the confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.dates import long_date
from eligibility.adapter import engine_settings
from eligibility.engine.evaluate import DURATION_MINUTES
from referrals.choices import Anaesthesia, DecisionKind, Status, Stay
from referrals.models import Decision, Referral
from scheduling.errors import NeedsConfirmation, NotBookable, TooEarly, TooLate

# Which engine hold each antithrombotic produces, and the setting that gives its days.
DRUG_HOLDS: dict[str, tuple[str, str]] = {
    "vka": ("vka_stop_bridging", "vka_hold_days"),
    "aspirin": ("aspirin_continue", "aspirin_hold_days"),
    "clopidogrel": ("clopidogrel_stop", "clopidogrel_hold_days"),
    "prasugrel": ("prasugrel_stop", "prasugrel_hold_days"),
    "ticagrelor": ("ticagrelor_stop", "ticagrelor_hold_days"),
    "doac": ("doac_hold", "doac_hold_days"),
    "lmwh": ("lmwh_hold", "lmwh_hold_days"),
}
ANAESTHESIA_HOLD = ("anaesthesia_consultation", "anaesthesia_consultation_days")
# How long to look ahead for sessions when no 6-month limit applies.
OPEN_HORIZON = timedelta(weeks=12)


def day_label(day: date) -> str:
    """« 3 décembre 2026 » in the active language (« 1er décembre 2026 »)."""
    return long_date(day)


def hold_reason(action: str, days: int) -> str:
    """Why the procedure cannot be earlier, for the secretary: « arrêt de l'AVK 5 jours avant »."""
    phrases = {
        "vka_stop_bridging": ngettext(
            "arrêt de l'AVK %(days)d jour avant le geste, avec relais héparine",
            "arrêt de l'AVK %(days)d jours avant le geste, avec relais héparine",
            days,
        ),
        "clopidogrel_stop": ngettext(
            "arrêt du clopidogrel (Plavix) %(days)d jour avant le geste",
            "arrêt du clopidogrel (Plavix) %(days)d jours avant le geste",
            days,
        ),
        "prasugrel_stop": ngettext(
            "arrêt du prasugrel (Efient) %(days)d jour avant le geste",
            "arrêt du prasugrel (Efient) %(days)d jours avant le geste",
            days,
        ),
        "ticagrelor_stop": ngettext(
            "arrêt du ticagrélor (Brilique) %(days)d jour avant le geste",
            "arrêt du ticagrélor (Brilique) %(days)d jours avant le geste",
            days,
        ),
        "doac_hold": ngettext(
            "dernière prise de l'anticoagulant oral direct %(days)d jour avant le geste",
            "dernière prise de l'anticoagulant oral direct %(days)d jours avant le geste",
            days,
        ),
        "lmwh_hold": ngettext(
            "dernière injection d'HBPM %(days)d jour avant le geste",
            "dernière injection d'HBPM %(days)d jours avant le geste",
            days,
        ),
        "anaesthesia_consultation": ngettext(
            "consultation d'anesthésie au moins %(days)d jour avant le geste",
            "consultation d'anesthésie au moins %(days)d jours avant le geste",
            days,
        ),
    }
    phrase = phrases.get(action)
    if phrase is None:
        return _("délai minimal d'un jour avant le geste")
    return phrase % {"days": days}


@dataclass(frozen=True)
class BookingPlan:
    """What booking this referral takes and the dates it must respect."""

    referral: Referral
    decision: Decision
    levels: tuple[str, ...]
    minutes: int
    stay: str
    anaesthesia: str
    antithrombotics: tuple[str, ...]
    holds: dict[str, int]  # action -> days before the procedure
    earliest: date
    earliest_reason: str
    target: date | None
    limit: date | None

    @property
    def target_is_ideal_window(self) -> bool:
        """True when the target is the end of the ideal 3-week window (not the 6-month limit)."""
        return self.target is not None and self.target == self.referral.ideal_until

    @property
    def horizon(self) -> date:
        """The last day worth proposing."""
        return self.limit or max(self.earliest, self.target or self.earliest) + OPEN_HORIZON

    def in_target(self, day: date) -> bool:
        return self.target is not None and day <= self.target

    def check(self, day: date, *, confirm_outside_ideal: bool) -> None:
        """Refuse a day before the holds or past the limit; ask for confirmation past the
        target."""
        if day < self.earliest:
            raise TooEarly(
                _(
                    "Trop tôt : le geste ne peut pas avoir lieu avant le %(earliest)s "
                    "(%(reason)s). Choisissez une séance à partir de cette date."
                )
                % {"earliest": day_label(self.earliest), "reason": self.earliest_reason}
            )
        if self.limit is not None and day > self.limit:
            raise TooLate(
                _(
                    "Trop tard : le %(day)s dépasse la limite de 6 mois après la fracture "
                    "(%(limit)s). Choisissez une séance plus tôt ou demandez l'avis du radiologue."
                )
                % {"day": day_label(day), "limit": day_label(self.limit)}
            )
        if not self.in_target(day) and not confirm_outside_ideal:
            if self.target is None:
                message = _(
                    "Aucune date cible n'est définie pour ce patient : cochez la case de "
                    "confirmation pour programmer le %(day)s."
                ) % {"day": day_label(day)}
            else:
                message = _(
                    "Le %(day)s est après la date cible (à traiter avant le %(target)s) : "
                    "cochez la case de confirmation pour programmer quand même."
                ) % {"day": day_label(day), "target": day_label(self.target)}
            raise NeedsConfirmation(message)


def procedure_minutes(level_count: int) -> int:
    """30, 60 or 90 minutes for 1, 2, 3+ levels (brochure: up to 1 h 30)."""
    if level_count < 1:
        raise ValueError("a procedure treats at least one level")
    return DURATION_MINUTES[min(level_count, len(DURATION_MINUTES)) - 1]


def decision_holds(
    decision: Decision, antithrombotics: tuple[str, ...], anaesthesia: str
) -> dict[str, int]:
    """The holds of this decision: the engine's stored values, completed from the clinic's settings
    (and the radiologist's choice of anaesthesia, which may differ from the GP's request)."""
    stored: dict[str, int] = {
        h["action"]: int(h["days"])
        for h in (decision.engine_output or {}).get("holds", [])
        if isinstance(h, dict) and "action" in h and "days" in h
    }
    settings = engine_settings()
    holds: dict[str, int] = {}
    for drug in antithrombotics:
        if drug in DRUG_HOLDS:
            action, setting = DRUG_HOLDS[drug]
            holds[action] = stored.get(action, getattr(settings, setting))
    if anaesthesia in (Anaesthesia.GENERAL, Anaesthesia.SEDATION):
        action, setting = ANAESTHESIA_HOLD
        holds[action] = stored.get(action, getattr(settings, setting))
    return holds


def _facts(decision: Decision) -> dict[str, Any]:
    return decision.facts if isinstance(decision.facts, dict) else {}


def plan_for(
    referral: Referral, *, today: date | None = None, rescheduling: bool = False
) -> BookingPlan:
    """The booking plan of an accepted referral (or of a scheduled one being moved);
    NotBookable says why there is none."""
    today = today or timezone.localdate()
    if referral.status != (Status.SCHEDULED if rescheduling else Status.ACCEPTED):
        raise NotBookable(
            _(
                "Cette demande ne peut pas être programmée : elle est « %(status)s ». Seule une "
                "indication acceptée par le radiologue se programme."
            )
            % {"status": referral.get_status_display()}
        )
    decision = referral.current_decision
    if decision is None or decision.kind != DecisionKind.ACCEPT:
        raise NotBookable(
            _("Aucune décision d'acceptation du radiologue n'est enregistrée pour cette demande.")
        )
    if referral.patient_id is None:
        raise NotBookable(_("Le patient n'est pas renseigné sur cette demande."))
    facts = _facts(decision)
    levels = tuple(decision.levels_to_treat or facts_levels(decision))
    if not levels:
        raise NotBookable(
            _("La décision ne précise pas les niveaux à traiter : demandez-les au radiologue.")
        )
    antithrombotics = tuple(facts.get("antithrombotics") or referral.antithrombotics or ())
    anaesthesia = decision.anaesthesia or facts.get("anaesthesia") or referral.anaesthesia
    holds = decision_holds(decision, antithrombotics, anaesthesia)
    largest_action, largest_days = max(holds.items(), key=lambda item: item[1], default=("", 0))
    earliest = today + timedelta(days=max(1, largest_days))
    if referral.earliest_procedure_date and referral.earliest_procedure_date > earliest:
        earliest = referral.earliest_procedure_date
    reason = hold_reason(largest_action, largest_days) if largest_days else hold_reason("", 0)
    limit = referral.latest_until
    if limit is not None and limit < timezone.localtime(decision.decided_at).date():
        limit = None  # the radiologist accepted past the 6-month limit
    return BookingPlan(
        referral=referral,
        decision=decision,
        levels=levels,
        minutes=procedure_minutes(len(levels)),
        stay=decision.stay or Stay.DAY_HOSPITAL,
        anaesthesia=anaesthesia,
        antithrombotics=antithrombotics,
        holds=holds,
        earliest=earliest,
        earliest_reason=reason,
        target=referral.target_before,
        limit=limit,
    )


def facts_levels(decision: Decision) -> list[str]:
    """The engine's treatable levels, when the decision does not list its own."""
    procedure = (decision.engine_output or {}).get("procedure") or {}
    return list(procedure.get("levels_to_treat") or [])
