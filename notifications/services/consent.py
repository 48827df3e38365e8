"""The desk records how the patient agrees to be contacted (when booking)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.errors import DomainError
from clinic.models import User
from notifications.choices import Channel
from notifications.contacts import confirmed_address, sms_enabled
from notifications.models import ContactConsent
from referrals.models import Referral
from referrals.services.timeline import log_event


def consent_refusal(referral: Referral, channel: str) -> str:
    """Why `channel` cannot be chosen for this patient now ("" when it can)."""
    if channel == Channel.NONE:
        return ""
    if channel == Channel.SMS and not sms_enabled():
        return _("La clinique n’envoie pas de SMS : choisissez l’e-mail ou aucun message.")
    patient = referral.patient
    if patient is None or patient.confirmed_at is None:
        return _(
            "Le dossier du patient n’est pas encore confirmé par la clinique : confirmez ses "
            "coordonnées (vérification d’identité) avant de choisir un message, ou choisissez "
            "« aucun message »."
        )
    if confirmed_address(patient, channel) is None:
        if channel == Channel.SMS:
            return _(
                "Le dossier confirmé n’a pas de numéro de portable : complétez-le ou choisissez "
                "un autre canal."
            )
        return _(
            "Le dossier confirmé n’a pas d’adresse e-mail : complétez-le ou choisissez un autre "
            "canal."
        )
    return ""


@transaction.atomic
def consent_record(*, referral: Referral, channel: str, by: User) -> ContactConsent:
    """Record the patient's choice (who recorded it and when); refused when the confirmed record
    has no detail for that channel."""
    if channel not in Channel.values:
        raise DomainError(_("Choisissez comment prévenir le patient."), field="contact_channel")
    refusal = consent_refusal(referral, channel)
    if refusal:
        raise DomainError(refusal, field="contact_channel")
    assert referral.patient_id is not None  # consent_refusal refused a referral without one
    consent = ContactConsent.objects.create(
        patient_id=referral.patient_id,
        referral=referral,
        channel=channel,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    log_event(
        referral=referral,
        action="patient.contact_consent",
        actor=by,
        data={"channel": channel},
    )
    return consent
