"""The safety checklist: each item with who and when; no procedure recorded while an item is
missing, unless a radiologist overrides it with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from clinic.errors import DomainError
from clinic.models import User
from procedures.models import ChecklistCheck
from procedures.services.checklist import checklist_override, checklist_record, items_for
from referrals.choices import Status
from referrals.models import Referral
from scheduling.models import Booking, BookingStatus
from scheduling.services.bookings import booking_mark_done
from tests.procedures.helpers import THU_10, TUE_8, arrived_booking, complete_checklist


@pytest.fixture
def booking(secretary: User) -> Booking:
    return arrived_booking(secretary=secretary)


def test_the_inr_is_an_item_only_for_a_patient_on_a_vka(secretary: User) -> None:
    plain = arrived_booking(secretary=secretary)
    vka = arrived_booking(secretary=secretary, day=THU_10, antithrombotics=["vka"])

    assert "inr" not in items_for(plain.referral)
    assert "inr" in items_for(vka.referral)


def test_each_item_is_recorded_with_who_and_when(booking: Booking, secretary: User) -> None:
    checklist_record(booking=booking, by=secretary, items=["identity", "consent"])

    checks = ChecklistCheck.objects.filter(booking=booking)
    assert {c.item for c in checks} == {"identity", "consent"}
    assert {c.checked_by_id for c in checks} == {secretary.pk}
    assert all(c.checked_at is not None for c in checks)


def test_the_desk_cannot_note_the_procedure_while_an_item_is_missing(
    booking: Booking, secretary: User
) -> None:
    items = [i for i in items_for(booking.referral) if i != "fasting"]
    checklist_record(booking=booking, by=secretary, items=items)

    with pytest.raises(DomainError, match="Jeûne respecté"):
        booking_mark_done(booking=booking, by=secretary, today=TUE_8)
    assert Referral.objects.get(pk=booking.referral_id).status == Status.ARRIVED
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.ARRIVED

    checklist_record(booking=booking, by=secretary, items=["fasting"])
    booking_mark_done(booking=booking, by=secretary, today=TUE_8)
    assert Referral.objects.get(pk=booking.referral_id).status == Status.DONE


def test_a_radiologist_overrides_a_missing_item_with_a_reason(
    booking: Booking, secretary: User, radiologist: User
) -> None:
    checklist_record(booking=booking, by=secretary, items=["identity"])
    with pytest.raises(DomainError):
        checklist_override(booking=booking, by=radiologist, reason="  ")
    with pytest.raises(PermissionDenied):
        checklist_override(booking=booking, by=secretary, reason="Urgence")

    checklist_override(booking=booking, by=radiologist, reason="Patient confus, famille absente")
    booking_mark_done(booking=booking, by=secretary, today=TUE_8)

    events = list(booking.referral.events.values_list("action", flat=True))
    assert "procedure.checklist_overridden" in events


def test_the_inr_needs_its_value(secretary: User) -> None:
    booking = arrived_booking(secretary=secretary, day=THU_10, antithrombotics=["vka"])
    with pytest.raises(DomainError, match="INR"):
        checklist_record(booking=booking, by=secretary, items=["inr"])

    complete_checklist(booking, secretary)
    assert ChecklistCheck.objects.get(booking=booking, item="inr").value == "1,3"


def test_the_checklist_page_says_what_is_missing(
    booking: Booking, secretary_client: Client
) -> None:
    url = reverse("procedures:checklist", args=[booking.referral_id])
    response = secretary_client.post(url, {"items": ["identity", "consent"]}, follow=True)

    html = response.content.decode()
    assert "Check-list incomplète" in html
    assert "Jeûne respecté" in html
    assert ChecklistCheck.objects.filter(booking=booking).count() == 2
