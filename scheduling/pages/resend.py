"""The desk's « Convocations à renvoyer » card: one row per convocation that went out with a date
the plan no longer gives, with each date as printed and as it is now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from scheduling.models import ConvocationChange
from scheduling.plan import date_label


@dataclass(frozen=True, slots=True)
class DateChange:
    label: str  # « Dernière prise : Dabigatran (Pradaxa) »
    old: date | None  # as the convocation printed it (None: it did not print one)
    new: date | None  # as the plan gives it now (None: no longer in the plan)


@dataclass(frozen=True, slots=True)
class ResendRow:
    change_id: int
    booking_id: int
    referral_id: int
    patient: str
    procedure_day: date
    dates: tuple[DateChange, ...]


def _day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def resend_rows(changes: QuerySet[ConvocationChange] | list[ConvocationChange]) -> list[ResendRow]:
    """Rows for the card, from `scheduling.selectors.convocations_to_resend()` (one query)."""
    return [
        ResendRow(
            change_id=change.pk,
            booking_id=change.booking_id,
            referral_id=change.booking.referral_id,
            patient=str(change.booking.referral.patient or ""),
            procedure_day=change.booking.session.date,
            dates=tuple(
                DateChange(date_label(str(c.get("what"))), _day(c.get("old")), _day(c.get("new")))
                for c in change.changes
                if isinstance(c, dict)
            ),
        )
        for change in changes
    ]
