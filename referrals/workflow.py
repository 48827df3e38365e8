"""The referral's states and the transitions between them, in one table.

Every change of a referral's status is a row of TRANSITIONS: its sources, its target, who may take
it, the timeline event it writes and what a user reads when it is refused. `apply_transition` is
the only code that sets `Referral.status`: it locks the row, checks the role, the source status and
the object rule, sets the status (and the fields the service hands over), saves and logs the
event, in the caller's transaction. Services do the rest of the work (a decision's record, a
booking's place) and call it; the `rules` permissions (referrals/rules.py), the buttons pages show
and the refusal messages are all read from the table. docs/workflow.md draws it (tested against
it).

Adding a transition is one row here, its service and its test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinic.errors import DomainError
from clinic.models import Role, User
from referrals.choices import Status, TimelineAction
from referrals.models import Referral
from referrals.services.timeline import log_event


class TransitionRefused(DomainError):
    """The referral's status does not allow this step (its message says why and what to do)."""


@dataclass(frozen=True)
class Transition:
    """One step of the workflow. `label` is the button, `title` the page or form heading, `done`
    the message once taken; `refusals` override `refusal` for particular source statuses."""

    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    event: str
    label: Promise
    refusal: Promise
    title: Promise | None = None
    done: Promise | None = None
    style: str = "btn-outline-primary"
    url_name: str = ""
    refusals: Mapping[str, Promise] = field(default_factory=dict)


S = Status
OPEN_FOR_DECISION: Final = frozenset({S.SUBMITTED, S.INFO_REQUESTED, S.ACCEPTED})

# A decision on a booked referral would leave the booking behind: the desk cancels it first.
_BOOKED_FIRST = _(
    "Cette demande est programmée : annulez d’abord le rendez-vous (secrétariat) avant de "
    "changer la décision."
)
_NOT_SENT = _("Cette demande n’a pas encore été adressée par le médecin.")
_DECISION_REFUSALS: Final[Mapping[str, Promise]] = {
    S.DRAFT: _NOT_SENT,
    S.SCHEDULED: _BOOKED_FIRST,
    S.ARRIVED: _BOOKED_FIRST,
}

