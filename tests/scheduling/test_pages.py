"""The secretary's pages through the test client: home lists, booking flow, day view, imaging
appointments; and what the GP sees of the appointment."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.choices import Status
from referrals.models import Referral
from scheduling.models import Booking, ImagingAppointment
from scheduling.services.bookings import booking_create
from tests.factories import ReferralFactory
from tests.scheduling.helpers import accepted_referral, day_session

TUE_8 = date(2026, 12, 8)
THU_17 = date(2026, 12, 17)

pytestmark = pytest.mark.usefixtures("frozen")


def test_home_lists_accepted_referrals_most_urgent_first(secretary_client: Client) -> None:
    later = accepted_referral(fracture_age_days=2)  # ideal window ends 23/12
    sooner = accepted_referral(fracture_age_days=15)  # ideal window ends 10/12
    page = secretary_client.get(reverse("home_secretary")).content.decode()
    assert "Planning de l’hôpital de jour" in page
    assert page.index(sooner.patient.full_name) < page.index(later.patient.full_name)
    assert reverse("scheduling:book", args=[sooner.pk]) in page


def test_home_runs_a_constant_number_of_queries(secretary_client: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert secretary_client.get(reverse("home_secretary")).status_code == 200
        return len(queries)

    accepted_referral()
    day_session(TUE_8)
    ReferralFactory(status=Status.SUBMITTED, mri_available=False)
    baseline = count()
    for _ in range(3):
        accepted_referral()
        ReferralFactory(status=Status.SUBMITTED, ct_available=False)
    day_session(THU_17)
    assert count() == baseline


def test_secretary_books_from_the_page_and_gets_the_convocation_link(
    secretary_client: Client,
) -> None:
    referral = accepted_referral()
    session = day_session(TUE_8, start=time(13, 30), end=time(17, 30))
    response = secretary_client.post(
        reverse("scheduling:book", args=[referral.pk]),
        {"session": session.pk, "contact_channel": "none"},
        follow=True,
    )
    page = response.content.decode()
    assert "Rendez-vous programmé le 8 décembre 2026, arrivée à 12\u00a0h\u00a030" in page
    booking = Booking.objects.get(referral=referral)
    assert reverse("scheduling:convocation", args=[booking.pk]) in page
    referral.refresh_from_db()
    assert referral.status == Status.SCHEDULED


def test_booking_after_the_target_asks_to_tick_the_box_and_keeps_the_choice(
    secretary_client: Client,
) -> None:
    referral = accepted_referral()
    late = day_session(THU_17)
    url = reverse("scheduling:book", args=[referral.pk])
    response = secretary_client.post(url, {"session": late.pk, "contact_channel": "none"})
    page = response.content.decode()
    assert "cochez la case de confirmation" in page
    # Said above the list too, with a link to the box below it (30 sessions can stand between).
    summary = page.index('href="#id_confirm_outside_ideal"')
    assert (
        summary
        < page.index('class="list-group proposals"')
        < page.index('id="id_confirm_outside_ideal"')
    )
    assert re.search(rf'id="session-{late.pk}"[^>]*checked', page)  # the choice stays selected
    assert not Booking.objects.exists()
    ticked = {"session": late.pk, "confirm_outside_ideal": "on", "contact_channel": "none"}
    # Ticked, but why not earlier? The quality dashboard counts the answer.
    unexplained = secretary_client.post(url, ticked).content.decode()
    assert "Indiquez pourquoi le patient n’est pas programmé plus tôt" in unexplained
    assert not Booking.objects.exists()
    confirmed = secretary_client.post(url, {**ticked, "late_cause": "no_room"})
    assert confirmed.status_code == 302
    booked = Booking.objects.get()
    assert booked.confirmed_outside_ideal_window and booked.late_cause == "no_room"


def test_booking_a_full_session_says_it_is_full(secretary_client: Client, secretary: User) -> None:
    session = day_session(TUE_8, day_places=1)
    booking_create(referral=accepted_referral(), session=session, by=secretary)
    referral = accepted_referral()
    response = secretary_client.post(
        reverse("scheduling:book", args=[referral.pk]),
        {"session": session.pk, "contact_channel": "none"},
    )
    page = response.content.decode()
    assert "est complète : plus aucune place d’hôpital de jour" in page
    assert "Complet" in page


def test_day_view_shows_each_session_its_patients_and_occupancy(
    secretary_client: Client, secretary: User
) -> None:
    session = day_session(TUE_8)
    referral = accepted_referral(levels=("L1", "L2"))
    booking_create(referral=referral, session=session, by=secretary)
    page = secretary_client.get(f"{reverse('scheduling:day')}?date=2026-12-08").content.decode()
    assert "Hôpital de jour — Mardi 8 décembre 2026" in page
    assert referral.patient.full_name in page
    assert "<strong>60/240</strong>" in page
    assert "<strong>1/4</strong>" in page
    assert "L1, L2" in page
    assert "data-print" in page


def test_day_view_with_an_unreadable_date_falls_back_to_today(secretary_client: Client) -> None:
    response = secretary_client.get(f"{reverse('scheduling:day')}?date=demain")
    page = response.content.decode()
    assert "Date illisible" in page
    assert "Vendredi 4 décembre 2026" in page


def test_secretary_records_an_mri_for_an_incomplete_referral(
    secretary_client: Client, gp: User
) -> None:
    referral = ReferralFactory(status=Status.SUBMITTED, mri_available=False, gp=gp)
    home = secretary_client.get(reverse("home_secretary")).content.decode()
    assert reverse("scheduling:imaging", args=[referral.pk]) in home
    url = reverse("scheduling:imaging", args=[referral.pk])
    refused = secretary_client.post(
        url, {"modality": "ct", "day": "2026-12-09", "time": "10:00", "place": "Centre"}
    )
    assert "Choisissez un examen qui manque au dossier." in refused.content.decode()
    response = secretary_client.post(
        url,
        {"modality": "mri", "day": "2026-12-09", "time": "10:30", "place": "IRM, niveau -1"},
        follow=True,
    )
    booked = "Rendez-vous programmé : IRM le 9 décembre 2026 à 10\u00a0h\u00a030."
    assert booked in response.content.decode()
    appointment = ImagingAppointment.objects.get(referral=referral)
    assert referral.events.get(action="imaging.requested").data["appointment"] == appointment.pk


def test_imaging_in_the_past_or_on_a_holiday_is_refused(secretary_client: Client) -> None:
    referral = ReferralFactory(status=Status.SUBMITTED, ct_available=False)
    url = reverse("scheduling:imaging", args=[referral.pk])
    past = secretary_client.post(
        url, {"modality": "ct", "day": "2026-12-03", "time": "10:00", "place": "Centre"}
    )
    assert "Cette date est passée" in past.content.decode()
    holiday = secretary_client.post(
        url, {"modality": "ct", "day": "2026-12-25", "time": "10:00", "place": "Centre"}
    )
    assert "jour férié (Noël)" in holiday.content.decode()
    assert not ImagingAppointment.objects.exists()


def test_a_draft_is_invisible_to_the_secretary(secretary_client: Client) -> None:
    draft = ReferralFactory(status=Status.DRAFT)
    assert secretary_client.get(reverse("scheduling:referral", args=[draft.pk])).status_code == 404
    assert secretary_client.get(reverse("scheduling:book", args=[draft.pk])).status_code == 404


def _gp_view(referral: Referral, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "scheduling/includes/gp_appointment.html", {"referral": referral}, request=request
    )


def test_gp_sees_the_appointment_and_imaging_on_their_referral(secretary: User, gp: User) -> None:
    referral = accepted_referral(gp=gp, mri_available=False)
    booking = booking_create(referral=referral, session=day_session(TUE_8), by=secretary)
    ImagingAppointment.objects.create(
        referral=referral,
        modality="mri",
        at=booking.procedure_at().replace(day=7, hour=15),
        place="Centre, IRM",
        created_by=secretary,
    )
    html = _gp_view(referral, gp)
    assert "Mardi 8 décembre 2026" in html
    assert "arrivée à 7\u00a0h\u00a000" in html  # kept on one line
    assert "IRM au centre" in html and "Lundi 7 décembre 2026" in html and "15:00" in html
    assert reverse("scheduling:convocation", args=[booking.pk]) in html


def test_gp_home_lists_each_appointment_in_a_constant_number_of_queries(
    secretary: User, gp: User, client: Client
) -> None:
    client.force_login(gp)
    session = day_session(TUE_8)
    first = accepted_referral(gp=gp, mri_available=False)
    booking_create(referral=first, session=session, by=secretary)
    ImagingAppointment.objects.create(
        referral=first,
        modality="mri",
        at=timezone.make_aware(datetime(2026, 12, 7, 15, 0)),
        place="Centre, IRM",
        created_by=secretary,
    )
    client.get(reverse("home_gp"))  # the session and the user, warmed

    def home() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("home_gp")).content.decode()
        return html, len(queries)

    html, one = home()
    for _ in range(3):
        booking_create(referral=accepted_referral(gp=gp), session=session, by=secretary)
    more, four = home()

    assert "Cimentoplastie programmée :</strong> 08/12/2026, arrivée 7\u00a0h\u00a000" in html
    assert "IRM au centre :</strong> 07/12/2026 à 15:00" in html
    assert "Convocation du patient" not in html  # the referral page offers it, not the list
    assert more.count("Cimentoplastie programmée") == 4
    assert four == one


def test_gp_home_writes_the_appointment_the_english_way_in_english(
    secretary: User, gp: User, client: Client
) -> None:
    client.force_login(gp)
    referral = accepted_referral(gp=gp)
    booking_create(referral=referral, session=day_session(TUE_8), by=secretary)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = client.get(reverse("home_gp")).content.decode()

    assert "Cementoplasty booked:</strong> 08/12/2026, arrival 7:00" in html
    detail = client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))
    assert "Cementoplasty booked:</strong>" in detail.content.decode()
    assert "7:00" in detail.content.decode() and "7 h 00" not in detail.content.decode()


def test_gp_sees_nothing_when_nothing_is_scheduled(gp: User) -> None:
    referral = ReferralFactory(gp=gp, status=Status.SUBMITTED)
    assert "Cimentoplastie programmée" not in _gp_view(referral, gp)


def test_sessions_page_lists_upcoming_sessions_with_occupancy(
    secretary_client: Client, frozen: time_machine.Coordinates
) -> None:
    day_session(TUE_8, room="Salle bleue")
    page = secretary_client.get(reverse("scheduling:sessions")).content.decode()
    assert "Mardi 8 décembre 2026" in page
    assert "Salle bleue" in page
