"""The secretary's home page with a network's backlog: each list shows its first rows, most urgent
first, says how many there are in all, and can show them all (docs/performance.md)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from referrals.choices import Status
from scheduling.views import desk as views
from tests.factories import ReferralFactory
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")
HOME = reverse("home_secretary")


def _book_links(html: str) -> int:
    return len(re.findall(r'href="/secretariat/demandes/\d+/programmer/"', html))


def test_each_list_shows_its_first_rows_and_says_how_many_in_all(
    secretary_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "HOME_ROWS", 2)
    sooner = accepted_referral(fracture_age_days=15)
    accepted_referral(fracture_age_days=10)
    accepted_referral(fracture_age_days=2)
    for day in (date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)):
        day_session(day)
    for _ in range(3):
        ReferralFactory(status=Status.SUBMITTED, mri_available=False)

    html = secretary_client.get(HOME).content.decode()

    assert _book_links(html) == 2
    assert 'Patients à programmer <span class="badge text-bg-primary">3</span>' in html
    assert reverse("scheduling:book", args=[sooner.pk]) in html  # the most urgent is shown
    assert "Les 2 plus urgents sur 3." in html
    assert "Les 2 premières séances sur 3 dans les 4 semaines." in html
    assert "Les 2 plus anciens sur 3." in html
    assert html.count('href="?tous=1"') == 3


def test_everything_on_request(secretary_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "HOME_ROWS", 2)
    for age in (15, 10, 2):
        accepted_referral(fracture_age_days=age)

    html = secretary_client.get(HOME, {"tous": "1"}).content.decode()

    assert _book_links(html) == 3
    assert "plus urgents sur" not in html


def test_missing_imaging_names_each_examination_and_the_oldest_come_first(
    secretary_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "HOME_ROWS", 2)
    no_ct = ReferralFactory(status=Status.SUBMITTED, ct_available=False)
    bone_scan = ReferralFactory(
        status=Status.INFO_REQUESTED, mri_available=False, mri_contraindicated=True
    )
    newest = ReferralFactory(status=Status.SUBMITTED, mri_available=False)
    # Accepted, its MRI still missing: listed too (every referral before its procedure).
    ReferralFactory(status=Status.ACCEPTED, mri_available=False)

    html = secretary_client.get(HOME).content.decode()
    panel = html[html.index('id="imaging-title"') :]
    text = " ".join(panel.replace("\xa0", " ").split())

    assert panel.index(f'/secretariat/demandes/{no_ct.pk}/"') < panel.index(
        f'/secretariat/demandes/{bone_scan.pk}/"'
    )
    assert f'/secretariat/demandes/{newest.pk}/"' not in panel  # the third of four
    assert "Scanner : manque, aucun rendez-vous" in text
    assert "Scintigraphie osseuse : manque, aucun rendez-vous" in text  # it read « IRM »
    assert "Les 2 plus anciens sur 4." in text
