"""E-mail to the referring GP when a radiologist decides. Called through transaction.on_commit, so
nothing is sent for a decision that was rolled back.

An e-mail crosses servers the clinic does not control: it carries no health data beyond the
patient's initials and the referral number, only a link to the referral page behind login (where
the decision and its letter are)."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from referrals.choices import DecisionKind
from referrals.models import Decision, Patient, Referral
from referrals.services.patients import patient_for_gp
from referrals.services.timeline import log_event

logger = logging.getLogger(__name__)

# The GP's referral page (referral intake); the GP home until that page exists.
GP_REFERRAL_URL_NAMES = ("referrals:gp_referral_detail", "referrals:gp_detail", "referrals:detail")


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


def notify_gp_of_decision(*, decision_id: int) -> bool:
    """Send the e-mail; True when it went out. A mail server failure is logged (without health
    data) and never undoes the decision, which the GP also sees on their home page."""
    decision = Decision.objects.select_related(
        "referral", "referral__gp", "referral__patient", "radiologist"
    ).get(pk=decision_id)
    referral = decision.referral
    gp = referral.gp
    if not gp.email:
        logger.warning("GP %s has no e-mail address: decision %s not notified", gp.pk, decision.pk)
        return False
    with translation.override("fr"):
        context = {
            "gp": gp,
            "referral_number": referral.pk,
            # The name as this GP typed it, not a record shared with other GPs (row 5).
            "initials": patient_initials(patient_for_gp(referral)),
            "radiologist": decision.radiologist.display_name,
            "asks_information": decision.kind == DecisionKind.REQUEST_INFORMATION,
            "url": gp_referral_url(referral),
            "clinic_name": settings.CLINIC_NAME,
            "clinic_phone": settings.CLINIC_PHONE,
        }
        subject = " ".join(render_to_string("emails/decision_subject.txt", context).split())
        body = render_to_string("emails/decision_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [gp.email])
    except (SMTPException, OSError):
        logger.exception("decision %s: e-mail to the GP failed", decision.pk)
        return False
    log_event(
        referral=referral,
        action="referral.gp_notified",
        actor=None,
        data={"decision_id": decision.pk},
    )
    return True
