"""Imaging appointments: the centre does the CT or MRI a referral lacks (rule B-IMAGING)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import User
from referrals.choices import ACTIVE_STATUSES
from referrals.models import Referral
from referrals.services import log_event
from scheduling.errors import SchedulingError
from scheduling.models import ImagingAppointment, Modality


def missing_modalities(referral: Referral) -> list[str]:
    """The examinations the referral still lacks: ["ct"], ["mri"], both or none."""
    missing = []
    if not referral.ct_available:
        missing.append(Modality.CT.value)
    if not referral.mri_available:
        missing.append(Modality.MRI.value)
    return missing


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
    """Record a CT or MRI appointment at the centre; the GP sees it on the referral."""
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
    if at <= timezone.now():
        raise SchedulingError(_("Choisissez une date et une heure à venir."))
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
    return appointment
