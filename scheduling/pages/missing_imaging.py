"""What a referral still lacks before its procedure: the desk's « Dossiers incomplets : imagerie
manquante » card (missing_imaging_card: texts and urls, from values) and the warning of the
booking page (missing_imaging). An exam is still missing until the GP or the radiologist records
it done; an appointment at the centre says when it will be, and whether that is before the
procedure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.links import url_pattern
from clinic.models import user_display_name
from clinic.templatetags.clinic_tags import colon
from referrals.choices import Status
from referrals.models import Referral, patient_full_name
from scheduling.models import Modality
from scheduling.selectors import active_booking_values, imaging_values, referrals_missing_imaging
from scheduling.services.imaging import lacking_modalities, missing_modalities


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
    return MissingImaging(
        referral_id=referral.pk,
        patient=str(referral.patient) if referral.patient_id else "",
        gp=referral.gp.display_name,
        status=referral.status,
        status_label=referral.get_status_display(),
        procedure_day=procedure_day,
        exams=_exams(
            missing_modalities(referral), appointments=appointments, procedure_day=procedure_day
        ),
    )


def _exams(
    modalities: list[str], *, appointments: list[tuple[str, datetime]], procedure_day: date | None
) -> tuple[ExamDue, ...]:
    exams = []
    for modality in modalities:
        at = next((timezone.localtime(w) for kind, w in appointments if kind == modality), None)
        late = at is None or (procedure_day is not None and at.date() >= procedure_day)
        exams.append(ExamDue(modality, str(Modality(modality).label), at, late))
    return tuple(exams)


@dataclass(frozen=True, slots=True)
class ExamLine:
    text: str  # « Scanner : rendez-vous le 15/12/2026 09:00 — après le geste »
    style: str  # « text-danger fw-semibold », « text-success » or ""


@dataclass(frozen=True, slots=True)
class MissingImagingRow:
    """A referral of the desk's « imagerie manquante » card, in texts and urls."""

    url: str
    imaging_url: str
    name: str  # the patient, or « Patient sans nom »
    patient: str  # the patient, or "" (the button's hidden words)
    gp: str
    badge: str  # « Geste le 10/12/2026 » once booked, « Acceptée » before, or ""
    badge_style: str
    exams: tuple[ExamLine, ...]


COLUMNS = (
    "pk",
    "status",
    "ct_available",
    "mri_available",
    "mri_contraindicated",
    "mri_alternative",
    "patient__birth_name",
    "patient__used_name",
    "patient__first_names",
    "patient__sex",
    "gp__role",
    "gp__first_name",
    "gp__last_name",
    "gp__username",
)


class _Texts:
    """What the rows say alike, translated once a page."""

    def __init__(self) -> None:
        self.modality = {value: colon(str(label)) for value, label in Modality.choices}
        self.accepted = str(Status.ACCEPTED.label)
        self.no_name = _("Patient sans nom")
        self.procedure_on = _("Geste le %(day)s")
        self.appointment_on = _("rendez-vous le %(when)s")
        self.after = _("après le geste")
        self.none = _("manque, aucun rendez-vous")
        self.referral_url = url_pattern("scheduling:referral")
        self.imaging_url = url_pattern("scheduling:imaging")

    def exam(self, exam: ExamDue, *, booked: bool) -> ExamLine:
        label = self.modality.get(exam.modality, exam.modality)
        if exam.at is None:
            return ExamLine(f"{label} {self.none}", "text-danger fw-semibold" if booked else "")
        when = self.appointment_on % {"when": exam.at.strftime("%d/%m/%Y %H:%M")}
        if exam.late and booked:
            return ExamLine(f"{label} {when} — {self.after}", "text-danger fw-semibold")
        return ExamLine(f"{label} {when}", "text-success")


def missing_imaging_card(*, limit: int | None) -> tuple[list[MissingImagingRow], int]:
    """(the rows of the desk's card, oldest first, the first `limit` or all; how many in all).

    Plain values in four small queries however long the page (its rows with the patient's and
    the GP's names, their live appointments, their active bookings' days, the total past the
    limit): the card read 50 whole referrals, patients and GPs, and its appointments, bookings
    and sessions as model instances, then wrote two urls and two translations a row."""
    lacking = referrals_missing_imaging()
    values = lacking.values(*COLUMNS)
    found = list(values if limit is None else values[: limit + 1])
    total = len(found)
    if limit is not None and total > limit:
        found = found[:limit]
        total = lacking.count()
    ids = [row["pk"] for row in found]
    appointments = imaging_values(ids)
    booked = active_booking_values(ids)
    texts = _Texts()
    rows = []
    for row in found:
        pk = row["pk"]
        procedure_day = booked[pk][0] if pk in booked else None
        exams = _exams(
            lacking_modalities(
                ct_available=row["ct_available"],
                mri_available=row["mri_available"],
                mri_contraindicated=row["mri_contraindicated"],
                mri_alternative=row["mri_alternative"],
            ),
            appointments=appointments.get(pk, []),
            procedure_day=procedure_day,
        )
        badge, badge_style = "", ""
        if procedure_day is not None:
            badge = texts.procedure_on % {"day": procedure_day.strftime("%d/%m/%Y")}
            late = any(exam.late for exam in exams)
            badge_style = "text-bg-danger" if late else "text-bg-primary"
        elif row["status"] == Status.ACCEPTED:
            badge, badge_style = texts.accepted, "text-bg-warning"
        patient = patient_full_name(
            birth_name=row["patient__birth_name"] or "",
            used_name=row["patient__used_name"] or "",
            first_names=row["patient__first_names"] or "",
            sex=row["patient__sex"] or "",
        )
        rows.append(
            MissingImagingRow(
                url=texts.referral_url.format(pk),
                imaging_url=texts.imaging_url.format(pk),
                name=patient or texts.no_name,
                patient=patient,
                gp=user_display_name(
                    role=row["gp__role"] or "",
                    first_name=row["gp__first_name"] or "",
                    last_name=row["gp__last_name"] or "",
                    username=row["gp__username"] or "",
                ),
                badge=badge,
                badge_style=badge_style,
                exams=tuple(texts.exam(exam, booked=procedure_day is not None) for exam in exams),
            )
        )
    return rows, total


def imaging_until(found: MissingImaging) -> date | None:
    """The day of the last exam still missing: a procedure must come after it (None: nothing
    missing). An exam with no appointment yet counts as not before any day: `date.max`."""
    days = [exam.at.date() if exam.at else date.max for exam in found.exams]
    return max(days) if days else None
