"""Reads on follow-ups that pages and the task queue share."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet

from followups.models import FollowUp


def followups_due(*, on: date) -> QuerySet[FollowUp]:
    """Follow-ups due on or before `on` with no answer yet, oldest first: what the reminders
    (task queue) go through. Read from the partial index `followup_open`."""
    return FollowUp.objects.filter(due_on__lte=on, answered=False).order_by("due_on", "id")


def lost_since(today: date) -> date:
    """The first due day still on the worklist: a follow-up unanswered longer than
    FOLLOWUP_LOST_AFTER_DAYS after its day is lost to follow-up."""
    return today - timedelta(days=settings.FOLLOWUP_LOST_AFTER_DAYS)


def followups_to_call(*, today: date) -> QuerySet[FollowUp]:
    """The worklist: due today or late within the window, oldest first (the closest to being
    lost)."""
    return followups_due(on=today).filter(due_on__gte=lost_since(today))


def followups_lost(*, today: date) -> QuerySet[FollowUp]:
    """Unanswered past the window, the most recently lost first (the likeliest to still
    answer a last call)."""
    return FollowUp.objects.filter(due_on__lt=lost_since(today), answered=False).order_by(
        "-due_on", "-id"
    )


def followups_of(referral_id: int) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(referral_id=referral_id)
        .select_related("answer", "answer__recorded_by")
        .order_by("due_on", "id")
    )
