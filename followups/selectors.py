"""Reads on follow-ups that pages and the task queue share."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from followups.models import FollowUp
from notifications.models import ContactConsent


def followups_due(*, on: date) -> QuerySet[FollowUp]:
    """Follow-ups due on or before `on` with no answer yet, oldest first, with their referral and
    patient: the staff worklist, and what the reminders (task queue) go through."""
    return (
        FollowUp.objects.filter(due_on__lte=on, answer__isnull=True)
        .select_related("referral", "referral__patient", "referral__procedure_report")
        .order_by("due_on", "id")
    )


def followups_worklist(*, on: date) -> QuerySet[FollowUp]:
    """`followups_due` with each patient's latest consent to messages (`contact_channel`: the
    desk is offered « Envoyer le lien » only when the patient agreed to e-mail or SMS)."""
    latest = ContactConsent.objects.filter(patient=OuterRef("referral__patient")).order_by(
        "-recorded_at", "-id"
    )
    return followups_due(on=on).annotate(contact_channel=Subquery(latest.values("channel")[:1]))


def followups_of(referral_id: int) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(referral_id=referral_id)
        .select_related("answer", "answer__recorded_by")
        .order_by("due_on", "id")
    )
