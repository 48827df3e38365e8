"""Fictional demo history (seed_demo): what a clinic's first day shows once it has run a while.

- Today's session with patients at different steps: one still expected, one arrived, one done
  with a signed report.
- Past procedures (about 4, 2½ and 1½ months ago, and last week) with their D1, M1 and M3
  follow-ups answered when due (one M1 left late, to call), so that /suivi/ and the quality
  dashboard /qualite/ show data.
- An imaging appointment for the demo referral that lacks its MRI.

Everything goes through the real services (referral, engine, decision, session, booking,
checklist, signed report, follow-up answers), each step run with the clock set to the day it
happened (`_on`: django.utils.timezone.now patched, demo only), so that dates, timelines and
windows agree. Idempotent: once a demo procedure report exists nothing more is done.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

from django.utils import timezone

from clinic.models import Role, User
from followups.models import FollowUp, FollowUpKind, Satisfaction, Walking
from followups.services.answers import AnswerInput, followup_record
from procedures.choices import Approach, CirseGrade
from procedures.models import ProcedureReport
from procedures.services.checklist import checklist_record, items_for
from procedures.services.report import LevelInput, ReportInput, report_sign
from referrals.choices import Status
from referrals.fictional import fictional_nir
from referrals.models import Patient, Referral
from referrals.services.decisions import accept_referral, engine_basis
from referrals.services.drafts import ReferralInput, referral_save_draft
from referrals.services.submission import referral_submit
from scheduling.models import Booking, DaySession, ImagingAppointment, Modality
from scheduling.plan import is_working_day
from scheduling.services.bookings import booking_create, booking_mark_arrived
from scheduling.services.imaging import imaging_appointment_create, missing_modalities
from scheduling.services.sessions import SessionSpec, session_create

ROOM = "Salle d'intervention 1"


@contextmanager
def _on(day: date, at: time = time(9, 0)) -> Iterator[None]:
    """Run the services as on `day` at `at` (Paris): what they stamp and compute is that day's."""
    moment = timezone.make_aware(datetime.combine(day, at))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@dataclass(frozen=True)
class Story:
    gp: str
    birth_name: str
    first_names: str
    sex: str
    birth_date: date
    serial: int
    level: str
    days_ago: int  # the procedure, before today
    step: str = "done"  # today's patients: "booked", "arrived" or "done"
    # Follow-ups left to do (late): the worklist /suivi/ has someone to call.
    unanswered: tuple[str, ...] = ()
    # What the patient says at D1, M1, M3: (pain 0–10, walking, satisfaction).
    answers: tuple[tuple[int, str, str], ...] = (
        (4, Walking.AID, Satisfaction.RATHER),
        (2, Walking.NORMAL, Satisfaction.VERY),
        (1, Walking.NORMAL, Satisfaction.VERY),
    )


STORIES = [
    Story("medecin", "Bonnet", "Yvonne", "F", date(1938, 2, 11), 201, "L1", 120),
    Story("medecin2", "Mercier", "André", "M", date(1942, 8, 3), 202, "T12", 75,
          answers=((5, Walking.AID, Satisfaction.RATHER), (3, Walking.AID, Satisfaction.RATHER),
                   (2, Walking.NORMAL, Satisfaction.VERY))),
    Story("medecin", "Roux", "Madeleine", "F", date(1935, 5, 29), 203, "L2", 45,
          answers=((6, Walking.LIMITED, Satisfaction.LITTLE), (4, Walking.AID, Satisfaction.RATHER),
                   (3, Walking.AID, Satisfaction.RATHER)), unanswered=("m1",)),
    Story("medecin2", "Fontaine", "Lucien", "M", date(1946, 10, 14), 204, "T11", 7),
    # Today's session.
    Story("medecin", "Dumas", "Colette", "F", date(1940, 12, 1), 205, "L3", 0, step="done"),
    Story("medecin2", "Blanc", "Raymond", "M", date(1939, 3, 18), 206, "L1", 0, step="arrived"),
    Story("medecin", "Gauthier", "Irène", "F", date(1943, 7, 9), 207, "T12", 0, step="booked"),
]  # fmt: skip


def _working_day(day: date) -> date:
    """`day`, or the working day before it (no session on a Sunday or a holiday)."""
    while not is_working_day(day) or day.weekday() == 5:
        day -= timedelta(days=1)
    return day


def _session(day: date, radiologist: User, secretary: User) -> DaySession:
    found = DaySession.objects.filter(date=day, room=ROOM, start_time=time(8, 0)).first()
    if found is not None:
        return found
    spec = SessionSpec(ROOM, radiologist, time(8, 0), time(13, 0), 240, 4, 1)
    return session_create(day=day, spec=spec, by=secretary, today=day - timedelta(days=10))


