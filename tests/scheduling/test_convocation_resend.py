"""Convocations sent with another date: when dates are recomputed under a new ruleset
(manage.py reevaluate_referrals), a booking whose convocation already went out with a date the
plan no longer gives is listed on the desk's home (« Convocations à renvoyer ») with the old and
the new date, until the desk marks it sent again; both steps are on the referral's timeline.
Clock frozen on Friday 4 December 2026; the procedure on Thursday 10 December."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import AccessLog, User
from referrals.models import Decision, Referral
from scheduling.models import Booking, Convocation, ConvocationChange
from scheduling.services.bookings import booking_cancel, booking_create
from scheduling.services.convocations import convocation_check
from tests.scheduling.helpers import accepted_referral, day_session

THU_10 = date(2026, 12, 10)

pytestmark = pytest.mark.usefixtures("frozen")


def _as_decided_under_2026_1(referral: Referral) -> None:
    """The accept decision as 2026.1 stored it: a DOAC « 2 days » hold, no medication plan."""
    decision = referral.current_decision
    assert decision is not None
    output = {
        k: v
        for k, v in decision.engine_output.items()
        if k not in ("medication_plan", "preparation", "options")
    }
    old = Decision.objects.create(
        referral=referral,
        kind=decision.kind,
        radiologist=decision.radiologist,
        decided_at=decision.decided_at,
        supersedes=decision,
        ruleset_version="2026.1",
        engine_verdict=decision.engine_verdict,
        facts=decision.facts,
        engine_output={
            **output,
            "ruleset": "2026.1",
            "holds": [{"action": "doac_hold", "days": 2}],
        },
        levels_to_treat=decision.levels_to_treat,
        stay=decision.stay,
        anaesthesia=decision.anaesthesia,
    )
    referral.current_decision = old
    referral.save(update_fields=["current_decision"])


def _booked_under_2026_1(secretary: User, *, handed_out: bool = True) -> Booking:
    referral = accepted_referral(antithrombotics=["doac"])
    _as_decided_under_2026_1(referral)
    booking = booking_create(referral=referral, session=day_session(THU_10), by=secretary)
    if handed_out:
        # Downloaded before convocations recorded their dates: the read-access log knows.
        AccessLog.objects.create(
            at=timezone.now(),
            user=secretary,
            patient_id=referral.patient_id,
            referral_id=referral.pk,
            what="pdf.convocation",
            object_id=booking.pk,
            outcome=AccessLog.Outcome.GRANTED,
        )
    return booking


def _reevaluate() -> str:
    out = io.StringIO()
    call_command("reevaluate_referrals", stdout=out)
    return out.getvalue()


def test_a_2026_1_convocation_with_the_doac_on_j_minus_2_is_listed_with_both_dates(
    secretary: User, secretary_client: Client
) -> None:
    booking = _booked_under_2026_1(secretary)
    assert "1 convocation(s) to send again" in _reevaluate()
    change = ConvocationChange.objects.get(booking=booking)
    assert change.changes == [{"what": "last_dose:doac", "old": "2026-12-08", "new": "2026-12-05"}]
    event = booking.referral.events.get(action="booking.convocation_outdated")
    assert event.data["changes"] == change.changes

    html = secretary_client.get(reverse("home_secretary")).content.decode()
    assert "Convocations à renvoyer" in html
    assert booking.referral.patient.full_name in html or str(booking.referral.patient) in html
    assert "Dernière prise : AOD, nom à préciser :" in html
    assert "<del>mardi 8 décembre 2026</del>" in html
    assert "<strong>samedi 5 décembre 2026</strong>" in html
    assert reverse("scheduling:convocation", args=[booking.pk]) in html
    # Run again: listed once.
    assert "0 convocation(s) to send again" in _reevaluate()
    assert ConvocationChange.objects.filter(booking=booking).count() == 1


def test_marking_it_resent_takes_it_off_the_list_and_says_so_on_the_timeline(
    secretary: User, secretary_client: Client, radiologist_client: Client
) -> None:
    booking = _booked_under_2026_1(secretary)
    _reevaluate()
    change = ConvocationChange.objects.get(booking=booking)
    response = secretary_client.post(reverse("scheduling:convocation_resend", args=[change.pk]))
    assert response.status_code == 302
    home = secretary_client.get(reverse("home_secretary")).content.decode()
    assert "marquée comme renvoyée" in home
    assert "Convocations à renvoyer" not in home
    event = booking.referral.events.get(action="booking.convocation_resent")
    assert event.actor == secretary
    # The new convocation's dates are those handed out now: nothing more to send.
    assert Convocation.objects.get(booking=booking).dates["last_dose:doac"] == "2026-12-05"
    assert "0 convocation(s) to send again" in _reevaluate()
    # The radiologist reads both steps on the referral's timeline, with the dates.
    page = radiologist_client.get(
        reverse("referrals:radiology_referral", args=[booking.referral_id])
    ).content.decode()
    assert "Convocation à renvoyer : une date a changé" in page
    assert "Nouvelle convocation envoyée au patient" in page
    assert "8 décembre 2026 → 5 décembre 2026" in page
    # A second click says it was already done.
    again = secretary_client.post(
        reverse("scheduling:convocation_resend", args=[change.pk]), follow=True
    )
    assert "Cette convocation a déjà été renvoyée." in again.content.decode()


def test_a_convocation_never_handed_out_is_not_listed(secretary: User) -> None:
    _booked_under_2026_1(secretary, handed_out=False)
    assert "0 convocation(s) to send again" in _reevaluate()
    assert not ConvocationChange.objects.exists()


def test_a_cancelled_booking_is_not_listed(secretary: User) -> None:
    booking = _booked_under_2026_1(secretary)
    booking_cancel(
        booking=booking, by=secretary, reason_kind="medical", reason="Patiente hospitalisée."
    )
    assert "0 convocation(s) to send again" in _reevaluate()


def test_a_convocation_downloaded_records_its_dates_once(
    secretary: User, secretary_client: Client
) -> None:
    booking = booking_create(
        referral=accepted_referral(antithrombotics=["apixaban"], creatinine_clearance=60),
        session=day_session(THU_10),
        by=secretary,
    )
    url = reverse("scheduling:convocation", args=[booking.pk])
    assert secretary_client.get(url).status_code == 200
    assert secretary_client.get(url).status_code == 200
    issued = Convocation.objects.get(booking=booking)
    assert issued.dates["last_dose:apixaban"] == "2026-12-07"  # J−3 before Thursday 10
    assert issued.dates["resume:apixaban"] == "2026-12-12"  # J+2
    assert issued.issued_by == secretary
    # Its dates are today's: nothing to send again.
    assert "0 convocation(s) to send again" in _reevaluate()


def test_a_recorded_convocation_whose_date_no_longer_matches_is_listed(
    secretary: User, secretary_client: Client
) -> None:
    booking = booking_create(
        referral=accepted_referral(antithrombotics=["apixaban"], creatinine_clearance=60),
        session=day_session(THU_10),
        by=secretary,
    )
    secretary_client.get(reverse("scheduling:convocation", args=[booking.pk]))
    printed = Convocation.objects.get(booking=booking)
    # As if printed under an older plan: the last dose a day later.
    Convocation.objects.create(
        booking=booking,
        issued_at=timezone.now(),
        ruleset="2026.1",
        dates={**printed.dates, "last_dose:apixaban": "2026-12-08"},
    )
    change = convocation_check(booking=booking, today=date(2026, 12, 4))
    assert change is not None
    assert change.changes == [
        {"what": "last_dose:apixaban", "old": "2026-12-08", "new": "2026-12-07"}
    ]
