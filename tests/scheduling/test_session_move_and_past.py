"""Sessions in the past (recording what happened) and sessions moved with their patients."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from clinic.models import User
from notifications.models import Message
from referrals.choices import Status
from scheduling.errors import NeedsConfirmation, SchedulingError, SessionRefused
from scheduling.models import Booking, BookingStatus, DaySession
from scheduling.services.bookings import booking_create
from scheduling.services.past import booking_record_past
from scheduling.services.session_move import session_move
from scheduling.services.sessions import SessionSpec, session_create
from scheduling.windows import plan_for
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")  # Friday 4 December 2026
TODAY = date(2026, 12, 4)
TUE_1 = date(2026, 12, 1)
TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)
TUE_15 = date(2026, 12, 15)


# Past sessions: recorded within a month, on a holiday too; what they may hold.


def test_a_session_of_last_week_is_recorded_from_the_form(
    secretary_client: Client, radiologist: User
) -> None:
    response = secretary_client.post(
        reverse("scheduling:session_new"),
        {
            "date": "2026-12-01",
            "room": "Salle 1",
            "radiologist": radiologist.pk,
            "start_time": "08:00",
            "end_time": "13:00",
            "procedure_minutes": "240",
            "day_places": "4",
            "overnight_beds": "1",
        },
    )
    assert response.status_code == 302
    assert DaySession.objects.get().date == TUE_1


def test_a_past_holiday_session_is_recorded_but_not_one_older_than_a_month(
    radiologist: User, secretary: User
) -> None:
    spec = SessionSpec("Salle 1", radiologist, time(8), time(13), 240, 4)
    armistice = session_create(day=date(2026, 11, 11), spec=spec, by=secretary, today=TODAY)
    assert armistice.date == date(2026, 11, 11)  # it happened: a fact is recorded
    with pytest.raises(SessionRefused, match="dans les 31 derniers jours"):
        session_create(day=date(2026, 11, 2), spec=spec, by=secretary, today=TODAY)


def test_a_patient_who_came_is_recorded_in_a_past_session_without_any_message(
    secretary: User,
) -> None:
    session = day_session(TODAY)
    referral = accepted_referral()

    booking = booking_record_past(referral=referral, session=session, by=secretary, today=TODAY)

    assert booking.status == BookingStatus.ARRIVED
    referral.refresh_from_db()
    assert referral.status == Status.ARRIVED
    assert referral.events.filter(action="booking.arrived").exists()
    assert not Message.objects.exists()


def test_recording_refuses_a_session_to_come_and_a_day_before_the_acceptance(
    secretary: User,
) -> None:
    referral = accepted_referral()  # accepted today
    with pytest.raises(SchedulingError, match="Cette séance est à venir"):
        booking_record_past(
            referral=referral, session=day_session(TUE_8), by=secretary, today=TODAY
        )
    with pytest.raises(SchedulingError, match="ne peut pas avoir eu lieu avant"):
        booking_record_past(
            referral=referral, session=day_session(TUE_1), by=secretary, today=TODAY
        )
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and not Booking.objects.exists()


def test_a_past_session_is_never_proposed_for_an_ordinary_booking(
    secretary_client: Client,
) -> None:
    past = day_session(TUE_1)
    referral = accepted_referral()
    page = secretary_client.get(reverse("scheduling:book", args=[referral.pk])).content.decode()
    assert f'id="session-{past.pk}"' not in page


def test_the_day_view_of_a_past_day_records_who_came(
    secretary_client: Client, secretary: User, frozen: time_machine.Coordinates
) -> None:
    session = day_session(TUE_1)
    frozen.move_to("2026-11-30 09:00 +01:00")
    referral = accepted_referral()  # accepted the day before the session
    frozen.move_to("2026-12-04 09:00 +01:00")
    url = f"{reverse('scheduling:day')}?date=2026-12-01"
    page = secretary_client.get(url).content.decode()
    assert page.count("Noter un patient venu") == 1  # one form for the day, not one a session
    assert f'<option value="{session.pk}">' in page and f'<option value="{referral.pk}">' in page

    response = secretary_client.post(
        reverse("scheduling:day_record"),
        {"date": "2026-12-01", "session": session.pk, "referral": referral.pk},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url
    assert "venue notée le 1er décembre 2026" in strip_tags(response.content.decode())
    assert Booking.objects.get(referral=referral).status == BookingStatus.ARRIVED


def test_noting_who_came_without_choosing_says_what_is_missing_and_keeps_the_day(
    secretary_client: Client, frozen: time_machine.Coordinates
) -> None:
    day_session(TUE_1)
    day_session(TUE_1, room="Salle V2")
    frozen.move_to("2026-12-04 09:00 +01:00")
    url = f"{reverse('scheduling:day')}?date=2026-12-01"
    page = secretary_client.get(url).content.decode()
    assert "— choisir la séance —" in page  # two sessions: none chosen for the secretary

    response = secretary_client.post(
        reverse("scheduling:day_record"), {"date": "2026-12-01"}, follow=True
    )

    assert response.redirect_chain[-1][0] == url
    text = strip_tags(response.content.decode())
    assert "Choisissez la séance à laquelle le patient est venu." in text
    assert "Choisissez le patient venu dans la liste des indications acceptées." in text
    assert not Booking.objects.exists()


def test_a_future_session_cannot_be_noted_as_come(
    secretary_client: Client, frozen: time_machine.Coordinates
) -> None:
    frozen.move_to("2026-11-30 09:00 +01:00")
    referral = accepted_referral()
    future = day_session(TUE_8)

    response = secretary_client.post(
        reverse("scheduling:day_record"),
        {"date": "2026-12-08", "session": future.pk, "referral": referral.pk},
        follow=True,
    )

    assert "Cette séance n’est pas passée ou n’existe plus" in strip_tags(response.content.decode())
    assert not Booking.objects.exists()


# Moving a session with its patients.


def _book(session: DaySession, secretary: User, **fields: object) -> Booking:
    return booking_create(referral=accepted_referral(**fields), session=session, by=secretary)


def test_a_session_moves_with_its_patients_who_are_told(secretary: User) -> None:
    session = day_session(TUE_8)
    first = _book(session, secretary)
    second = _book(session, secretary)
    Message.objects.all().delete()

    outcome = session_move(session=session, day=THU_10, by=secretary, today=TODAY)

    session.refresh_from_db()
    assert session.date == THU_10
    assert {b.pk for b in outcome.moved} == {first.pk, second.pk}
    for booking in (first, second):
        booking.refresh_from_db()
        assert booking.session_id == session.pk and booking.status == BookingStatus.BOOKED
        assert booking.change_reason == "clinic"  # the dashboard's « moved by the clinic »
        event = booking.referral.events.get(action="booking.rescheduled")
        assert event.data["from_date"] == "2026-12-08" and event.data["date"] == "2026-12-10"
        assert Message.objects.filter(booking=booking, kind="moved", recipient="gp").exists()


def test_a_move_that_breaks_a_patients_medication_hold_is_refused_naming_them(
    secretary: User,
) -> None:
    session = day_session(TUE_15)
    held = accepted_referral(antithrombotics=["clopidogrel"])
    earliest = plan_for(held, today=TODAY).earliest
    assert TUE_8 < earliest <= TUE_15
    booking_create(referral=held, session=session, by=secretary)
    free = _book(session, secretary)

    with pytest.raises(SessionRefused) as refused:
        session_move(session=session, day=TUE_8, by=secretary, today=TODAY)

    assert str(held.patient) in refused.value.message
    assert str(free.referral.patient) not in refused.value.message
    assert "Trop tôt" in refused.value.message
    session.refresh_from_db()
    assert session.date == TUE_15  # nothing moved


def test_a_move_past_a_patients_target_needs_confirmation_then_flags_the_booking(
    secretary: User,
) -> None:
    session = day_session(TUE_8)
    late = _book(session, secretary, fracture_age_days=17)  # ideal window ends on 8 December
    late.referral.refresh_from_db()
    assert plan_for(late.referral, today=TODAY, rescheduling=True).target == date(2026, 12, 8)

    with pytest.raises(NeedsConfirmation, match=str(late.referral.patient)):
        session_move(session=session, day=TUE_15, by=secretary, today=TODAY)
    outcome = session_move(
        session=session, day=TUE_15, by=secretary, confirm_outside_ideal=True, today=TODAY
    )

    late.refresh_from_db()
    assert late.confirmed_outside_ideal_window
    assert [b.pk for b in outcome.past_target] == [late.pk]


def test_a_past_session_or_one_already_started_does_not_move(secretary: User) -> None:
    with pytest.raises(SessionRefused, match="Cette séance est passée"):
        session_move(session=day_session(TUE_1), day=TUE_8, by=secretary, today=TODAY)
    today_session = day_session(TODAY)
    booking_record_past(
        referral=accepted_referral(), session=today_session, by=secretary, today=TODAY
    )
    with pytest.raises(SessionRefused, match="a déjà commencé"):
        session_move(session=today_session, day=TUE_8, by=secretary, today=TODAY)


def test_the_move_page_refuses_a_room_already_taken_and_moves_otherwise(
    secretary_client: Client, secretary: User
) -> None:
    session = day_session(TUE_8)
    booking = _book(session, secretary)
    day_session(THU_10)  # same room, same hours
    url = reverse("scheduling:session_move", args=[session.pk])

    taken = secretary_client.post(url, {"day": "2026-12-10"}).content.decode()
    assert "La salle « Salle 1 » est déjà réservée le 10 décembre 2026" in taken
    assert str(booking.referral.patient) in taken  # the page lists who will be told

    moved = secretary_client.post(url, {"day": "2026-12-15"}, follow=True).content.decode()
    assert "Séance déplacée au 15 décembre 2026 avec son patient" in moved