TRANSITIONS: Final[dict[str, Transition]] = {
    t.name: t
    for t in (
        Transition(
            name="submit",
            sources=frozenset({S.DRAFT}),
            target=S.SUBMITTED,
            roles=frozenset({Role.GP}),
            event=TimelineAction.SUBMITTED,
            label=_("Adresser la demande"),
            refusal=_("Cette demande a déjà été adressée."),
        ),
        Transition(
            name="resubmit",
            sources=frozenset({S.INFO_REQUESTED}),
            target=S.SUBMITTED,
            roles=frozenset({Role.GP}),
            event=TimelineAction.RESUBMITTED,
            label=_("Renvoyer la demande complétée"),
            refusal=_("Aucune information n’est demandée sur cette demande."),
        ),
        Transition(
            name="request_information",
            sources=OPEN_FOR_DECISION,
            target=S.INFO_REQUESTED,
            roles=frozenset({Role.RADIOLOGIST}),
            event=TimelineAction.INFORMATION_REQUESTED,
            label=_("Demander des informations"),
            title=_("Demander des informations au médecin"),
            done=_(
                "Demande d’informations envoyée au médecin. La demande reviendra dans la liste "
                "quand il l’aura complétée."
            ),
            url_name="referrals:request_information",
            refusal=_("La demande est déjà dans l’état « %(status)s »."),
            refusals=_DECISION_REFUSALS,
        ),
        Transition(
            name="accept",
            sources=OPEN_FOR_DECISION | {S.DECLINED, S.SURGERY},
            target=S.ACCEPTED,
            roles=frozenset({Role.RADIOLOGIST}),
            event=TimelineAction.ACCEPTED,
            label=_("Accepter"),
            title=_("Accepter l’indication"),
            done=_(
                "Indication acceptée. Le médecin est prévenu ; la demande est prête à être "
                "programmée par le secrétariat."
            ),
            style="btn-success",
            url_name="referrals:accept",
            refusal=_("La demande est déjà dans l’état « %(status)s »."),
            refusals=_DECISION_REFUSALS,
        ),
        Transition(
            name="decline",
            sources=OPEN_FOR_DECISION | {S.SURGERY},
            target=S.DECLINED,
            roles=frozenset({Role.RADIOLOGIST}),
            event=TimelineAction.DECLINED,
            label=_("Refuser"),
            title=_("Refuser l’indication"),
            done=_("Indication refusée. Le médecin est prévenu et peut lire le courrier."),
            style="btn-outline-danger",
            url_name="referrals:decline",
            refusal=_("La demande est déjà dans l’état « %(status)s »."),
            refusals=_DECISION_REFUSALS,
        ),
        Transition(
            name="redirect_surgery",
            sources=OPEN_FOR_DECISION | {S.DECLINED},
            target=S.SURGERY,
            roles=frozenset({Role.RADIOLOGIST}),
            event=TimelineAction.REDIRECTED_TO_SURGERY,
            label=_("Orienter vers la chirurgie"),
            title=_("Orienter vers un avis chirurgical"),
            done=_(
                "Orientation chirurgicale enregistrée. Le médecin est prévenu et peut télécharger "
                "le courrier d’orientation."
            ),
            style="btn-outline-dark",
            url_name="referrals:redirect_to_surgery",
            refusal=_("La demande est déjà dans l’état « %(status)s »."),
            refusals=_DECISION_REFUSALS,
        ),
        Transition(
            name="discard",
            sources=frozenset({S.DRAFT}),
            target=S.DISCARDED,
            roles=frozenset({Role.GP}),
            event=TimelineAction.DISCARDED,
            label=_("Supprimer le brouillon"),
            refusal=_("Cette demande a été adressée à la clinique : ce n’est plus un brouillon."),
        ),
        Transition(
            name="withdraw",
            sources=OPEN_FOR_DECISION,
            target=S.CANCELLED,
            roles=frozenset({Role.GP}),
            event=TimelineAction.WITHDRAWN,
            label=_("Annuler la demande"),
            refusal=_("Cette demande est « %(status)s » : elle ne peut plus être annulée."),
            refusals={
                S.DRAFT: _("Ce brouillon n’a pas été adressé : supprimez-le plutôt."),
                S.CANCELLED: _("Cette demande est déjà annulée."),
            },
        ),
        Transition(
            name="schedule",
            sources=frozenset({S.ACCEPTED}),
            target=S.SCHEDULED,
            roles=frozenset({Role.SECRETARY}),
            event=TimelineAction.BOOKING_CREATED,
            label=_("Programmer"),
            refusal=_(
                "Cette demande est « %(status)s » : seule une indication acceptée par un "
                "radiologue peut être programmée."
            ),
            refusals={
                S.SCHEDULED: _(
                    "Cette demande est déjà programmée : déplacez le rendez-vous plutôt que d’en "
                    "créer un autre."
                )
            },
        ),
        Transition(
            name="unschedule",
            sources=frozenset({S.SCHEDULED, S.ARRIVED}),
            target=S.ACCEPTED,
            roles=frozenset({Role.SECRETARY}),
            event=TimelineAction.BOOKING_CANCELLED,
            label=_("Annuler le rendez-vous"),
            style="btn-outline-danger",
            refusal=_("Cette demande est « %(status)s » : elle n’a pas de rendez-vous à annuler."),
        ),
        Transition(
            name="arrive",
            sources=frozenset({S.SCHEDULED}),
            target=S.ARRIVED,
            roles=frozenset({Role.SECRETARY}),
            event=TimelineAction.BOOKING_ARRIVED,
            label=_("Arrivée"),
            done=_("%(patient)s : arrivée notée."),
            style="btn-success",
            url_name="scheduling:arrived",
            refusal=_("Cette demande est « %(status)s » : l’arrivée ne peut pas être notée."),
        ),
        Transition(
            name="done",
            sources=frozenset({S.ARRIVED}),
            target=S.DONE,
            # The desk notes it from the day view; the radiologist takes it by signing the
            # procedure report (procedures/services/report.py). Both need the safety checklist.
            roles=frozenset({Role.SECRETARY, Role.RADIOLOGIST}),
            event=TimelineAction.BOOKING_DONE,
            label=_("Geste réalisé"),
            done=_("%(patient)s : geste réalisé."),
            style="btn-success",
            url_name="scheduling:done",
            refusal=_(
                "Cette demande est « %(status)s » : notez d’abord l’arrivée du patient, puis le "
                "geste."
            ),
        ),
        Transition(
            name="no_show",
            sources=frozenset({S.SCHEDULED}),
            target=S.ACCEPTED,
            roles=frozenset({Role.SECRETARY}),
            event=TimelineAction.BOOKING_NO_SHOW,
            label=_("Absent"),
            done=_("%(patient)s : absence notée, le patient est à reprogrammer."),
            style="btn-outline-danger",
            url_name="scheduling:no_show",
            refusal=_("Cette demande est « %(status)s » : l’absence ne peut pas être notée."),
        ),
        Transition(
            name="close",
            sources=frozenset({S.ACCEPTED}),
            target=S.CLOSED,
            roles=frozenset({Role.SECRETARY}),
            event=TimelineAction.CLOSED,
            label=_("Clore la demande"),
            title=_("Clore la demande"),
            done=_("Demande close : elle ne sera pas programmée."),
            style="btn-outline-danger",
            url_name="scheduling:close",
            refusal=_(
                "Cette demande est « %(status)s » : seule une demande acceptée et sans "
                "rendez-vous peut être close (annulez d’abord le rendez-vous)."
            ),
        ),
    )
}

