"""Signing the procedure report: the procedure is recorded as done (through the workflow), the
patient's treated levels are noted (a later referral is a new fracture), and the follow-ups are
planned, in one transaction. A signed report is never changed; a correction is an addendum."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import Role, User
from followups.services.planning import followups_plan
from procedures.choices import CirseGrade
from procedures.models import ProcedureReport, ReportAddendum, TreatedLevel
from procedures.services.checklist import require_checklist
from quality.facts import treated_refresh
from referrals.choices import Status, TimelineAction, level_position
from referrals.models import Patient, Referral, level_codes_of
from referrals.services.timeline import log_event
from scheduling.models import Booking, BookingStatus
from scheduling.services.bookings import booking_mark_done

# Referrals of a treated patient still waiting for the clinic: a new fracture, marked on the
# worklist.
NOT_YET_TREATED = (Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED)


@dataclass(frozen=True)
class LevelInput:
    level: str
    approach: str
    cement: str
    volume_ml: Decimal
    leaks: tuple[str, ...] = ()
    leak_symptomatic: bool = False


@dataclass(frozen=True)
class ReportInput:
    levels: tuple[LevelInput, ...]
    anaesthesia: str
    complication: str
    dose_area_product: Decimal
    fluoroscopy_seconds: int
    equipment: str
    levels_reason: str = ""
    biopsy: bool = False
    biopsy_note: str = ""
    complication_note: str = ""
    conclusion: str = ""
    discharge_treatments: str = ""
    resume_days: dict[str, int] = field(default_factory=dict)
    resume_reason: str = ""
    home_nursing: str = ""
    physiotherapy: str = ""


def planned_levels(referral: Referral) -> list[str]:
    decision = referral.current_decision
    return list(decision.levels_to_treat) if decision is not None else []


def _booking_of(referral: Referral) -> Booking:
    """The booking the patient came to: arrived (the procedure is being recorded now) or done
    (the desk already noted it)."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session")
        .filter(referral=referral, status__in=(BookingStatus.ARRIVED, BookingStatus.DONE))
        .order_by("-session__date", "-pk")
        .first()
    )
    if booking is None:
        raise DomainError(
            _("Le patient n’est pas noté arrivé : le secrétariat note d’abord son arrivée.")
        )
    return booking


def _check(referral: Referral, data: ReportInput, resume_plan: dict[str, int]) -> None:
    if not data.levels:
        raise DomainError(_("Indiquez au moins un niveau traité."), field="levels")
    levels = [row.level for row in data.levels]
    if len(set(levels)) != len(levels):
        raise DomainError(_("Un niveau est indiqué deux fois."), field="levels")
    if set(levels) != set(planned_levels(referral)) and not data.levels_reason.strip():
        raise DomainError(
            _("Les niveaux traités diffèrent des niveaux prévus (%(planned)s) : indiquez pourquoi.")
            % {"planned": ", ".join(planned_levels(referral)) or "—"},
            field="levels_reason",
        )
    if data.complication != CirseGrade.NONE and not data.complication_note.strip():
        raise DomainError(_("Décrivez la complication."), field="complication_note")
    changed = {d: n for d, n in data.resume_days.items() if resume_plan.get(d) != n}
    if changed and not data.resume_reason.strip():
        raise DomainError(
            _("Vous avez changé la reprise d’un antithrombotique : indiquez pourquoi."),
            field="resume_reason",
        )


def _note_treated(
    patient: Patient | None, levels: list[str], day: date, referral: Referral
) -> None:
    if patient is None:
        return
    patient.treated_levels = level_codes_of([*patient.treated_levels.split(), *levels])
    if patient.last_treated_on is None or day > patient.last_treated_on:
        patient.last_treated_on = day
    patient.save(update_fields=["treated_levels", "last_treated_on", "updated_at"])
    # Referrals of this patient still waiting: a new fracture now.
    Referral.objects.filter(patient=patient, status__in=NOT_YET_TREATED).exclude(
        pk=referral.pk
    ).update(new_fracture=True)


@transaction.atomic
def report_sign(
    *,
    referral: Referral,
    by: User,
    data: ReportInput,
    resume_plan: dict[str, int] | None = None,
    today: date | None = None,
) -> ProcedureReport:
    """Sign the procedure report of the arrived patient, as radiologist `by`: the procedure is
    done (the workflow's `done`, refused while the safety checklist misses an item)."""
    if getattr(by, "role", None) != Role.RADIOLOGIST:
        raise PermissionDenied
    today = today or timezone.localdate()
    booking = _booking_of(referral)
    if ProcedureReport.objects.filter(referral=referral).exists():
        raise DomainError(
            _("Le compte rendu est déjà signé : une correction s’ajoute en addendum.")
        )
    _check(referral, data, resume_plan or {})
    if booking.status == BookingStatus.ARRIVED:
        booking_mark_done(booking=booking, by=by, today=today)
    else:
        require_checklist(booking)
    report = ProcedureReport.objects.create(
        referral=referral,
        booking=booking,
        performed_on=booking.session.date,
        planned_levels=planned_levels(referral),
        levels_reason=data.levels_reason.strip(),
        anaesthesia=data.anaesthesia,
        biopsy=data.biopsy,
        biopsy_note=data.biopsy_note.strip(),
        complication=data.complication,
        complication_note=data.complication_note.strip(),
        dose_area_product=data.dose_area_product,
        fluoroscopy_seconds=data.fluoroscopy_seconds,
        equipment=data.equipment.strip(),
        conclusion=data.conclusion.strip(),
        discharge_treatments=data.discharge_treatments.strip(),
        resume_days={d: n for d, n in data.resume_days.items() if (resume_plan or {}).get(d) != n},
        resume_reason=data.resume_reason.strip(),
        home_nursing=data.home_nursing.strip(),
        physiotherapy=data.physiotherapy.strip(),
        signed_by=by,
        signed_at=timezone.now(),
    )
    for row in data.levels:
        TreatedLevel.objects.create(
            report=report,
            level=row.level,
            position=level_position(row.level),
            approach=row.approach,
            cement=row.cement.strip(),
            volume_ml=row.volume_ml,
            leaks=list(row.leaks),
            leak_symptomatic=row.leak_symptomatic and bool(row.leaks),
        )
    levels = [row.level for row in data.levels]
    _note_treated(referral.patient, levels, report.performed_on, referral)
    followups_plan(referral=referral, performed_on=report.performed_on)
    treated_refresh(referral_ids=[referral.pk])  # the quality figures' row
    log_event(
        referral=referral,
        action=TimelineAction.REPORT_SIGNED,
        actor=by,
        data={"report": report.pk, "levels": levels, "complication": data.complication},
    )
    return report


@transaction.atomic
def report_addendum(*, report: ProcedureReport, by: User, text: str) -> ReportAddendum:
    """Add a signed correction to a signed report (the report itself never changes)."""
    if getattr(by, "role", None) != Role.RADIOLOGIST:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Écrivez le texte de l’addendum."), field="text")
    addendum = ReportAddendum.objects.create(report=report, text=text, by=by, at=timezone.now())
    log_event(
        referral=report.referral,
        action=TimelineAction.REPORT_ADDENDUM,
        actor=by,
        data={"report": report.pk, "addendum": addendum.pk},
    )
    return addendum
