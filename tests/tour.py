"""The main pages of each role, on a small clinic with a referral in every state that matters.

Shared by the accessibility walk in a real browser (tests/e2e/test_accessibility.py) and the
HTML checker (tests/test_valid_html.py): both look at the same pages, so a page added here is
checked both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from clinic.models import User
from followups.models import FollowUp
from notifications.models import ContactConsent
from referrals.choices import Status
from referrals.models import Referral
from scheduling.public_holidays import holiday_name
from scheduling.services.bookings import booking_create
from tests.factories import FractureLevelFactory, ReferralFactory
from tests.scheduling.helpers import accepted_referral, day_session


@dataclass(frozen=True)
class Stop:
    name: str
    path: str


def _working_day_after(start: date, days: int) -> date:
    day = start + timedelta(days=days)
    while day.weekday() >= 5 or holiday_name(day) is not None:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Clinic:
    draft: Referral
    submitted: Referral
    accepted: Referral
    booked: Referral
    session_day: date


def build_clinic(*, gp: User, radiologist: User, secretary: User) -> Clinic:
    """A draft, a referral to review, one accepted and waiting for a date, one booked."""
    draft = ReferralFactory(gp=gp, status=Status.DRAFT)
    FractureLevelFactory(referral=draft, level="L2")
    submitted = ReferralFactory(gp=gp, status=Status.SUBMITTED, submitted_at=timezone.now())
    FractureLevelFactory(referral=submitted, level="T12")
    from referrals.services.evaluation import referral_evaluate

    referral_evaluate(referral=submitted, reason="submitted")
    accepted = accepted_referral(gp=gp, radiologist=radiologist, ct_available=False)
    booked = accepted_referral(gp=gp, radiologist=radiologist, levels=("L1", "L3"))
    session_day = _working_day_after(timezone.localdate(), 7)
    session = day_session(session_day, radiologist=radiologist)
    booking_create(referral=booked, session=session, by=secretary, contact_channel="email")
    booked.refresh_from_db()
    _followups(secretary)
    return Clinic(
        draft=draft,
        submitted=submitted,
        accepted=accepted,
        booked=booked,
        session_day=session_day,
    )


def _followups(secretary: User) -> None:
    """A treated patient who agreed to e-mails: their M1 to call (two days late, the link can
    be sent), their D1 lost to follow-up."""
    treated = ReferralFactory(status=Status.DONE)
    FractureLevelFactory(referral=treated, level="L1")
    ContactConsent.objects.create(
        patient=treated.patient,
        referral=treated,
        channel="email",
        recorded_by=secretary,
        recorded_at=timezone.now(),
    )
    today = timezone.localdate()
    FollowUp.objects.create(referral=treated, kind="m1", due_on=today - timedelta(days=2))
    FollowUp.objects.create(referral=treated, kind="d1", due_on=today - timedelta(days=90))


def gp_stops(clinic: Clinic) -> list[Stop]:
    return [
        Stop("gp-home", "/medecin/"),
        Stop("gp-new-referral", "/medecin/demandes/nouvelle/"),
        Stop("gp-draft", f"/medecin/demandes/{clinic.draft.pk}/modifier/"),
        Stop("gp-referral-submitted", f"/medecin/demandes/{clinic.submitted.pk}/"),
        Stop("gp-referral-booked", f"/medecin/demandes/{clinic.booked.pk}/"),
        Stop("rules", "/regles/"),
    ]


def radiologist_stops(clinic: Clinic) -> list[Stop]:
    review = f"/radiologie/demandes/{clinic.submitted.pk}/"
    return [
        Stop("worklist", "/radiologie/"),
        Stop("review", review),
        Stop("review-decided", f"/radiologie/demandes/{clinic.booked.pk}/"),
        Stop("decide-accept", f"{review}accepter/"),
        Stop("decide-decline", f"{review}refuser/"),
        Stop("decide-request-information", f"{review}demander-informations/"),
        Stop("decide-surgery", f"{review}orienter-chirurgie/"),
        Stop("procedure", f"/geste/demandes/{clinic.booked.pk}/"),
        Stop("followups", "/suivi/"),
        Stop("quality", "/qualite/"),
    ]


def secretary_stops(clinic: Clinic) -> list[Stop]:
    return [
        Stop("secretary-home", "/secretariat/"),
        Stop("sessions", "/secretariat/seances/"),
        Stop("session-new", "/secretariat/seances/nouvelle/"),
        Stop("day", f"/secretariat/journee/?date={clinic.session_day:%Y-%m-%d}"),
        Stop("booking", f"/secretariat/demandes/{clinic.accepted.pk}/programmer/"),
        Stop("imaging", f"/secretariat/demandes/{clinic.accepted.pk}/imagerie/"),
        Stop("desk-referral", f"/secretariat/demandes/{clinic.booked.pk}/"),
        Stop("desk-followups", "/suivi/"),
        Stop("desk-followups-lost", "/suivi/?perdus=1"),
    ]


def admin_stops() -> list[Stop]:
    return [
        Stop("admin-home", "/administration/"),
        Stop("access-log", "/administration/journal-des-acces/"),
        Stop("admin-quality", "/qualite/"),
    ]


ANONYMOUS_STOPS = [
    Stop("login", "/connexion/"),
    Stop("password-reset", "/mot-de-passe-oublie/"),
    Stop("not-found", "/cette-page-n-existe-pas/"),
]
