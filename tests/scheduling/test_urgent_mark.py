"""G-NEURO (ruleset 2027.1): an urgent referral is marked where the desk and its GP see it, and
the desk's list of patients to book puts it first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.models import Referral
from tests.conftest import client_for
from tests.factories import PatientFactory
from tests.scheduling.helpers import accepted_referral

pytestmark = pytest.mark.usefixtures("frozen")


def _accepted(name: str, *, urgent: bool, gp: User | None = None) -> Referral:
    referral = accepted_referral(patient=PatientFactory(birth_name=name, first_names="Anne"), gp=gp)
    Referral.objects.filter(pk=referral.pk).update(urgent=urgent)
    return referral


def test_the_desk_books_the_urgent_referral_first_and_sees_it_marked(
    secretary_client: Client,
) -> None:
    _accepted("ORDINAIRE", urgent=False)
    _accepted("URGENTE", urgent=True)

    page = secretary_client.get(reverse("home_secretary")).content.decode()

    assert page.index("URGENTE") < page.index("ORDINAIRE")
    assert page.count("urgent-mark") == 1


def test_the_gp_sees_their_urgent_referral_marked(gp: User) -> None:
    _accepted("URGENTE", urgent=True, gp=gp)

    page = client_for(gp).get(reverse("home_gp")).content.decode()

    assert "urgent-mark" in page
    assert "Urgent" in page
