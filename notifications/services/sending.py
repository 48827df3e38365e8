"""Sending one message, from the worker: claim it, hand it to the e-mail or SMS backend, record
the outcome on the referral's timeline. A failure is tried again later (bounded, with a growing
delay); after the last attempt the message is failed and shown to the desk, who may retry it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from clinic.errors import DomainError
from clinic.models import User
from followups.links import followup_url, link_create, link_withdraw
from followups.models import FollowUpLink
from notifications.choices import Channel, Kind, MessageStatus
from notifications.content import QuestionnaireLink, render_message
from notifications.models import Message
from notifications.sms import send_sms
from referrals.services.timeline import log_event

logger = logging.getLogger(__name__)


def event_data(message: Message) -> dict[str, Any]:
    # Not "message" nor "reason": the timelines show those keys as someone's words.
    return {
        "notification": message.pk,
        "kind": message.kind,
        "recipient": message.recipient,
        "channel": message.channel,
    }


def enqueue(message_id: int, *, run_after: datetime | None = None) -> None:
    """Hand the message to the queue (at `run_after` when the backend can wait)."""
    from notifications.tasks import send_message

    task = send_message
    if run_after is not None and default_task_backend.supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(message_id)


def enqueue_on_commit(message: Message) -> None:
    """Send once the transaction that wrote `message` commits: nothing goes out for a rolled-back
    booking or decision (security row 23)."""
    transaction.on_commit(lambda: enqueue(message.pk))


def _questionnaire_link(message: Message) -> tuple[FollowUpLink, str] | None:
    """A follow-up invitation's link, minted for this attempt: its token goes into the text and
    nowhere else (the database keeps its hash, the Message row no body)."""
    if message.kind != Kind.FOLLOWUP or message.followup is None:
        return None
    return link_create(followup=message.followup)


def deliver(message: Message) -> None:
    """Send through the configured e-mail or SMS backend; raises on failure."""
    minted = _questionnaire_link(message)
    link = None
    if minted is not None:
        link, token = minted
        content = render_message(
            message, link=QuestionnaireLink(followup_url(token), link.expires_at)
        )
    else:
        content = render_message(message)
    try:
        if message.channel == Channel.SMS:
            send_sms(to=message.to, text=content.body)
        else:
            send_mail(content.subject, content.body, settings.DEFAULT_FROM_EMAIL, [message.to])
    except Exception:
        if link is not None:  # never delivered: the next attempt sends a new one
            link_withdraw(link)
        raise


def _moot(message: Message) -> bool:
    """A follow-up invitation whose follow-up was answered meanwhile (the desk called): its
    link would open nothing."""
    return message.followup is not None and hasattr(message.followup, "answer")


def _claim(message_id: int) -> Message | None:
    """Take the message for this attempt; None when it is not to send (sent, failed, or being sent
    by another worker after a retry was enqueued twice)."""
    now = timezone.now()
    taken = Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING, claimed_at=now
    )
    if not taken:
        return None
    return Message.objects.select_related(
        "referral__gp",
        "referral__patient",
        "booking__session",
        "imaging",
        "decision__radiologist",
        "followup__answer",
    ).get(pk=message_id)


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: the delay, doubled each time (5, 10, 20 minutes…)."""
    return timedelta(seconds=settings.NOTIFICATIONS_RETRY_DELAY_SECONDS * 2 ** (attempts - 1))


def send_now(*, message_id: int) -> str:
    """One attempt at `message_id`; returns what became of it."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    if _moot(message):
        message.status = MessageStatus.DROPPED
        message.save(update_fields=["status"])
        return MessageStatus.DROPPED
    message.attempts += 1
    try:
        deliver(message)
    except Exception as error:  # any failure is one failed attempt
        # The class only: an SMTP or provider error may quote the address or the text.
        logger.warning(
            "message %s: attempt %s failed (%s)", message.pk, message.attempts, type(error).__name__
        )
        return _failed_attempt(message, type(error).__name__)
    with transaction.atomic():
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        message.error = ""
        message.save(update_fields=["status", "sent_at", "error", "attempts"])
        log_event(
            referral=message.referral,
            action="notification.sent",
            actor=None,
            data=event_data(message),
        )
    return MessageStatus.SENT


def _failed_attempt(message: Message, error: str) -> str:
    message.error = error[:200]
    if message.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        message.status = MessageStatus.QUEUED
        message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
        message.save(update_fields=["status", "error", "attempts", "next_attempt_at"])
        enqueue(message.pk, run_after=message.next_attempt_at)
        return "retrying"
    with transaction.atomic():
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
        message.save(update_fields=["status", "error", "attempts", "next_attempt_at"])
        log_event(
            referral=message.referral,
            action="notification.failed",
            actor=None,
            data=event_data(message),
        )
    return MessageStatus.FAILED


@transaction.atomic
def message_retry(*, message: Message, by: User) -> Message:
    """The desk sends a failed message again (after correcting the address, or once the mail
    server is back): a fresh series of attempts."""
    locked = Message.objects.select_for_update().select_related("referral").get(pk=message.pk)
    if locked.status != MessageStatus.FAILED:
        raise DomainError(_("Ce message n’est plus en échec : il est déjà renvoyé ou envoyé."))
    locked.status = MessageStatus.QUEUED
    locked.attempts = 0
    locked.error = ""
    locked.save(update_fields=["status", "attempts", "error"])
    log_event(
        referral=locked.referral, action="notification.retried", actor=by, data=event_data(locked)
    )
    enqueue_on_commit(locked)
    return locked


def requeue_stale(*, now: datetime, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Messages a dead worker left « sending », or whose task was lost between the commit and
    the queue: queued again (claiming makes a duplicate task harmless)."""
    cutoff = now - older_than
    stuck = list(
        Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    Message.objects.filter(pk__in=stuck, status=MessageStatus.SENDING).update(
        status=MessageStatus.QUEUED
    )
    waiting = list(
        Message.objects.filter(status=MessageStatus.QUEUED, created_at__lt=cutoff)
        .exclude(next_attempt_at__gte=cutoff)
        .values_list("pk", flat=True)
    )
    # Stamped, so that a worker down for a day gets one more task per message every quarter of an
    # hour, not one per run of the scheduler.
    Message.objects.filter(pk__in=[*stuck, *waiting]).update(next_attempt_at=now)
    for pk in sorted({*stuck, *waiting}):
        enqueue(pk)
    return len({*stuck, *waiting})
