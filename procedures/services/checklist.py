"""The safety checklist of the day (HAS, interventional radiology): each item checked once, with
who and when; a radiologist may go ahead with items missing, with a reason.

The procedure is not recorded as done while an item is missing and no radiologist overrode the
checklist: `require_checklist` is asked by every path to `done` (the desk's button in
scheduling/services/bookings.py, the signing of the report in procedures/services/report.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import Role, User
from procedures.choices import ChecklistItem
from procedures.models import ChecklistCheck, ChecklistOverride
from referrals.choices import TimelineAction
from referrals.models import Referral
from referrals.services.timeline import log_event
from scheduling.models import Booking, BookingStatus

INR_RANGE = (Decimal("0.5"), Decimal("15"))


class ChecklistIncomplete(DomainError):
    """An item of the safety checklist is missing and no radiologist overrode it."""


def on_vka(referral: Referral) -> bool:
    """The patient takes a vitamin K antagonist (as the decision in force was made on)."""
    decision = referral.current_decision
    facts = decision.facts if decision is not None and isinstance(decision.facts, dict) else {}
    drugs = facts.get("antithrombotics") or referral.antithrombotics or []
    return "vka" in drugs


def items_for(referral: Referral) -> list[str]:
    """The items this patient's checklist holds: the INR only for a patient on a VKA."""
    vka = on_vka(referral)
    return [item for item in ChecklistItem.values if item != ChecklistItem.INR or vka]


@dataclass(frozen=True)
class ChecklistLine:
    item: str
    label: str
    check: ChecklistCheck | None


@dataclass(frozen=True)
class ChecklistState:
    lines: list[ChecklistLine]
    override: ChecklistOverride | None

    @property
    def missing(self) -> list[str]:
        return [line.item for line in self.lines if line.check is None]

    @property
    def missing_labels(self) -> list[str]:
        return [line.label for line in self.lines if line.check is None]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def cleared(self) -> bool:
        """The procedure may be recorded: complete, or overridden by a radiologist."""
        return self.complete or self.override is not None


def checklist_state(booking: Booking) -> ChecklistState:
    referral = booking.referral
    checks = {
        c.item: c
        for c in ChecklistCheck.objects.filter(booking=booking).select_related("checked_by")
    }
    labels = dict(ChecklistItem.choices)
    lines = [
        ChecklistLine(item, str(labels[item]), checks.get(item)) for item in items_for(referral)
    ]
    override = (
        ChecklistOverride.objects.filter(booking=booking)
        .select_related("by")
        .order_by("-at")
        .first()
    )
    return ChecklistState(lines=lines, override=override)


def require_checklist(booking: Booking) -> None:
    """Refuse to record the procedure while the checklist is missing an item (no override)."""
    state = checklist_state(booking)
    if not state.cleared:
        raise ChecklistIncomplete(
            _(
                "Check-list de sécurité incomplète : il manque %(missing)s. Complétez-la, ou un "
                "radiologue autorise le geste en indiquant le motif."
            )
            % {"missing": ", ".join(f"« {label} »" for label in state.missing_labels)}
        )


def _lock_arrived(booking: Booking) -> Booking:
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("referral", "referral__current_decision", "session")
        .get(pk=booking.pk)
    )
    if locked.status != BookingStatus.ARRIVED:
        raise DomainError(
            _("La check-list se remplit quand le patient est arrivé (rendez-vous « %(status)s »).")
            % {"status": locked.get_status_display()}
        )
    return locked


def _inr(value: Decimal | None) -> str:
    if value is None:
        raise DomainError(
            _("Indiquez l’INR du jour (patient sous AVK) pour cocher cet élément."), field="inr"
        )
    if not INR_RANGE[0] <= value <= INR_RANGE[1]:
        raise DomainError(_("L’INR doit être compris entre 0,5 et 15."), field="inr")
    return f"{value:g}".replace(".", ",")


@transaction.atomic
def checklist_record(
    *, booking: Booking, by: User, items: Iterable[str], inr: Decimal | None = None
) -> ChecklistState:
    """Check `items` (those not checked yet) for the arrived patient, as `by`, now. Returns the
    checklist after: the caller says what is still missing."""
    locked = _lock_arrived(booking)
    allowed = items_for(locked.referral)
    done = set(ChecklistCheck.objects.filter(booking=locked).values_list("item", flat=True))
    new = [item for item in allowed if item in set(items) and item not in done]
    if not new and not set(allowed) - done:
        return checklist_state(locked)
    now = timezone.now()
    for item in new:
        value = _inr(inr) if item == ChecklistItem.INR else ""
        ChecklistCheck.objects.create(
            booking=locked, item=item, value=value, checked_by=by, checked_at=now
        )
    state = checklist_state(locked)
    if new:
        action = (
            TimelineAction.CHECKLIST_COMPLETED if state.complete else TimelineAction.CHECKLIST_ITEMS
        )
        log_event(
            referral=locked.referral,
            action=action,
            actor=by,
            data={"booking": locked.pk, "checked": new, "missing": state.missing},
        )
    return state


@transaction.atomic
def checklist_override(*, booking: Booking, by: User, reason: str) -> ChecklistOverride:
    """A radiologist goes ahead with items missing: who, when, which and why."""
    if getattr(by, "role", None) != Role.RADIOLOGIST:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Indiquez pourquoi le geste a lieu malgré la check-list incomplète."), field="reason"
        )
    locked = _lock_arrived(booking)
    state = checklist_state(locked)
    if state.complete:
        raise DomainError(_("La check-list est complète : aucune dérogation n’est nécessaire."))
    override = ChecklistOverride.objects.create(
        booking=locked, missing=state.missing, reason=reason, by=by, at=timezone.now()
    )
    log_event(
        referral=locked.referral,
        action=TimelineAction.CHECKLIST_OVERRIDDEN,
        actor=by,
        data={"booking": locked.pk, "missing": state.missing, "reason": reason},
    )
    return override
