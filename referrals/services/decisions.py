"""The radiologist's decisions: accept, decline, request information, redirect to surgery.

Each is a named transition (conventions § 5): it checks who decides and from which status, runs
the engine afresh on the referral's facts (stored as a snapshot, reason "decision"), records an
immutable Decision with the facts, engine output and ruleset version it was made on, supersedes the
decision in force, moves the referral's status, writes the timeline event and the GP's e-mail,
which the task queue sends once the transaction has committed (notifications/). See
docs/decisions.md for the reading of "against the engine".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from eligibility.adapter import evaluate_facts, facts_for_referral
from eligibility.engine import decision_to_dict, facts_to_dict
from referrals import workflow
from referrals.choices import (
    Anaesthesia,
    DecisionKind,
    Stay,
    TimelineAction,
    Verdict,
    level_position,
)
from referrals.models import Decision, Referral
from referrals.services.evaluation import referral_evaluate
from referrals.services.medication_plans import checked_plan, plan_changes
from referrals.services.timeline import log_event

# Verdicts under which the engine advises treating.
PROCEED_VERDICTS: Final = frozenset({Verdict.ELIGIBLE, Verdict.ELIGIBLE_IDEAL})


class _Unchecked(Enum):
    UNCHECKED = "unchecked"


UNCHECKED: Final = _Unchecked.UNCHECKED


@dataclass(frozen=True)
class EngineBasis:
    """What the engine says about the referral's facts today (in memory, nothing stored)."""

    verdict: str
    ruleset: str
    facts: dict[str, Any]
    output: dict[str, Any]

    @property
    def levels_to_treat(self) -> list[str]:
        return list(self.output.get("procedure", {}).get("levels_to_treat", []))

    @property
    def surgical_findings(self) -> list[dict[str, Any]]:
        return [f for f in self.output.get("findings", []) if f["effect"] == "surgical_referral"]


def engine_basis(referral: Referral, *, as_of: date) -> EngineBasis | None:
    """Evaluate the referral's stored facts on `as_of` without writing anything (for pages and
    forms); None when it has no level."""
    facts = facts_for_referral(referral, as_of=as_of)
    result = evaluate_facts(facts)
    if result is None:
        return None
    return EngineBasis(
        verdict=str(result.verdict),
        ruleset=result.ruleset,
        facts=facts_to_dict(facts),
        output=decision_to_dict(result, lang="fr"),
    )


def is_against_engine(
    *,
    kind: str,
    verdict: str,
    levels_to_treat: Iterable[str] = (),
    engine_levels: Collection[str] = (),
) -> bool:
    """Whether a decision goes against the engine's verdict and so needs a written justification.

    Accepting when the engine does not advise treating, or treating a level it did not retain;
    declining when it advises treating; redirecting to surgery when it did not advise surgery.
    Requesting information never goes against it."""
    if kind == DecisionKind.ACCEPT:
        return verdict not in PROCEED_VERDICTS or any(
            lv not in engine_levels for lv in levels_to_treat
        )
    if kind == DecisionKind.DECLINE:
        return verdict in PROCEED_VERDICTS
    if kind == DecisionKind.REDIRECT_SURGERY:
        return verdict != Verdict.SURGICAL_REFERRAL
    return False


def allowed_decisions(user: User, referral: Referral) -> list[str]:
    """The decisions `user` may take on the referral now, in the order of their buttons."""
    return [t.name for t in workflow.available(user, referral, workflow.DECISIONS)]


@transaction.atomic
def _decide(
    *,
    referral: Referral,
    kind: str,
    by: User,
    based_on: int | _Unchecked | None,
    justification: str,
    notify_gp: bool,
    **fields: Any,
) -> Decision:
    # The row lock serialises two radiologists deciding at once; the second sees the first's
    # decision and is told so (based_on) instead of silently superseding it.
    locked = workflow.lock(referral)
    workflow.check(referral=locked, name=kind, by=by)
    if based_on is not UNCHECKED and locked.current_decision_id != based_on:
        raise DomainError(
            _(
                "Une autre décision a été enregistrée sur cette demande pendant que vous la "
                "lisiez : relisez-la avant de décider."
            )
        )
    snapshot = referral_evaluate(referral=locked, reason="decision")
    if snapshot is None:
        raise DomainError(_("Cette demande ne comporte aucun niveau fracturé à évaluer."))
    engine_levels = snapshot.output.get("procedure", {}).get("levels_to_treat", [])
    option = fields.get("option", "")
    if option and option not in {o.get("id") for o in snapshot.output.get("options") or []}:
        raise DomainError(
            _(
                "Cette option n’est plus proposée par le moteur pour les données actuelles de la "
                "demande : relisez son avis et choisissez à nouveau."
            ),
            field="option",
        )
    justification = justification.strip()
    against = is_against_engine(
        kind=kind,
        verdict=snapshot.verdict,
        levels_to_treat=fields.get("levels_to_treat", ()),
        engine_levels=engine_levels,
    )
    if against and not justification:
        raise DomainError(
            _(
                "Votre décision s’écarte de l’avis du moteur (« %(verdict)s ») : expliquez "
                "pourquoi dans le champ justification."
            )
            % {"verdict": Verdict(snapshot.verdict).label},
            field="justification",
        )
    decision = Decision.objects.create(
        referral=locked,
        kind=kind,
        radiologist=by,
        decided_at=timezone.now(),
        supersedes=locked.current_decision,
        ruleset_version=snapshot.ruleset_version,
        engine_verdict=snapshot.verdict,
        facts=snapshot.facts,
        engine_output=snapshot.output,
        justification=justification,
        **fields,
    )
    workflow.apply_transition(
        referral=locked,
        name=kind,
        by=by,
        changes={"current_decision": decision},
        at=decision.decided_at,
        data={
            "decision_id": decision.pk,
            "engine_verdict": snapshot.verdict,
            "ruleset": snapshot.ruleset_version,
            "against_engine": against,
            "supersedes": decision.supersedes_id,
            "levels_to_treat": fields.get("levels_to_treat", []),
            **({"option": option} if option else {}),
            **({"plan_changed": True} if decision.medication_plan is not None else {}),
        },
    )
    if decision.medication_plan is not None:
        # The timeline says the plan was changed, how and why (the GP's letter says it too).
        log_event(
            referral=locked,
            action=TimelineAction.PLAN_CHANGED,
            actor=by,
            at=decision.decided_at,
            data={
                "decision_id": decision.pk,
                "reason": decision.plan_reason,
                "changes": plan_changes(
                    snapshot.output.get("medication_plan") or [], decision.medication_plan
                ),
            },
        )
    if notify_gp:
        # Written with the decision, sent by the queue once it commits (notifications/).
        from notifications.services.dispatch import notify_decision

        notify_decision(decision=decision)
    referral.refresh_from_db()
    return decision


