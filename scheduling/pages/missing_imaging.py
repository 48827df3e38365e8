"""What a referral still lacks before its procedure: the desk's « Dossiers incomplets : imagerie
manquante » card and the warning of the booking page. An exam is still missing until the GP or
the radiologist records it done; an appointment at the centre says when it will be, and whether
that is before the procedure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from referrals.models import Referral
from scheduling.models import Modality
from scheduling.services.imaging import missing_modalities


@dataclass(frozen=True, slots=True)
class ExamDue:
    modality: str
    label: str  # « Scanner »
    at: datetime | None  # its live appointment at the centre, if any (local time)
    # No appointment, or one on or after the procedure day: the procedure cannot go ahead.
    late: bool


@dataclass(frozen=True, slots=True)
class MissingImaging:
    referral_id: int
    patient: str
    gp: str
    status: str
    status_label: str
    procedure_day: date | None  # the active booking's day
    exams: tuple[ExamDue, ...]

    @property
    def late(self) -> bool:
        """An exam has no appointment before the procedure (only once booked)."""
        return self.procedure_day is not None and any(exam.late for exam in self.exams)


def missing_imaging(
    referral: Referral,
    *,
    appointments: list[tuple[str, datetime]],
    procedure_day: date | None,
) -> MissingImaging:
    """`appointments`: the referral's live (modality, at) in date order."""
    exams = []
    for modality in missing_modalities(referral):
        at = next((timezone.localtime(w) for kind, w in appointments if kind == modality), None)
        late = at is None or (procedure_day is not None and at.date() >= procedure_day)
        exams.append(ExamDue(modality, str(Modality(modality).label), at, late))
    return MissingImaging(
        referral_id=referral.pk,
        patient=str(referral.patient) if referral.patient_id else "",
        gp=referral.gp.display_name,
        status=referral.status,
        status_label=referral.get_status_display(),
        procedure_day=procedure_day,
        exams=tuple(exams),
    )


def missing_imaging_rows(referrals: list[Referral]) -> list[MissingImaging]:
    """Rows of scheduling.selectors.referrals_missing_imaging() (its prefetches read here)."""
    rows = []
    for referral in referrals:
        active = getattr(referral, "active_bookings", [])
        rows.append(
            missing_imaging(
                referral,
                appointments=[(a.modality, a.at) for a in referral.imaging_appointments.all()],
                procedure_day=active[0].session.date if active else None,
            )
        )
    return rows


def imaging_until(found: MissingImaging) -> date | None:
    """The day of the last exam still missing: a procedure must come after it (None: nothing
    missing). An exam with no appointment yet counts as not before any day: `date.max`."""
    days = [exam.at.date() if exam.at else date.max for exam in found.exams]
    return max(days) if days else None
