"""The secretary changes or cancels an imaging appointment at the centre; what the GP then sees."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.choices import Status
from referrals.models import Referral
from scheduling.errors import SchedulingError
from scheduling.models import ImagingAppointment
from scheduling.services.imaging import imaging_appointment_create
from tests.conftest import client_for
from tests.factories import FractureLevelFactory, ReferralFactory

pytestmark = pytest.mark.usefixtures("frozen")  # Friday 4 December 2026, 9:00

WED_9_AT_10 = timezone.make_aware(datetime(2026, 12, 9, 10, 30))


@pytest.fixture
def referral(gp: User) -> Referral:
    referral = ReferralFactory(gp=gp, status=Status.SUBMITTED, mri_available=False)
    FractureLevelFactory(referral=referral)
    return referral


@pytest.fixture
def mri(referral: Referral, secretary: User) -> ImagingAppointment:
    return imaging_appointment_create(
        referral=referral, modality="mri", at=WED_9_AT_10, place="IRM, niveau -1", by=secretary
    )


def _change(client: Client, mri: ImagingAppointment, **data: str) -> str:
    url = reverse("scheduling:imaging_change", args=[mri.pk])
    fields = {"day": "2026-12-10", "time": "14:00", "place": "IRM, niveau -2", "notes": ""}
    return client.post(url, fields | data, follow=True).content.decode()


def _cancel(client: Client, mri: ImagingAppointment, reason: str) -> str:
    url = reverse("scheduling:imaging_cancel", args=[mri.pk])
    return client.post(url, {"reason": reason}, follow=True).content.decode()


def test_secretary_moves_an_imaging_appointment_and_the_timeline_keeps_both_dates(
    secretary_client: Client, mri: ImagingAppointment
) -> None:
    form = secretary_client.get(reverse("scheduling:imaging_change", args=[mri.pk]))
    assert 'value="2026-12-09"' in form.content.decode()  # the form opens on the current date
    assert 'name="modality"' not in form.content.decode()  # the examination stays

    page = _change(secretary_client, mri, notes="À jeun")

    assert "Rendez-vous modifié : IRM le 10 décembre 2026 à 14\u00a0h\u00a000." in page
    mri.refresh_from_db()
    assert mri.at == timezone.make_aware(datetime(2026, 12, 10, 14, 0))
    assert (mri.modality, mri.place, mri.notes) == ("mri", "IRM, niveau -2", "À jeun")
    event = mri.referral.events.get(action="imaging.rescheduled")
    assert event.data["appointment"] == mri.pk
    assert datetime.fromisoformat(event.data["from_at"]) == WED_9_AT_10
    assert datetime.fromisoformat(event.data["at"]) == mri.at


def test_moving_an_imaging_appointment_to_the_past_is_refused_and_keeps_what_was_typed(
    secretary_client: Client, mri: ImagingAppointment
) -> None:
    page = _change(secretary_client, mri, day="2026-12-03", place="Salle 3 du scanner")

    assert "Cette date est passée : choisissez une date à venir." in page
    assert 'value="2026-12-03"' in page and 'value="Salle 3 du scanner"' in page
    mri.refresh_from_db()
    assert (mri.at, mri.place) == (WED_9_AT_10, "IRM, niveau -1")
    assert not mri.referral.events.filter(action="imaging.rescheduled").exists()


def test_moving_an_imaging_appointment_to_a_holiday_is_refused(
    secretary_client: Client, mri: ImagingAppointment
) -> None:
    assert "jour férié (Noël)" in _change(secretary_client, mri, day="2026-12-25")
    mri.refresh_from_db()
    assert mri.at == WED_9_AT_10


def test_cancelling_an_imaging_appointment_requires_a_reason(
    secretary_client: Client, mri: ImagingAppointment
) -> None:
    page = _cancel(secretary_client, mri, "  ")

    assert "Indiquez le motif de l’annulation" in page
    mri.refresh_from_db()
    assert mri.cancelled_at is None
    assert not mri.referral.events.filter(action="imaging.cancelled").exists()


def test_a_cancelled_appointment_leaves_the_gp_pages_and_the_exam_can_be_booked_again(
    secretary_client: Client, gp_client: Client, secretary: User, mri: ImagingAppointment
) -> None:
    assert (
        "IRM au centre :</strong> 09/12/2026 à 10:30"
        in gp_client.get(reverse("home_gp")).content.decode()
    )

    home = secretary_client.get(reverse("home_secretary")).content.decode()
    assert "IRM : rendez-vous le 09/12/2026 10:30" in home
    page = _cancel(secretary_client, mri, "Le patient est hospitalisé ailleurs")

    assert "Rendez-vous annulé : IRM du 9 décembre 2026." in page
    assert "Le patient est hospitalisé ailleurs" in page  # the desk keeps the reason in view
    assert "annulé par Sophie Durand le 04/12/2026 09:00" in page
    mri.refresh_from_db()
    assert mri.cancelled_at == timezone.now() and mri.cancelled_by == secretary
    event = mri.referral.events.get(action="imaging.cancelled")
    assert datetime.fromisoformat(event.data.pop("at")) == WED_9_AT_10
    assert event.data == {
        "appointment": mri.pk,
        "modality": "mri",
        "reason": "Le patient est hospitalisé ailleurs",
    }
    assert "IRM au centre" not in gp_client.get(reverse("home_gp")).content.decode()
    detail = reverse("referrals:gp_referral_detail", args=[mri.referral_id])
    gp_page = gp_client.get(detail).content.decode()
    assert "IRM au centre" not in gp_page
    assert "Examen d’imagerie au centre annulé" in gp_page  # the timeline says so
    home = secretary_client.get(reverse("home_secretary")).content.decode()
    assert "IRM, 09/12/2026" not in home
    assert reverse("scheduling:imaging", args=[mri.referral_id]) in home

    booked = secretary_client.post(
        reverse("scheduling:imaging", args=[mri.referral_id]),
        {"modality": "mri", "day": "2026-12-11", "time": "09:00", "place": "IRM"},
        follow=True,
    ).content.decode()
    assert "Rendez-vous programmé : IRM le 11 décembre 2026" in booked
    assert ImagingAppointment.objects.live().filter(referral_id=mri.referral_id).count() == 1
    assert (
        "IRM au centre :</strong> 11/12/2026 à 09:00"
        in gp_client.get(reverse("home_gp")).content.decode()
    )


@pytest.mark.parametrize("persona", ["gp", "radiologist"], indirect=True)
def test_gp_and_radiologist_cannot_change_or_cancel_an_imaging_appointment(
    persona: User, mri: ImagingAppointment
) -> None:
    client = client_for(persona)
    for name in ("scheduling:imaging_change", "scheduling:imaging_cancel"):
        url = reverse(name, args=[mri.pk])
        assert client.get(url).status_code == 403, name
        data = {"day": "2026-12-10", "time": "14:00", "place": "X", "reason": "Essai"}
        assert client.post(url, data).status_code == 403, name
    mri.refresh_from_db()
    assert (mri.at, mri.cancelled_at) == (WED_9_AT_10, None)


def test_imaging_on_a_closed_referral_can_be_neither_changed_nor_cancelled(
    secretary_client: Client, mri: ImagingAppointment
) -> None:
    Referral.objects.filter(pk=mri.referral_id).update(status=Status.DONE)
    referral_page = reverse("scheduling:referral", args=[mri.referral_id])
    assert reverse("scheduling:imaging_change", args=[mri.pk]) not in (
        secretary_client.get(referral_page).content.decode()
    )

    for page in (_change(secretary_client, mri), _cancel(secretary_client, mri, "Erreur")):
        assert "Cette demande est « Geste réalisé » : ses examens d’imagerie ne peuvent" in page

    mri.refresh_from_db()
    assert (mri.at, mri.cancelled_at) == (WED_9_AT_10, None)
    changes = mri.referral.events.filter(action__in=["imaging.rescheduled", "imaging.cancelled"])
    assert not changes.exists()


def test_a_cancelled_appointment_cannot_be_changed_or_cancelled_twice(
    secretary_client: Client, mri: ImagingAppointment
) -> None:
    _cancel(secretary_client, mri, "Doublon")

    page = _change(secretary_client, mri)
    assert "Ce rendez-vous d’imagerie est annulé" in page
    assert "Ce rendez-vous d’imagerie est annulé" in _cancel(secretary_client, mri, "Encore")
    mri.refresh_from_db()
    assert (mri.at, mri.cancel_reason) == (WED_9_AT_10, "Doublon")
    assert mri.referral.events.filter(action="imaging.cancelled").count() == 1


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("2026-12-13", "Le centre d’imagerie est fermé le dimanche et les jours fériés"),
        ("2026-12-25", "Le 25 décembre 2026 est un jour férié (Noël)"),
    ],
    ids=["a Sunday", "Christmas Day"],
)
def test_an_exam_is_never_moved_to_a_day_the_centre_is_closed(
    mri: ImagingAppointment, secretary: User, day: str, said: str
) -> None:
    page = _change(client_for(secretary), mri, day=day)

    assert said in page
    mri.refresh_from_db()
    assert mri.at == WED_9_AT_10


@pytest.mark.parametrize(
    ("modality", "missing", "said"),
    [
        ("mri", {"mri_available": False}, "Un rendez-vous d’IRM est déjà programmé"),
        ("ct", {"ct_available": False}, "Un rendez-vous de scanner est déjà programmé"),
        (
            "bone_scan",
            {"mri_available": False, "mri_contraindicated": True, "mri_alternative": ""},
            "Un rendez-vous de scintigraphie osseuse est déjà programmé",
        ),
    ],
)
def test_a_second_live_exam_of_the_same_kind_is_refused_in_good_french(
    gp: User, secretary: User, modality: str, missing: dict[str, object], said: str
) -> None:
    referral = ReferralFactory(gp=gp, status=Status.SUBMITTED, **missing)
    FractureLevelFactory(referral=referral)
    imaging_appointment_create(
        referral=referral, modality=modality, at=WED_9_AT_10, place="Centre", by=secretary
    )
    with pytest.raises(SchedulingError) as refused:
        imaging_appointment_create(
            referral=referral, modality=modality, at=WED_9_AT_10, place="Centre", by=secretary
        )
    assert str(refused.value).startswith(said)
    assert "de IRM" not in str(refused.value)
    assert ImagingAppointment.objects.live().filter(referral=referral).count() == 1


def test_a_past_exam_can_no_longer_be_changed_nor_cancelled(
    mri: ImagingAppointment, secretary: User, frozen: time_machine.Coordinates
) -> None:
    frozen.move_to("2026-12-09 12:00 +01:00")  # the MRI was at 10:30 this morning
    secretary_client = client_for(secretary)  # logged in on the day (sessions expire)

    moved = _change(secretary_client, mri)
    cancelled = _cancel(secretary_client, mri, "Patient absent")

    assert "Ce rendez-vous d’imagerie est passé" in moved
    assert "Ce rendez-vous d’imagerie est passé" in cancelled
    mri.refresh_from_db()
    assert mri.at == WED_9_AT_10 and not mri.is_cancelled