def accept_referral(
    *,
    referral: Referral,
    by: User,
    levels_to_treat: list[str],
    stay: str,
    anaesthesia: str,
    message_to_gp: str = "",
    justification: str = "",
    option: str = "",
    medication_plan: list[dict[str, Any]] | None = None,
    plan_reason: str = "",
    based_on: int | _Unchecked | None = UNCHECKED,
    notify_gp: bool = True,
) -> Decision:
    """Accept the indication for `levels_to_treat` (spine levels of this referral).

    `option` is an option the engine lists (``continue_clopidogrel``): the booking window and the
    convocation then follow that option's medication plan (scheduling.plan). `medication_plan`
    is the radiologist's own plan (engine JSON entries, with `plan_reason`); None keeps the
    engine's (or the option's). The radiologist's plan is the one followed: it cannot be
    combined with an option."""
    known = set(referral.levels.values_list("level", flat=True))
    if not levels_to_treat or not set(levels_to_treat) <= known:
        raise DomainError(
            _("Cochez au moins un des niveaux fracturés de cette demande."), field="levels_to_treat"
        )
    if stay not in Stay.values:
        raise DomainError(_("Choisissez le type de séjour."), field="stay")
    if anaesthesia not in Anaesthesia.values:
        raise DomainError(_("Choisissez le type d’anesthésie."), field="anaesthesia")
    if medication_plan is not None:
        if option:
            raise DomainError(
                _(
                    "Vous avez modifié le plan médicamenteux : il remplace celui de l’option. "
                    "Choisissez ici le plan du moteur, ou annulez vos modifications du plan."
                ),
                field="option",
            )
        medication_plan = checked_plan(medication_plan, reason=plan_reason)
    return _decide(
        referral=referral,
        kind=DecisionKind.ACCEPT,
        by=by,
        based_on=based_on,
        justification=justification,
        notify_gp=notify_gp,
        levels_to_treat=sorted(levels_to_treat, key=level_position),
        stay=stay,
        anaesthesia=anaesthesia,
        message_to_gp=message_to_gp.strip(),
        option=option or "",
        medication_plan=medication_plan,
        plan_reason=plan_reason.strip() if medication_plan is not None else "",
    )


def decline_referral(
    *,
    referral: Referral,
    by: User,
    reason: str,
    message_to_gp: str = "",
    justification: str = "",
    based_on: int | _Unchecked | None = UNCHECKED,
    notify_gp: bool = True,
) -> Decision:
    """Decline the indication; the reason goes into the letter to the GP."""
    if not reason.strip():
        raise DomainError(_("Indiquez le motif du refus."), field="reason")
    return _decide(
        referral=referral,
        kind=DecisionKind.DECLINE,
        by=by,
        based_on=based_on,
        justification=justification,
        notify_gp=notify_gp,
        reason=reason.strip(),
        message_to_gp=message_to_gp.strip(),
    )


def request_information(
    *,
    referral: Referral,
    by: User,
    message_to_gp: str,
    based_on: int | _Unchecked | None = UNCHECKED,
    notify_gp: bool = True,
) -> Decision:
    """Ask the GP for what is missing; the referral waits for their resubmission."""
    if not message_to_gp.strip():
        raise DomainError(
            _("Écrivez au médecin ce qu’il doit préciser ou joindre."), field="message_to_gp"
        )
    return _decide(
        referral=referral,
        kind=DecisionKind.REQUEST_INFORMATION,
        by=by,
        based_on=based_on,
        justification="",
        notify_gp=notify_gp,
        message_to_gp=message_to_gp.strip(),
    )


def redirect_to_surgery(
    *,
    referral: Referral,
    by: User,
    reason: str,
    message_to_gp: str = "",
    justification: str = "",
    based_on: int | _Unchecked | None = UNCHECKED,
    notify_gp: bool = True,
) -> Decision:
    """Refer the patient for a surgical opinion (posterior arch involvement, neurological
    deficit…); the reason goes into the surgical referral letter."""
    if not reason.strip():
        raise DomainError(
            _("Indiquez le motif de l’orientation chirurgicale (il figure dans le courrier)."),
            field="reason",
        )
    return _decide(
        referral=referral,
        kind=DecisionKind.REDIRECT_SURGERY,
        by=by,
        based_on=based_on,
        justification=justification,
        notify_gp=notify_gp,
        reason=reason.strip(),
        message_to_gp=message_to_gp.strip(),
    )