# The radiologist's decisions, in the order their buttons appear.
DECISIONS: Final = ("accept", "decline", "request_information", "redirect_surgery")
# What the desk records on the day.
DAY_STEPS: Final = ("arrive", "done", "no_show")

_CLOSED = {S.DONE, S.CANCELLED, S.CLOSED}


def refusal(referral: Referral, name: str) -> str | None:
    """Why the referral's status does not allow `name` (in the user's language), or None."""
    transition = TRANSITIONS[name]
    status = referral.status
    if status in transition.sources:
        return None
    message = transition.refusals.get(status)
    if message is None and status in _CLOSED and name in DECISIONS:
        message = _("Cette demande est close (%(status)s) : aucune décision n’est plus possible.")
    message = message or transition.refusal
    return gettext(str(message)) % {"status": Status(status).label}


def is_allowed(user: User, referral: Referral, name: str) -> bool:
    """Whether `user` may take `name` on `referral` now: role, object access and status."""
    return may_take(user, name, status=referral.status, gp_id=referral.gp_id)


def may_take(user: User, name: str, *, status: str, gp_id: int | None) -> bool:
    """is_allowed() from the referral's status and GP alone: the day view asks it of hundreds of
    bookings read as values (scheduling/pages/day.py), and building a referral for each cost
    more than the question."""
    transition = TRANSITIONS[name]
    return _may_act(user, transition, status=status, gp_id=gp_id) and status in transition.sources


def available(user: User, referral: Referral, names: Iterable[str]) -> list[Transition]:
    """The transitions among `names` that `user` may take on `referral` now (for buttons)."""
    return [TRANSITIONS[n] for n in names if is_allowed(user, referral, n)]


def check(*, referral: Referral, name: str, by: User) -> Transition:
    """Refuse `name` on `referral` by `by`: PermissionDenied for a role or an object they have no
    right to, TransitionRefused (a DomainError) for a status that does not allow it."""
    transition = TRANSITIONS[name]
    if not _may_act(by, transition, status=referral.status, gp_id=referral.gp_id):
        raise PermissionDenied
    message = refusal(referral, name)
    if message is not None:
        raise TransitionRefused(message)
    return transition


def _may_act(user: User, transition: Transition, *, status: str, gp_id: int | None) -> bool:
    """The role the transition names, on a referral the user may act on: a GP on their own
    referrals only, clinic staff on referrals sent to the clinic."""
    if not user.is_active or getattr(user, "role", None) not in transition.roles:
        return False
    if user.role == Role.GP:
        return gp_id == user.pk
    return status not in (S.DRAFT, S.DISCARDED)


def lock(referral: Referral) -> Referral:
    """The referral's row, locked until the transaction ends (the patient is an outer join,
    which PostgreSQL will not lock)."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("patient")
        .get(pk=referral.pk)
    )


@transaction.atomic
def apply_transition(
    *,
    referral: Referral,
    name: str,
    by: User,
    data: dict[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> Referral:
    """Take transition `name`: lock, check, set the status and `changes`, save, log the event.

    Returns the locked row; `referral` (the caller's instance) gets the new status and changes
    too. Raises PermissionDenied or TransitionRefused, leaving nothing changed."""
    locked = lock(referral)
    transition = check(referral=locked, name=name, by=by)
    changes = dict(changes or {})
    locked.status = transition.target
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.save(update_fields=["status", *changes, "updated_at"])
    log_event(referral=locked, action=transition.event, actor=by, data=data, at=at)
    referral.status = locked.status
    for key, value in changes.items():
        setattr(referral, key, value)
    return locked


def mermaid() -> str:
    """The table as a Mermaid state diagram (docs/workflow.md holds it; a test compares)."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for transition in TRANSITIONS.values():
        roles = ", ".join(sorted(transition.roles))
        for source in sorted(transition.sources):
            lines.append(f"    {source} --> {transition.target}: {transition.name} ({roles})")
    return "\n".join(lines) + "\n"
