"""Rows for the pages: the contact choices on the booking page, the desk's failed messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from notifications.choices import Channel, Kind, MessageStatus, Recipient
from notifications.contacts import confirmed_address, latest_consent
from notifications.models import Message
from notifications.services.consent import consent_refusal
from referrals.models import Referral


@dataclass(frozen=True)
class ContactOption:
    value: str
    label: str
    detail: str  # the confirmed address or number the messages would go to
    refusal: str  # why it cannot be chosen now ("" when it can)


def contact_options(referral: Referral) -> tuple[list[ContactOption], str]:
    """The three choices with the confirmed detail each would use, and the patient's latest
    choice (pre-selected when they are booked again)."""
    options = []
    for value, label in Channel.choices:
        address = confirmed_address(referral.patient, value) if value != Channel.NONE else None
        options.append(
            ContactOption(
                value=value,
                label=str(label),
                detail=address.to if address else "",
                refusal=consent_refusal(referral, value),
            )
        )
    consent = latest_consent(referral.patient_id)
    return options, consent.channel if consent else ""


@dataclass(frozen=True)
class FailedRow:
    pk: int
    referral_id: int
    patient: str
    kind: str
    recipient: str
    channel: str
    error: str
    attempts: int
    created_at: datetime


FAILED_ROWS = 20


def failed_messages() -> tuple[list[FailedRow], int]:
    """The messages that finally failed, newest first (at most FAILED_ROWS), and how many."""
    failed = Message.objects.filter(status=MessageStatus.FAILED)
    rows = [
        FailedRow(
            pk=m.pk,
            referral_id=m.referral_id,
            patient=str(m.referral.patient) if m.referral.patient_id else "—",
            kind=str(Kind(m.kind).label),
            recipient=str(Recipient(m.recipient).label),
            channel=str(Channel(m.channel).label),
            error=m.error,
            attempts=m.attempts,
            created_at=m.created_at,
        )
        for m in failed.select_related("referral__patient").order_by("-created_at")[:FAILED_ROWS]
    ]
    total = len(rows) if len(rows) < FAILED_ROWS else failed.count()
    return rows, total
