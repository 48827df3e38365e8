"""Which sessions a referral is offered and which dates are refused: medication holds, the ideal
window (confirmation), the 6-month limit. Clock frozen on Friday 4 December 2026."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.choices import Status
from scheduling.errors import NeedsConfirmation, NotBookable, TooEarly, TooLate
from scheduling.selectors import proposals
from scheduling.services.bookings import booking_create
from scheduling.windows import plan_for
from tests.scheduling.helpers import accepted_referral, day_session

TUE_8 = date(2026, 12, 8)
WED_9 = date(2026, 12, 9)
TUE_15 = date(2026, 12, 15)
THU_17 = date(2026, 12, 17)
TUE_22 = date(2026, 12, 22)


@pytest.fixture
def sessions(frozen: time_machine.Coordinates, db: None) -> dict[date, object]:
    return {day: day_session(day) for day in (TUE_8, WED_9, TUE_15, THU_17, TUE_22)}


def _offered(referral: object) -> dict[date, bool]:
    plan = plan_for(referral)  # type: ignore[arg-type]
    return {p.session.date: p.in_target for p in proposals(plan)}


def test_without_medication_sessions_from_tomorrow_are_offered_and_marked_against_the_target(
    sessions: dict[date, object],
) -> None:
    referral = accepted_referral(fracture_age_days=10)  # fracture 24/11: ideal until 15/12
    assert referral.target_before == TUE_15
    assert _offered(referral) == {
        TUE_8: True,
        WED_9: True,
        TUE_15: True,
        THU_17: False,
        TUE_22: False,
    }


def test_vka_hold_keeps_the_first_six_days_free(sessions: dict[date, object]) -> None:
    # 2027.1 B-VKA: last dose on J−6 (today at the latest), so J is Thursday 10 at the earliest.
    referral = accepted_referral(antithrombotics=["vka"])
    assert plan_for(referral).earliest == date(2026, 12, 10)
    assert min(_offered(referral)) == TUE_15


def test_prasugrel_hold_of_eight_days_moves_the_first_session(
    sessions: dict[date, object],
) -> None:
    referral = accepted_referral(antithrombotics=["prasugrel"])
    assert plan_for(referral).earliest == date(2026, 12, 12)
    assert min(_offered(referral)) == TUE_15


def test_general_anaesthesia_needs_two_days_for_the_consultation(
    frozen: time_machine.Coordinates, db: None
) -> None:
    referral = accepted_referral(anaesthesia="general")
    assert plan_for(referral).earliest == date(2026, 12, 6)


def test_aspirin_does_not_delay_the_procedure(frozen: time_machine.Coordinates, db: None) -> None:
    referral = accepted_referral(antithrombotics=["aspirin"])
    assert plan_for(referral).earliest == date(2026, 12, 5)


def test_booking_before_the_hold_is_refused_naming_the_medication(
    sessions: dict[date, object], secretary: User
) -> None:
    referral = accepted_referral(antithrombotics=["clopidogrel"])
    with pytest.raises(TooEarly) as refused:
        booking_create(referral=referral, session=sessions[TUE_8], by=secretary)
    assert "10 décembre 2026" in refused.value.message
    assert "Clopidogrel (Plavix) à J−6" in refused.value.message
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_booking_after_the_ideal_window_needs_confirmation(
    sessions: dict[date, object], secretary: User
) -> None:
    referral = accepted_referral(fracture_age_days=10)
    with pytest.raises(NeedsConfirmation, match="cochez la case"):
        booking_create(referral=referral, session=sessions[THU_17], by=secretary)
    booking = booking_create(
        referral=referral, session=sessions[THU_17], by=secretary, confirm_outside_ideal=True
    )
    assert booking.confirmed_outside_ideal_window


def test_booking_on_the_last_ideal_day_needs_no_confirmation(
    sessions: dict[date, object], secretary: User
) -> None:
    referral = accepted_referral(fracture_age_days=10)
    booking = booking_create(referral=referral, session=sessions[TUE_15], by=secretary)
    assert not booking.confirmed_outside_ideal_window


def test_booking_after_the_six_month_limit_is_refused_even_confirmed(
    sessions: dict[date, object], secretary: User
) -> None:
    # Fracture 170 days ago: the 183-day limit falls on Thursday 17 December. Semi-recent, so
    # 2027.1 asks for failed opioids to keep it indicated (B-SEMI-RECENT).
    referral = accepted_referral(fracture_age_days=170, opioids_failed=True)
    assert referral.latest_until == THU_17
    assert max(_offered(referral)) == THU_17
    with pytest.raises(TooLate, match="6 mois"):
        booking_create(
            referral=referral, session=sessions[TUE_22], by=secretary, confirm_outside_ideal=True
        )
    assert booking_create(referral=referral, session=sessions[THU_17], by=secretary)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.DECLINED, Status.SURGERY])
def test_only_a_referral_accepted_by_a_radiologist_can_be_booked(
    sessions: dict[date, object], secretary: User, status: str
) -> None:
    referral = accepted_referral()
    referral.status = status
    referral.save(update_fields=["status"])
    with pytest.raises(NotBookable, match="acceptée par le radiologue"):
        booking_create(referral=referral, session=sessions[TUE_8], by=secretary)
    assert not referral.bookings.exists()


def test_booking_page_offers_only_allowed_sessions_and_says_why(
    sessions: dict[date, object], secretary_client: Client
) -> None:
    referral = accepted_referral(antithrombotics=["vka"])
    page = secretary_client.get(reverse("scheduling:book", args=[referral.pk])).content.decode()
    assert "Mercredi 9 décembre 2026" not in page
    assert "Mardi 15 décembre 2026" in page
    assert "dernière prise : Antivitamine K (AVK) à J−6" in page
    assert "Après la date cible : confirmation requise" in page


def test_declined_referral_booking_page_sends_back_with_the_reason(
    sessions: dict[date, object], secretary_client: Client
) -> None:
    referral = accepted_referral()
    referral.status = Status.DECLINED
    referral.save(update_fields=["status"])
    response = secretary_client.get(reverse("scheduling:book", args=[referral.pk]), follow=True)
    assert "Seule une indication acceptée par le radiologue se programme" in (
        response.content.decode()
    )


def test_dabigatran_hold_follows_the_clearance(frozen: time_machine.Coordinates, db: None) -> None:
    # G-DOAC-DABIGATRAN: last dose J−4 from 50 mL/min, J−5 below (2026.1 said 2 days).
    assert plan_for(
        accepted_referral(antithrombotics=["dabigatran"], creatinine_clearance=60)
    ).earliest == date(2026, 12, 8)
    low = plan_for(accepted_referral(antithrombotics=["dabigatran"], creatinine_clearance=40))
    assert low.earliest == date(2026, 12, 9)
    assert "Dabigatran (Pradaxa) à J−5" in low.earliest_reason


def test_a_day_whose_consultation_deadline_has_passed_is_never_offered(
    db: None, secretary: User
) -> None:
    # Saturday 5 December: for Monday 7 or Tuesday 8, the consultation (J−2, moved to the working
    # day before) would have been on Friday 4, in the past.
    with time_machine.travel("2026-12-05 09:00 +01:00", tick=False):
        mon_7, tue_8, wed_9 = (day_session(date(2026, 12, d)) for d in (7, 8, 9))
        referral = accepted_referral(anaesthesia="general")
        plan = plan_for(referral)
        fits = {p.session.date: p.fits for p in proposals(plan)}
        assert fits == {mon_7.date: False, tue_8.date: False, wed_9.date: True}
        with pytest.raises(TooEarly, match="consultation d’anesthésie"):
            booking_create(referral=referral, session=tue_8, by=secretary)
        assert booking_create(referral=referral, session=wed_9, by=secretary)
