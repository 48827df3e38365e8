"""Where a patient may be messaged: only to details clinic staff confirmed (security row 29),
only on the channel the patient agreed to when the desk booked them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from notifications import sms
from notifications.choices import Channel
from notifications.models import ContactConsent
from referrals.models import Patient

_SEPARATORS = re.compile(r"[\s.\-()/]")


def sms_number(phone: str) -> str | None:
    """The E.164 form of a number that can receive an SMS (« 06 12 34 56 78 » → « +33612345678 »),
    or None for a landline or something unreadable."""
    digits = _SEPARATORS.sub("", phone or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"0[67]\d{8}", digits):
        return "+33" + digits[1:]
    if digits.startswith("+33"):
        return digits if re.fullmatch(r"\+33[67]\d{8}", digits) else None
    return digits if re.fullmatch(r"\+[1-9]\d{7,14}", digits) else None


def sms_enabled() -> bool:
    return bool(getattr(type(sms.get_backend()), "enabled", True))


def latest_consent(patient_id: int | None) -> ContactConsent | None:
    if patient_id is None:
        return None
    return ContactConsent.objects.filter(patient_id=patient_id).first()


@dataclass(frozen=True)
class Address:
    channel: str
    to: str


def confirmed_address(patient: Patient | None, channel: str) -> Address | None:
    """The confirmed e-mail or mobile number for `channel`, or None (record not confirmed by
    staff, detail missing, a landline for an SMS)."""
    if patient is None or patient.confirmed_at is None:
        return None
    if channel == Channel.EMAIL and patient.email:
        return Address(Channel.EMAIL, patient.email)
    if channel == Channel.SMS:
        number = sms_number(patient.phone)
        if number:
            return Address(Channel.SMS, number)
    return None


def patient_address(patient: Patient | None) -> Address | None:
    """Where this patient's messages go now: their latest consent, on confirmed details."""
    if patient is None:
        return None
    consent = latest_consent(patient.pk)
    if consent is None or consent.channel == Channel.NONE:
        return None
    return confirmed_address(patient, consent.channel)
