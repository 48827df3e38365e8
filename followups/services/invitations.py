"""Inviting a patient to answer a follow-up through their personal link, by e-mail.

Idempotent, so that the task queue may run it again: nothing is sent for a follow-up already
answered, one whose patient has no e-mail address, or one with a link still alive. The e-mail
leaves after the transaction commits (security row 23) and names no health data: only the
clinic and the link."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinic.models import User
from followups.links import has_live_link, link_create
from followups.models import FollowUp
from referrals.choices import TimelineAction
from referrals.services.timeline import log_event


def followup_url(token: str) -> str:
    """The absolute address of a questionnaire (SITE_URL, else a relative path)."""
    path = reverse("followups:answer", kwargs={"token": token})
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


@transaction.atomic
def send_followup_invitation(
    *, followup_id: int, by: User | None = None, now: datetime | None = None
) -> bool:
    """E-mail the patient a link to follow-up `followup_id`; False when nothing was sent."""
    now = now or timezone.now()
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("referral", "referral__patient")
        .get(pk=followup_id)
    )
    patient = followup.referral.patient
    if hasattr(followup, "answer") or patient is None or not patient.email:
        return False
    if has_live_link(followup, now=now):
        return False
    link, token = link_create(followup=followup, now=now)
    with translation.override("fr"):
        subject = _("Votre suivi après le geste — %(clinic)s") % {"clinic": settings.CLINIC_NAME}
        body = _(
            "Bonjour,\n\nL'équipe de %(clinic)s prend de vos nouvelles après votre geste. "
            "Répondez à quelques questions (2 minutes) en ouvrant ce lien personnel, valable "
            "une seule fois jusqu'au %(until)s :\n\n%(url)s\n\nEn cas de problème, appelez le "
            "%(phone)s.\n"
        ) % {
            "clinic": settings.CLINIC_NAME,
            "until": timezone.localtime(link.expires_at).strftime("%d/%m/%Y"),
            "url": followup_url(token),
            "phone": settings.CLINIC_EMERGENCY_PHONE,
        }
    recipient = patient.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    )
    log_event(
        referral=followup.referral,
        action=TimelineAction.FOLLOWUP_LINK_SENT,
        actor=by,
        data={"followup": followup.pk, "kind": followup.kind},
        at=now,
    )
    return True
