"""What each message says, rendered from templates in French when the task sends it.

A message crosses servers and phones the clinic does not control. The GP's carries the patient's
initials, the referral number and a link behind login, nothing else (as the decision e-mail
always did). The patient's carries the date, the arrival time, the place, the clinic's phone and
generic instructions: never a diagnosis, a level, a procedure or a drug name (tests check it).
A follow-up invitation carries the questionnaire's link and how long it stays valid, nothing
else; its token exists only in the text rendered for one attempt (services/sending.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from clinic.dates import long_date
from notifications.choices import Channel, Kind, Recipient
from notifications.models import Message
from referrals.choices import DecisionKind
from referrals.models import Patient, Referral
from referrals.services.patients import patient_for_gp

# The GP's referral page (referral intake); the GP home until that page exists.
GP_REFERRAL_URL_NAMES = ("referrals:gp_referral_detail", "referrals:gp_detail", "referrals:detail")


@dataclass(frozen=True)
class Content:
    subject: str  # empty for an SMS
    body: str


@dataclass(frozen=True)
class QuestionnaireLink:
    url: str
    expires_at: datetime


def patient_initials(patient: Patient | None) -> str:
    """« M. C. » for Claire MARTIN: enough for the GP to recognise their patient, no more."""
    if patient is None:
        return "—"
    family = patient.used_name or patient.birth_name
    parts = [p for p in (family, patient.first_names) if p]
    return " ".join(f"{p.strip()[0].upper()}." for p in parts if p.strip()) or "—"


def gp_referral_url(referral: Referral) -> str:
    """Absolute link to the referral as the GP sees it."""
    for name in GP_REFERRAL_URL_NAMES:
        try:
            path = reverse(name, kwargs={"pk": referral.pk})
        except NoReverseMatch:
            continue
        return f"{settings.SITE_URL}{path}"
    return f"{settings.SITE_URL}{reverse('home_gp')}"


def clock(hour: int, minute: int) -> str:
    """« 7 h 30 », as French letters write times."""
    return f"{hour} h {minute:02d}"


def _clinic() -> dict[str, str]:
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_address": settings.CLINIC_ADDRESS,
        "clinic_phone": settings.CLINIC_PHONE,
    }


def _gp_context(message: Message) -> dict[str, Any]:
    referral = message.referral
    context: dict[str, Any] = {
        "kind": message.kind,
        "gp": referral.gp,
        "referral_number": referral.pk,
        # The name as this GP typed it, not a record shared with other GPs (security row 5).
        "initials": patient_initials(patient_for_gp(referral)),
        "url": gp_referral_url(referral),
        **_clinic(),
    }
    if message.kind == Kind.DECISION and message.decision is not None:
        context["radiologist"] = message.decision.radiologist.display_name
        context["asks_information"] = message.decision.kind == DecisionKind.REQUEST_INFORMATION
    return context


def _patient_context(message: Message, link: QuestionnaireLink | None) -> dict[str, Any]:
    context: dict[str, Any] = {"kind": message.kind, **_clinic()}
    if link is not None:
        context["url"] = link.url
        context["until"] = long_date(timezone.localtime(link.expires_at).date())
    if message.booking is not None:
        booking = message.booking
        context["day"] = long_date(booking.session.date, weekday=True)
        context["arrival"] = clock(booking.arrival_time.hour, booking.arrival_time.minute)
    elif message.imaging is not None:
        at = timezone.localtime(message.imaging.at)
        context["day"] = long_date(at.date(), weekday=True)
        context["arrival"] = clock(at.hour, at.minute)
        context["place"] = message.imaging.place
    return context


def render_message(message: Message, *, link: QuestionnaireLink | None = None) -> Content:
    """The subject and body of `message`, in French whatever the sender's language; `link` is a
    follow-up invitation's questionnaire link, minted for this attempt."""
    with translation.override("fr"):
        if message.recipient == Recipient.GP:
            context = _gp_context(message)
            prefix = "decision" if message.kind == Kind.DECISION else "gp"
            subject = render_to_string(f"emails/{prefix}_subject.txt", context)
            body = render_to_string(f"emails/{prefix}_body.txt", context)
            return Content(" ".join(subject.split()), body)
        context = _patient_context(message, link)
        if message.channel == Channel.SMS:
            text = render_to_string("notifications/patient_sms.txt", context)
            return Content("", " ".join(text.split()))
        subject = render_to_string("notifications/patient_email_subject.txt", context)
        body = render_to_string("notifications/patient_email_body.txt", context)
        return Content(" ".join(subject.split()), body)
