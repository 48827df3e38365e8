"""The navigation bar marks where the user is: `aria-current="page"` on the link to this very page,
`"true"` on the section the page belongs to (clinic_tags.nav_link)."""

from __future__ import annotations

import re

from django.test import Client

from clinic.models import User
from tests.conftest import client_for
from tests.factories import ReferralFactory


def _current(client: Client, path: str) -> list[tuple[str, str]]:
    html = client.get(path).content.decode()
    nav = html[html.index("<header") : html.index("</header>")]
    return re.findall(r'aria-current="(\w+)">([^<]+)</a>', nav)


def test_the_link_to_this_page_is_the_current_page(gp: User) -> None:
    assert _current(client_for(gp), "/medecin/demandes/nouvelle/") == [("page", "Nouvelle demande")]


def test_a_referral_belongs_to_the_gps_list(gp: User) -> None:
    referral = ReferralFactory(gp=gp)

    assert _current(client_for(gp), f"/medecin/demandes/{referral.pk}/") == [
        ("true", "Mes demandes")
    ]


def test_a_day_with_its_date_is_still_the_day_page(secretary: User) -> None:
    assert _current(client_for(secretary), "/secretariat/journee/?date=2026-12-10") == [
        ("page", "Journée")
    ]


def test_quality_is_in_the_radiologists_navigation(radiologist: User) -> None:
    assert _current(client_for(radiologist), "/qualite/") == [("page", "Qualité")]


def test_a_page_outside_every_section_marks_none(secretary: User) -> None:
    assert _current(client_for(secretary), "/compte/mot-de-passe/") == []