def _referral(story: Story, gp: User, radiologist: User, sent: date) -> Referral | None:
    """Sent by the GP and accepted by the radiologist (the engine deciding on the facts)."""
    with _on(sent, time(10, 0)):
        referral = referral_save_draft(
            referral=None,
            by=gp,
            data=ReferralInput(
                patient={
                    "birth_name": story.birth_name,
                    "first_names": story.first_names,
                    "birth_date": story.birth_date,
                    "sex": story.sex,
                    "birth_place_insee": "99999",
                    "nir": fictional_nir(
                        story.sex, story.birth_date.year, story.birth_date.month, story.serial
                    ),
                    "phone": f"06 00 00 02 {story.serial % 100:02d}",
                    "email": f"patient{story.serial}@example.invalid",
                    "address": "10 rue Imaginaire, 75005 Paris",
                },
                facts={
                    "ct_available": True,
                    "mri_available": True,
                    "pain_nrs": 8,
                    "analgesics_failed": True,
                    "anaesthesia": "local",
                },
                levels=[
                    {
                        "level": story.level,
                        "fracture_date": sent - timedelta(days=8),
                        "cause": "osteoporotic",
                        "mri_oedema": True,
                    }
                ],
            ),
        )
        referral_submit(referral=referral, by=gp)
    accepted = sent + timedelta(days=1)
    with _on(accepted, time(14, 0)):
        basis = engine_basis(referral, as_of=accepted)
        if basis is None or not basis.levels_to_treat:
            return None
        accept_referral(
            referral=referral,
            by=radiologist,
            levels_to_treat=basis.levels_to_treat,
            stay="day_hospital",
            anaesthesia="local",
            message_to_gp="Indication retenue en staff.",
            notify_gp=False,
        )
    return referral


def _procedure(referral: Referral, booking: Booking, radiologist: User, secretary: User) -> None:
    day = booking.session.date
    with _on(day, time(10, 30)):
        checklist_record(booking=booking, by=secretary, items=items_for(referral))
        level = referral.current_decision.levels_to_treat[0]  # type: ignore[union-attr]
        report_sign(
            referral=referral,
            by=radiologist,
            today=day,
            data=ReportInput(
                levels=(LevelInput(level, Approach.BIPEDICULAR, "PMMA", Decimal("4.5")),),
                anaesthesia="local",
                complication=CirseGrade.NONE,
                dose_area_product=Decimal("12.4"),
                fluoroscopy_seconds=210,
                equipment="Arceau capteur plan",
                conclusion="Vertébroplastie sans incident.",
            ),
        )


def _answers(referral: Referral, story: Story, secretary: User, today: date) -> None:
    order: list[str] = [FollowUpKind.D1, FollowUpKind.M1, FollowUpKind.M3]
    due = FollowUp.objects.filter(referral=referral, due_on__lte=today)
    for followup in due.exclude(kind__in=story.unanswered):
        pain, walking, satisfaction = story.answers[order.index(followup.kind)]
        with _on(followup.due_on, time(11, 0)):
            followup_record(
                followup=followup,
                by=secretary,
                data=AnswerInput(
                    pain_nrs=pain,
                    opioids=pain >= 5,
                    walking=walking,
                    new_back_pain=False,
                    new_fracture=False,
                    satisfaction=satisfaction,
                ),
            )


def _story(story: Story, users: dict[str, User], today: date) -> None:
    gp, radiologist, secretary = users[story.gp], users["radiologue"], users["secretaire"]
    day = _working_day(today - timedelta(days=story.days_ago))
    referral = _referral(story, gp, radiologist, sent=day - timedelta(days=9))
    if referral is None:
        return
    session = _session(day, radiologist, secretary)
    with _on(day - timedelta(days=7), time(15, 0)):
        booking = booking_create(referral=referral, session=session, by=secretary)
    if story.step == "booked":
        return
    with _on(day, time(7, 30)):
        booking_mark_arrived(booking=booking, by=secretary, today=day)
    if story.step == "arrived":
        return
    _procedure(referral, booking, radiologist, secretary)
    _answers(referral, story, secretary, today)


def _imaging(secretary: User, today: date) -> None:
    """The demo referral that lacks its MRI gets an appointment at the centre."""
    for referral in Referral.objects.filter(
        status__in=(Status.SUBMITTED, Status.ACCEPTED), mri_available=False
    ):
        if Modality.MRI not in missing_modalities(referral):
            continue
        if ImagingAppointment.objects.filter(referral=referral).exists():
            continue
        day = today + timedelta(days=2)
        while not is_working_day(day):
            day += timedelta(days=1)
        imaging_appointment_create(
            referral=referral,
            modality=Modality.MRI,
            at=timezone.make_aware(datetime.combine(day, time(10, 30))),
            place="Centre d'imagerie de la clinique, 1er étage",
            by=secretary,
        )
        return


def seed_history(users: dict[str, User], **_: Any) -> None:
    if not {"radiologue", "secretaire", "medecin", "medecin2"} <= set(users):
        return
    if users["radiologue"].role != Role.RADIOLOGIST:
        return
    today = timezone.localdate()
    if not ProcedureReport.objects.exists():
        for story in STORIES:
            nir = fictional_nir(
                story.sex, story.birth_date.year, story.birth_date.month, story.serial
            )
            if Patient.objects.filter(nir=nir).exists():
                continue
            if story.days_ago == 0 and _working_day(today) != today:
                continue  # no session today (a Sunday or a holiday): no « today » to show
            _story(story, users, today)
    _imaging(users["secretaire"], today)
