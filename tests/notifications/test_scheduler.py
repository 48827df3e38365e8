"""`manage.py enqueue_due_tasks`, run every 5 minutes over a week with a frozen clock: each
reminder leaves once, two working days before (over a public-holiday Monday), each last-dose
message on its day, none for a cancelled appointment; periodic jobs once a day or month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from clinic.models import User
from notifications import sms
from notifications.models import JobRun
from notifications.scheduler import reminder_day
from referrals.models import Referral
from scheduling.models import Booking
from scheduling.services.bookings import booking_cancel, booking_create
from tests.factories import PatientFactory
from tests.scheduling.helpers import accepted_referral, day_session

# Easter Monday 29 March 2027 is a public holiday: Tuesday 30 is the procedure day.
TUE_30 = date(2027, 3, 30)
WED_24 = date(2027, 3, 24)
FRI_26 = date(2027, 3, 26)
BOOKED_ON = "2027-03-19 10:00 +01:00"  # a Friday
WEEK_START = datetime(2027, 3, 22, 0, 0)  # Monday 00:00, Paris


def test_two_working_days_before_skips_weekends_and_public_holidays() -> None:
    assert reminder_day(TUE_30) == date(2027, 3, 25)  # Thursday: Friday, then Thursday
    assert reminder_day(WED_24) == date(2027, 3, 22)  # Monday
    assert reminder_day(date(2027, 3, 22)) == date(2027, 3, 18)  # a Monday: the Thursday


@pytest.fixture
def booked_on_friday() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(BOOKED_ON, tick=False) as traveller:
        yield traveller


def _book(referral: Referral, day: date, secretary: User) -> Booking:
    return booking_create(
        referral=referral,
        session=day_session(day),
        by=secretary,
        confirm_outside_ideal=True,
        contact_channel="sms",
    )


def _patient(phone: str) -> Any:
    return PatientFactory(phone=phone)


def test_a_week_of_runs_every_5_minutes_sends_each_message_once_on_its_day(
    booked_on_friday: time_machine.Coordinates,
    secretary: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # On a VKA with heparin bridging: last VKA dose J−6 (Wednesday 24), last injection J−1
    # (Monday 29, the holiday), reminder on Thursday 25.
    vka = accepted_referral(
        antithrombotics=["vka"], vka_bridging=True, patient=_patient("06 11 11 11 11")
    )
    plain = accepted_referral(patient=_patient("06 22 22 22 22"))
    cancelled = accepted_referral(patient=_patient("06 33 33 33 33"))
    with django_capture_on_commit_callbacks(execute=True):
        _book(vka, TUE_30, secretary)
        _book(plain, WED_24, secretary)
        gone = _book(cancelled, FRI_26, secretary)
    assert len(sms.outbox) == 3  # « votre rendez-vous est fixé… »
    sms.outbox.clear()

    received: list[tuple[str, date, str]] = []
    instant = timezone.make_aware(WEEK_START)
    while instant < timezone.make_aware(WEEK_START + timedelta(days=8)):
        booked_on_friday.move_to(instant)
        before = len(sms.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            if instant == timezone.make_aware(datetime(2027, 3, 23, 12, 0)):
                booking_cancel(booking=gone, by=secretary, reason_kind="patient")
            call_command("enqueue_due_tasks", stdout=_Quiet())
        for message in sms.outbox[before:]:
            received.append((message.to, timezone.localdate(), _kind(message.text)))
        instant += timedelta(minutes=5)

    assert received == [
        ("+33622222222", date(2027, 3, 22), "reminder"),
        ("+33633333333", date(2027, 3, 23), "cancelled"),  # then no reminder on the 24th
        ("+33611111111", date(2027, 3, 24), "last_dose"),
        ("+33611111111", date(2027, 3, 25), "reminder"),
        ("+33611111111", date(2027, 3, 29), "last_dose"),
    ]
    # Not at night: each leaves at the first run from 9 o'clock.
    assert {(t.hour, t.minute) for t in _sent_hours(vka) + _sent_hours(plain)} == {(9, 0)}
    # The orphan-file purge once a day, the retention report once (in March).
    assert JobRun.objects.filter(job="purge_orphan_files").count() == 8
    assert list(JobRun.objects.filter(job="retention_due").values_list("day", flat=True)) == [
        date(2027, 3, 1)
    ]


def test_running_twice_at_once_sends_nothing_twice(
    booked_on_friday: time_machine.Coordinates,
    secretary: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _book(accepted_referral(patient=_patient("06 22 22 22 22")), WED_24, secretary)
    sms.outbox.clear()
    booked_on_friday.move_to("2027-03-22 09:00 +01:00")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enqueue_due_tasks", stdout=_Quiet())
        call_command("enqueue_due_tasks", stdout=_Quiet())
    assert [m.to for m in sms.outbox] == ["+33622222222"]


def _sent_hours(referral: Referral) -> list[datetime]:
    return [
        timezone.localtime(sent)
        for sent in referral.messages.filter(day__isnull=False).values_list("sent_at", flat=True)
    ]


def _kind(text: str) -> str:
    if "dernière prise aujourd’hui" in text:
        return "last_dose"
    if "rappel" in text:
        return "reminder"
    if "est annulé" in text:
        return "cancelled"
    return text


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
