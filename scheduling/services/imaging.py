"""Imaging appointments: the centre does the CT, MRI or bone scan a referral lacks (rule
B-IMAGING)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import User
from notifications.services.dispatch import notify_imaging_booked
from referrals.choices import ACTIVE_STATUSES
from referrals.models import Referral
from referrals.services.timeline import log_event
from scheduling.errors import SchedulingError
from scheduling.models import ImagingAppointment, Modality
from scheduling.plan import is_working_day


def missing_modalities(referral: Referral) -> list[str]:
    """The examinations the referral still lacks (B-IMAGING): the CT, and the MRI or, when MRI
    is contraindicated and nothing was done instead, a bone scan."""
    return lacking_modalities(
        ct_available=referral.ct_available,
        mri_available=referral.mri_available,
        mri_contraindicated=referral.mri_contraindicated,
        mri_alternative=referral.mri_alternative,
    )


def lacking_modalities(
    *, ct_available: bool, mri_available: bool, mri_contraindicated: bool, mri_alternative: str
) -> list[str]:
    """missing_modalities() from the referral's columns (a list page's values)."""
    missing = []
    if not ct_available:
        missing.append(Modality.CT.value)
    if not mri_available:
        if not mri_contraindicated:
            missing.append(Modality.MRI.value)
        elif not mri_alternative:
            missing.append(Modality.BONE_SCAN.value)
    return missing


def _already_booked(modality: str) -> str:
    """One whole sentence per modality: French elides « de » before a vowel (« d’IRM »)."""
    if modality == Modality.MRI:
        return _(
            "Un rendez-vous d’IRM est déjà programmé pour cette demande : modifiez-le plutôt "
            "que d’en ajouter un second."
        )
    if modality == Modality.BONE_SCAN:
        return _(
            "Un rendez-vous de scintigraphie osseuse est déjà programmé pour cette demande : "
            "modifiez-le plutôt que d’en ajouter un second."
        )
    return _(
        "Un rendez-vous de scanner est déjà programmé pour cette demande : modifiez-le plutôt "
        "que d’en ajouter un second."
    )


def _refuse_unless_open(at: datetime) -> None:
    """A time to come, on a day the centre is open: not a Sunday nor a public holiday (Saturday
    mornings are open for imaging)."""
    if at <= timezone.now():
        raise SchedulingError(_("Choisissez une date et une heure à venir."))
    day = timezone.localtime(at).date()
    if day.weekday() != 5 and not is_working_day(day):
        raise SchedulingError(
            _(
                "Le centre d’imagerie est fermé le dimanche et les jours fériés : choisissez un "
                "autre jour."
            )
        )


@transaction.atomic
def imaging_appointment_create(
    *,
    referral: Referral,
    modality: str,
    at: datetime,
    place: str,
    notes: str = "",
    by: User,
) -> ImagingAppointment:
    """Record a CT, MRI or bone-scan appointment at the centre; the GP sees it on the
    referral."""
    if referral.status not in ACTIVE_STATUSES:
        raise SchedulingError(
            _("Cette demande est « %(status)s » : aucun examen ne peut y être ajouté.")
            % {"status": referral.get_status_display()}
        )
    if modality not in missing_modalities(referral):
        raise SchedulingError(
            _("%(exam)s est déjà indiqué comme réalisé sur cette demande.")
            % {"exam": Modality(modality).label}
        )
    if ImagingAppointment.objects.live().filter(referral=referral, modality=modality).exists():
        raise SchedulingError(_already_booked(modality))
    _refuse_unless_open(at)
    appointment = ImagingAppointment.objects.create(
        referral=referral,
        modality=modality,
        at=at,
        place=place.strip(),
        notes=notes.strip(),
        created_by=by,
    )
    log_event(
        referral=referral,
        action="imaging.requested",
        actor=by,
        data={"appointment": appointment.pk, "modality": modality, "at": at.isoformat()},
    )
    notify_imaging_booked(appointment=appointment)
    return appointment


def _refuse_unless_changeable(appointment: ImagingAppointment, referral: Referral) -> None:
    """Only a live appointment of an active referral can be changed or cancelled."""
    if referral.status not in ACTIVE_STATUSES:
        raise SchedulingError(
            _(
                "Cette demande est « %(status)s » : ses examens d’imagerie ne peuvent plus être "
                "modifiés ni annulés."
            )
            % {"status": referral.get_status_display()}
        )
    if appointment.is_cancelled:
        raise SchedulingError(
            _(
                "Ce rendez-vous d’imagerie est annulé : il ne peut plus être modifié. "
                "Programmez un nouvel examen si besoin."
            )
        )
    if appointment.at <= timezone.now():
        raise SchedulingError(
            _(
                "Ce rendez-vous d’imagerie est passé : il ne peut plus être modifié ni annulé. "
                "Programmez un nouvel examen si besoin."
            )
        )


def imaging_change_refusal(appointment: ImagingAppointment) -> str:
    """Why `appointment` cannot be changed or cancelled now ("" when it can): the pages say it
    before the secretary types anything."""
    try:
        _refuse_unless_changeable(appointment, appointment.referral)
    except SchedulingError as error:
        return error.message
    return ""


def _lock(appointment: ImagingAppointment) -> ImagingAppointment:
    locked = (
        ImagingAppointment.objects.select_for_update()
        .select_related("referral")
        .get(pk=appointment.pk)
    )
    _refuse_unless_changeable(locked, locked.referral)
    return locked


@transaction.atomic
def imaging_appointment_change(
    *,
    appointment: ImagingAppointment,
    at: datetime,
    place: str,
    notes: str = "",
    by: User,
) -> ImagingAppointment:
    """Move an imaging appointment or correct its place or notes (the examination stays)."""
    locked = _lock(appointment)
    _refuse_unless_open(at)
    previous = locked.at
    locked.at = at
    locked.place = place.strip()
    locked.notes = notes.strip()
    locked.save(update_fields=["at", "place", "notes"])
    log_event(
        referral=locked.referral,
        action="imaging.rescheduled",
        actor=by,
        data={
            "appointment": locked.pk,
            "modality": locked.modality,
            "from_at": timezone.localtime(previous).isoformat(),
            "at": timezone.localtime(at).isoformat(),
        },
    )
    return locked


@transaction.atomic
def imaging_appointment_cancel(
    *, appointment: ImagingAppointment, reason: str, by: User
) -> ImagingAppointment:
    """Cancel with a reason; the row stays (who, when, why) and the examination can be booked
    again."""
    reason = (reason or "").strip()
    if not reason:
        raise SchedulingError(
            _("Indiquez le motif de l’annulation (par exemple : demande du patient).")
        )
    locked = _lock(appointment)
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = by
    locked.cancel_reason = reason
    locked.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    log_event(
        referral=locked.referral,
        action="imaging.cancelled",
        actor=by,
        data={
            "appointment": locked.pk,
            "modality": locked.modality,
            "at": timezone.localtime(locked.at).isoformat(),
            "reason": reason,
        },
    )
    return locked
