"""When an accepted referral may be booked, and what the booking takes.

Read from the radiologist's accept decision (levels, stay, anaesthesia) and the engine's dates on
the referral:

- earliest: no session before the medication plan and the anaesthesia consultation allow
  (``scheduling.plan``: the radiologist's plan, the option they chose or the engine's, under the
  current ruleset). A last dose on J−n may be taken today at the latest, so the earliest date is
  at least today + n (and never today itself); a day whose consultation deadline, moved to a
  working day, has passed is refused.
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

from clinic.dates import long_date
from eligibility.engine.evaluate import DURATION_MINUTES
from referrals.choices import DecisionKind, Status, Stay
from referrals.models import Decision, Referral
from scheduling.errors import NeedsConfirmation, NotBookable, TooEarly, TooLate
from scheduling.plan import (
    ANAESTHESIA_CONSULTATION,
    Plan,
    deadlines_passed,
    decision_plan,
    drug_label,
)

# How long to look ahead for sessions when no 6-month limit applies.
OPEN_HORIZON = timedelta(weeks=12)


def day_label(day: date) -> str:
    """« 3 décembre 2026 » in the active language (« 1er décembre 2026 »)."""
    return long_date(day)


def hold_reason(kind: str, days: int) -> str:
    """Why the procedure cannot be earlier, for the secretary: « dernière prise du dabigatran
    (Pradaxa) à J−5 », « consultation d'anesthésie au plus tard à J−2 »."""
    if kind == ANAESTHESIA_CONSULTATION:
        return _("consultation d’anesthésie au plus tard à J−%(days)d") % {"days": days}
    if kind and days:
        phrase = _("dernière prise : %(drug)s à J−%(days)d")
        return phrase % {"drug": drug_label(kind), "days": days}
    return _("délai minimal d’un jour avant le geste")


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
    medication_plan: Plan  # what the booking and the convocation follow (scheduling.plan)
    today: date
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

    @property
    def holds(self) -> dict[str, int]:
        """Drug or preparation -> n of its deadline J−n."""
        return self.medication_plan.holds()

    def consultation_too_late(self, day: date) -> bool:
        """True when a preparation for `day` (the anaesthesia consultation, moved to a working
        day) would have to happen before today: such a day is never offered."""
        return bool(deadlines_passed(self.medication_plan, day, today=self.today))

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
        if self.consultation_too_late(day):
            raise TooEarly(
                _(
                    "Trop tôt : pour un geste le %(day)s, la consultation d’anesthésie aurait dû "
                    "avoir lieu au plus tard le %(deadline)s (un jour ouvré). Choisissez une "
                    "séance plus tardive."
                )
                % {
                    "day": day_label(day),
                    "deadline": day_label(
                        deadlines_passed(self.medication_plan, day, today=self.today)[0].latest
                    ),
                }
            )
        if self.limit is not None and day > self.limit:
            raise TooLate(
                _(
                    "Trop tard : le %(day)s dépasse la limite de 6 mois après la fracture "
                    "(%(limit)s). Choisissez une séance plus tôt ou demandez l’avis du radiologue."
                )
                % {"day": day_label(day), "limit": day_label(self.limit)}
            )
        if not self.in_target(day) and not confirm_outside_ideal:
            if self.target is None:
                message = _(
                    "Aucune date cible n’est définie pour ce patient : cochez la case de "
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
            _("Aucune décision d’acceptation du radiologue n’est enregistrée pour cette demande.")
        )
    if referral.patient_id is None:
        raise NotBookable(_("Le patient n’est pas renseigné sur cette demande."))
    facts = _facts(decision)
    levels = tuple(decision.levels_to_treat or facts_levels(decision))
    if not levels:
        raise NotBookable(
            _("La décision ne précise pas les niveaux à traiter : demandez-les au radiologue.")
        )
    antithrombotics = tuple(facts.get("antithrombotics") or referral.antithrombotics or ())
    anaesthesia = decision.anaesthesia or facts.get("anaesthesia") or referral.anaesthesia
    plan = decision_plan(decision, today=today)
    largest_action, largest_days = plan.largest_hold()
    earliest = today + timedelta(days=max(1, largest_days))
    # The engine's E (from the evaluation date); the option's when the radiologist chose one.
    engine_earliest = (
        plan.option_earliest if plan.source == "option" else referral.earliest_procedure_date
    )
    if engine_earliest and engine_earliest > earliest:
        earliest = engine_earliest
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
        medication_plan=plan,
        today=today,
        earliest=earliest,
        earliest_reason=reason,
        target=plan.option_target if plan.source == "option" else referral.target_before,
        limit=limit,
    )


def facts_levels(decision: Decision) -> list[str]:
    """The engine's treatable levels, when the decision does not list its own."""
    procedure = (decision.engine_output or {}).get("procedure") or {}
    return list(procedure.get("levels_to_treat") or [])
