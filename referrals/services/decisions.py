"""The radiologist's decisions: accept, decline, request information, redirect to surgery.

Each is a named transition (conventions § 5): it checks who decides and from which status, runs
the engine afresh on the referral's facts (stored as a snapshot, reason "decision"), records an
immutable Decision with the facts, engine output and ruleset version it was made on, supersedes the
decision in force, moves the referral's status, writes the timeline event, and e-mails the GP once
the transaction has committed. See docs/decisions.md for the reading of "against the engine".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import partial
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import User
from eligibility.adapter import evaluate_facts, facts_for_referral
from eligibility.engine import decision_to_dict, facts_to_dict
from referrals.access import may
from referrals.choices import Anaesthesia, DecisionKind, Status, Stay, Verdict, level_position
from referrals.models import Decision, Referral
from referrals.services.evaluation import referral_evaluate
from referrals.services.timeline import log_event

# Verdicts under which the engine advises treating.
PROCEED_VERDICTS: Final = frozenset({Verdict.ELIGIBLE, Verdict.ELIGIBLE_IDEAL})

# From which statuses each decision may be taken. A draft was never sent; a scheduled referral
# has a booking that must be cancelled first; done and cancelled referrals are closed.
ALLOWED_FROM: Final[dict[str, frozenset[str]]] = {
    DecisionKind.ACCEPT: frozenset(
        {Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED, Status.DECLINED, Status.SURGERY}
    ),
    DecisionKind.DECLINE: frozenset(
        {Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED, Status.SURGERY}
    ),
    DecisionKind.REQUEST_INFORMATION: frozenset(
        {Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED}
    ),
    DecisionKind.REDIRECT_SURGERY: frozenset(
        {Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED, Status.DECLINED}
    ),
}
TARGET_STATUS: Final[dict[str, str]] = {
    DecisionKind.ACCEPT: Status.ACCEPTED,
    DecisionKind.DECLINE: Status.DECLINED,
    DecisionKind.REQUEST_INFORMATION: Status.INFO_REQUESTED,
    DecisionKind.REDIRECT_SURGERY: Status.SURGERY,
}
EVENTS: Final[dict[str, str]] = {
    DecisionKind.ACCEPT: "referral.accepted",
    DecisionKind.DECLINE: "referral.declined",
    DecisionKind.REQUEST_INFORMATION: "referral.information_requested",
    DecisionKind.REDIRECT_SURGERY: "referral.redirected_to_surgery",
}


class DecisionError(Exception):
    """A decision that cannot be recorded. `message` is French, for the user; `field` names the
    form field at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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


def transition_refusal(referral: Referral, kind: str) -> str | None:
    """Why `kind` cannot be decided from the referral's status (French), or None if it can."""
    if referral.status in ALLOWED_FROM[kind]:
        return None
    if referral.status == Status.DRAFT:
        return _("Cette demande n'a pas encore été adressée par le médecin.")
    if referral.status == Status.SCHEDULED:
        return _(
            "Cette demande est programmée : annulez d'abord le rendez-vous (secrétariat) avant "
            "de changer la décision."
        )
    if referral.status in (Status.DONE, Status.CANCELLED):
        return _("Cette demande est close (%(status)s) : aucune décision n'est plus possible.") % {
            "status": referral.get_status_display()
        }
    return _("La demande est déjà dans l'état « %(status)s ».") % {
        "status": referral.get_status_display()
    }


def allowed_decisions(referral: Referral) -> list[str]:
    return [kind for kind in ALLOWED_FROM if transition_refusal(referral, kind) is None]


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
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not by.is_radiologist:
        raise PermissionDenied
    refusal = transition_refusal(locked, kind)
    if refusal:
        raise DecisionError(refusal)
    if not may(by, "referrals.decide_referral", locked):  # the same rule the views ask
        raise PermissionDenied
    if based_on is not UNCHECKED and locked.current_decision_id != based_on:
        raise DecisionError(
            _(
                "Une autre décision a été enregistrée sur cette demande pendant que vous la "
                "lisiez : relisez-la avant de décider."
            )
        )
    snapshot = referral_evaluate(referral=locked, reason="decision")
    if snapshot is None:
        raise DecisionError(_("Cette demande ne comporte aucun niveau fracturé à évaluer."))
    engine_levels = snapshot.output.get("procedure", {}).get("levels_to_treat", [])
    justification = justification.strip()
    against = is_against_engine(
        kind=kind,
        verdict=snapshot.verdict,
        levels_to_treat=fields.get("levels_to_treat", ()),
        engine_levels=engine_levels,
    )
    if against and not justification:
        raise DecisionError(
            _(
                "Votre décision s'écarte de l'avis du moteur (« %(verdict)s ») : expliquez "
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
    locked.status = TARGET_STATUS[kind]
    locked.current_decision = decision
    locked.save(update_fields=["status", "current_decision", "updated_at"])
    log_event(
        referral=locked,
        action=EVENTS[kind],
        actor=by,
        at=decision.decided_at,
        data={
            "decision_id": decision.pk,
            "engine_verdict": snapshot.verdict,
            "ruleset": snapshot.ruleset_version,
            "against_engine": against,
            "supersedes": decision.supersedes_id,
            "levels_to_treat": fields.get("levels_to_treat", []),
        },
    )
    if notify_gp:
        from referrals.services.notifications import notify_gp_of_decision

        transaction.on_commit(partial(notify_gp_of_decision, decision_id=decision.pk))
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
    based_on: int | _Unchecked | None = UNCHECKED,
    notify_gp: bool = True,
) -> Decision:
    """Accept the indication for `levels_to_treat` (spine levels of this referral)."""
    known = set(referral.levels.values_list("level", flat=True))
    if not levels_to_treat or not set(levels_to_treat) <= known:
        raise DecisionError(
            _("Cochez au moins un des niveaux fracturés de cette demande."), field="levels_to_treat"
        )
    if stay not in Stay.values:
        raise DecisionError(_("Choisissez le type de séjour."), field="stay")
    if anaesthesia not in Anaesthesia.values:
        raise DecisionError(_("Choisissez le type d'anesthésie."), field="anaesthesia")
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
        raise DecisionError(_("Indiquez le motif du refus."), field="reason")
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
        raise DecisionError(
            _("Écrivez au médecin ce qu'il doit préciser ou joindre."), field="message_to_gp"
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
        raise DecisionError(
            _("Indiquez le motif de l'orientation chirurgicale (il figure dans le courrier)."),
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
