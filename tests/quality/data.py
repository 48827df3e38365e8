"""A small hand-built November 2026 where every quality figure is known (see test_figures.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from clinic.models import User
from followups.models import FollowUp, FollowUpAnswer
from procedures.models import ProcedureReport
from quality.facts import treated_refresh
from referrals.choices import DecisionKind, Status, Verdict
from referrals.models import Decision, Referral
from scheduling.models import Booking, BookingStatus, ChangeReason, DaySession
from tests.factories import ReferralFactory


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def session(day: date, by: User) -> DaySession:
    return DaySession.objects.create(
        date=day,
        room="Salle 1",
        radiologist=by,
        start_time=time(8),
        end_time=time(12),
        procedure_minutes=120,
        day_places=2,
        created_by=by,
    )


def booking(referral: Referral, where: DaySession, status: str, by: User, **kw: Any) -> Booking:
    return Booking.objects.create(
        referral=referral,
        patient=referral.patient,
        session=where,
        status=status,
        minutes=30,
        stay="day_hospital",
        start_time=time(9),
        arrival_time=time(8),
        booked_by=by,
        booked_at=at(where.date - timedelta(days=7)),
        **kw,
    )


def decision(referral: Referral, kind: str, on: date, by: User, **kw: Any) -> Decision:
    return Decision.objects.create(
        referral=referral,
        kind=kind,
        radiologist=by,
        decided_at=at(on),
        ruleset_version="2027.1",
        engine_verdict=kw.pop("engine_verdict", Verdict.ELIGIBLE),
        facts={},
        engine_output=kw.pop("engine_output", {"findings": []}),
        **kw,
    )


def treated(
    *,
    fracture: date,
    submitted: date,
    decided: date,
    done: Booking | None,
    pain: int,
    by: User,
    grade: str = "none",
    **kw: Any,
) -> Referral:
    referral = ReferralFactory(
        status=Status.DONE,
        pain_nrs=pain,
        submitted_at=at(submitted),
        ideal_until=fracture + timedelta(days=21),
        latest_until=fracture + timedelta(days=183),
        **kw,
    )
    accept = decision(referral, DecisionKind.ACCEPT, decided, by)
    referral.current_decision = accept
    referral.save(update_fields=["current_decision"])
    return referral


def report(referral: Referral, done: Booking, by: User, grade: str = "none") -> ProcedureReport:
    """A signed report, and its quality row, as `report_sign` writes them."""
    signed = ProcedureReport.objects.create(
        referral=referral,
        booking=done,
        performed_on=done.session.date,
        anaesthesia="local",
        complication=grade,
        dose_area_product=Decimal("10.00"),
        fluoroscopy_seconds=120,
        equipment="Arceau",
        signed_by=by,
        signed_at=at(done.session.date, 14),
    )
    treated_refresh(referral_ids=[referral.pk])
    return signed


def answer(
    referral: Referral, kind: str, on: date, pain: int, *, opioids: bool, complication: str = "none"
) -> None:
    # Answered, as the follow-up services flag it.
    followup = FollowUp.objects.create(referral=referral, kind=kind, due_on=on, answered=True)
    FollowUpAnswer.objects.create(
        followup=followup,
        channel="phone",
        answered_at=at(on),
        pain_nrs=pain,
        opioids=opioids,
        walking="normal",
        new_back_pain=False,
        new_fracture=False,
        complication=complication,
        satisfaction="4",
    )
    treated_refresh(referral_ids=[referral.pk])  # as the follow-up services do


def november(radiologist: User) -> dict[str, Referral]:
    by = radiologist
    s1, s2, s3 = (session(date(2026, 11, d), by) for d in (5, 12, 20))
    # A: fracture 20/10, referred at 5 days, decided at 2, treated 9 days later (16 from fracture).
    a = treated(
        fracture=date(2026, 10, 20),
        submitted=date(2026, 10, 25),
        decided=date(2026, 10, 27),
        done=None,
        pain=8,
        by=by,
    )
    report(a, booking(a, s1, BookingStatus.DONE, by), by)
    # B: fracture 01/10: 10, 4, 28 (42): information asked first, the patient moved the date.
    b = treated(
        fracture=date(2026, 10, 1),
        submitted=date(2026, 10, 11),
        decided=date(2026, 10, 15),
        done=None,
        pain=6,
        by=by,
    )
    decision(b, DecisionKind.REQUEST_INFORMATION, date(2026, 10, 13), by)
    moved = booking(b, s1, BookingStatus.RESCHEDULED, by, change_reason=ChangeReason.PATIENT)
    report(b, booking(b, s2, BookingStatus.DONE, by, rescheduled_from=moved), by)
    # C: fracture 01/06: 152, 2, 18 (172): drug holds past the window, then a no-show.
    c = treated(
        fracture=date(2026, 6, 1),
        submitted=date(2026, 10, 31),
        decided=date(2026, 11, 2),
        done=None,
        pain=10,
        by=by,
        earliest_procedure_date=date(2026, 11, 10),
    )
    booking(c, s2, BookingStatus.NO_SHOW, by)
    report(c, booking(c, s3, BookingStatus.DONE, by), by, grade="1")
    # D: not treated; a decline against the engine's eligible_ideal, justified.
    d = ReferralFactory(status=Status.DECLINED, submitted_at=at(date(2026, 11, 3)))
    decision(
        d,
        DecisionKind.DECLINE,
        date(2026, 11, 4),
        by,
        engine_verdict=Verdict.ELIGIBLE_IDEAL,
        engine_output={"findings": [{"rule": "B-AGE-IDEAL", "effect": "eligible_ideal"}]},
        justification="Fracture ancienne à l'IRM",
    )
    answer(a, "d1", date(2026, 11, 6), 3, opioids=False)  # 8 → 3: halved
    answer(b, "d1", date(2026, 11, 13), 4, opioids=True)  # 6 → 4: not halved
    return {"a": a, "b": b, "c": c, "d": d}
