"""Inviting a patient to answer a follow-up through their personal link.

The invitation is a notification like the others (docs/notifications.md): a `Message` row of
kind « followup » written here, in one transaction with its timeline event, and sent by the task
queue after the commit, with its retries, on the channel the patient agreed to and to confirmed
details only. The link's token is minted when the task sends the message
(`notifications.services.sending`), so no row ever holds it in clear.

Refused (nothing written) for a follow-up already answered, one with a link still alive or an
invitation still on its way, or a patient with no consent or no confirmed detail for it."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from followups.links import has_live_link
from followups.models import FollowUp
from notifications.choices import Kind, MessageStatus
from notifications.models import Message
from notifications.services.dispatch import queue_followup_invitation
from referrals.choices import TimelineAction
from referrals.services.timeline import log_event


def _refusal(followup: FollowUp, now: datetime) -> str:
    if hasattr(followup, "answer"):
        return _("Ce suivi est déjà recueilli : aucun lien à envoyer.")
    on_its_way = followup.messages.filter(
        kind=Kind.FOLLOWUP, status__in=(MessageStatus.QUEUED, MessageStatus.SENDING)
    ).exists()
    if on_its_way or has_live_link(followup, now=now):
        return _(
            "Un lien encore valable est déjà parti ou en cours d’envoi pour ce suivi : "
            "attendez la réponse du patient, ou appelez-le."
        )
    return ""


@transaction.atomic
def followup_invite(
    *,
    followup_id: int,
    by: User | None = None,
    now: datetime | None = None,
    day: date | None = None,
) -> Message:
    """Queue the patient's link to follow-up `followup_id`; a `DomainError` says why not.
    `day` is the scheduler's (the due day: one invitation per follow-up); the desk's has none."""
    now = now or timezone.now()
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("referral", "referral__patient")
        .get(pk=followup_id)
    )
    refusal = _refusal(followup, now)
    if refusal:
        raise DomainError(refusal)
    message = queue_followup_invitation(followup=followup, day=day)
    if message is None:
        raise DomainError(
            _(
                "Aucun lien envoyé : le patient n’a pas accepté de messages, ou son dossier "
                "confirmé n’a pas l’adresse e-mail ou le portable du canal choisi. Appelez-le."
            )
        )
    log_event(
        referral=followup.referral,
        action=TimelineAction.FOLLOWUP_LINK_SENT,
        actor=by,
        data={
            "followup": followup.pk,
            "kind": followup.kind,
            "notification": message.pk,
            "channel": message.channel,
        },
        at=now,
    )
    return message


def send_followup_invitation(
    *,
    followup_id: int,
    by: User | None = None,
    now: datetime | None = None,
    day: date | None = None,
) -> bool:
    """As `followup_invite`; False when nothing was queued (the scheduler's way)."""
    try:
        followup_invite(followup_id=followup_id, by=by, now=now, day=day)
    except DomainError:
        return False
    return True
