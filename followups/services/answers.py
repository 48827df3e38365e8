"""Recording a follow-up's answer: by the staff who called the patient, or by the patient through
their personal link (which dies with it). Written once: a follow-up has one answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from followups.links import live_link
from followups.models import Channel, FollowUp, FollowUpAnswer
from quality.facts import treated_refresh
from referrals.choices import TimelineAction
from referrals.services.timeline import log_event


class LinkDead(Exception):
    """The token opens nothing (wrong, expired, used). Carries no detail on purpose."""


@dataclass(frozen=True)
class AnswerInput:
    pain_nrs: int
    opioids: bool
    walking: str
    new_back_pain: bool
    new_fracture: bool
    satisfaction: str
    complication: str = ""
    note: str = ""


def _create(
    followup: FollowUp, data: AnswerInput, *, channel: str, by: User | None, now: datetime
) -> FollowUpAnswer:
    if followup.answered or FollowUpAnswer.objects.filter(followup=followup).exists():
        raise DomainError(_("Ce suivi est déjà recueilli."))
    answer = FollowUpAnswer.objects.create(
        followup=followup,
        channel=channel,
        recorded_by=by,
        answered_at=now,
        pain_nrs=data.pain_nrs,
        opioids=data.opioids,
        walking=data.walking,
        new_back_pain=data.new_back_pain,
        new_fracture=data.new_fracture,
        complication=data.complication,
        satisfaction=data.satisfaction,
        note=data.note.strip(),
    )
    # Off the worklist in the same transaction (its partial index reads the flag).
    followup.answered = True
    followup.save(update_fields=["answered"])
    treated_refresh(referral_ids=[followup.referral_id])  # the quality figures' row
    return answer


@transaction.atomic
def followup_record(
    *, followup: FollowUp, by: User, data: AnswerInput, channel: str = Channel.PHONE
) -> FollowUpAnswer:
    """The staff recorded what the patient said (a call, a visit)."""
    now = timezone.now()
    locked = FollowUp.objects.select_for_update().select_related("referral").get(pk=followup.pk)
    answer = _create(locked, data, channel=channel, by=by, now=now)
    log_event(
        referral=locked.referral,
        action=TimelineAction.FOLLOWUP_RECORDED,
        actor=by,
        data={"followup": locked.pk, "kind": locked.kind, "channel": channel},
        at=now,
    )
    return answer


@transaction.atomic
def followup_answer_by_link(*, token: str, data: AnswerInput) -> FollowUpAnswer:
    """The patient answered through their link: the answer is stored and the link dies."""
    now = timezone.now()
    link = live_link(token, now=now, lock=True)
    if link is None:
        raise LinkDead
    followup = (
        FollowUp.objects.select_for_update().select_related("referral").get(pk=link.followup_id)
    )
    answer = _create(followup, data, channel=Channel.LINK, by=None, now=now)
    link.used_at = now
    link.save(update_fields=["used_at"])
    log_event(
        referral=followup.referral,
        action=TimelineAction.FOLLOWUP_ANSWERED,
        actor=None,
        data={"followup": followup.pk, "kind": followup.kind},
        at=now,
    )
    return answer
