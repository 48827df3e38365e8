"""What the booking page says of each proposed session (rows written in Python by
scheduling/pages/proposals.py): when, where, with whom, what is left, and why a full one is
greyed out; in French and English, with the room's name escaped."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from clinic.models import User
from referrals.choices import Stay
from scheduling.services.bookings import booking_create
from tests.factories import RadiologistFactory
from tests.scheduling.helpers import accepted_referral, day_session

pytestmark = pytest.mark.usefixtures("frozen")
TUE_8 = date(2026, 12, 8)
THU_10 = date(2026, 12, 10)


def _item(page: str, session_pk: int) -> str:
    item = r'<div class="list-group-item[^"]*">(?:(?!list-group-item).)*'
    match = re.search(item + rf'id="session-{session_pk}-info"[^>]*>.*?</div></div>', page, re.S)
    assert match, session_pk
    return match.group(0)


def test_each_session_says_when_where_with_whom_and_what_is_left(
    secretary_client: Client, secretary: User
) -> None:
    radiologist = RadiologistFactory(first_name="Claire", last_name="Moreau")
    roomy = day_session(TUE_8, radiologist=radiologist, room="Salle <b>2</b>", overnight_beds=1)
    full = day_session(THU_10, day_places=1, start=time(13, 30), end=time(17, 0))
    booking_create(referral=accepted_referral(), session=full, by=secretary)
    referral = accepted_referral(stay=Stay.DAY_HOSPITAL)

    page = secretary_client.get(reverse("scheduling:book", args=[referral.pk])).content.decode()

    first = _item(page, roomy.pk)
    assert "Mardi 8 décembre 2026 · 08:00–13:00" in strip_tags(first)
    assert '<span class="text-nowrap">08:00–13:00</span>' in first  # one line on a phone
    assert "Salle &lt;b&gt;2&lt;/b&gt; · " in first and "<b>2</b>" not in page
    assert "Moreau" in first
    assert "reste 240 minutes de geste, 4 places de jour, 1 lit pour une nuit" in first
    assert "Dans le délai idéal" in first
    assert re.search(rf'id="session-{roomy.pk}" value="{roomy.pk}" aria-describedby', first)

    second = _item(page, full.pk)
    assert "Jeudi 10 décembre 2026 · 13:30–17:00" in strip_tags(second)
    assert ", 0 place de jour, " in second  # French: none takes the singular
    assert "— plus de place" in second and "Complet" in second
    assert re.search(rf'id="session-{full.pk}" value="{full.pk}" disabled', second)
    assert "list-group-item-light" in second


def test_the_proposals_read_in_english(secretary_client: Client) -> None:
    session = day_session(TUE_8, overnight_beds=2)
    referral = accepted_referral()
    secretary_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = secretary_client.get(reverse("scheduling:book", args=[referral.pk])).content.decode()

    item = _item(page, session.pk)
    assert "Tuesday 8 December 2026 · 08:00–13:00" in strip_tags(item)
    assert "240 procedure minutes left, 4 day places, 2 overnight beds" in item
    assert "Within the ideal window" in item


def test_without_a_target_date_no_session_is_said_to_be_after_it(secretary_client: Client) -> None:
    session = day_session(TUE_8)
    referral = accepted_referral()
    referral.target_before = None
    referral.save(update_fields=["target_before"])

    page = secretary_client.get(reverse("scheduling:book", args=[referral.pk])).content.decode()

    item = _item(page, session.pk)
    assert "Pas de date cible : confirmation requise" in item
    assert "Après la date cible" not in item


def test_a_session_too_short_or_without_a_bed_says_why(secretary_client: Client) -> None:
    short = day_session(TUE_8, procedure_minutes=10)
    no_bed = day_session(THU_10, overnight_beds=0)
    referral = accepted_referral(stay=Stay.OVERNIGHT)

    page = secretary_client.get(reverse("scheduling:book", args=[referral.pk])).content.decode()

    first, second = _item(page, short.pk), _item(page, no_bed.pk)
    said = r"reste 10 minutes de geste, 4 places de jour, 1 lit pour une nuit — il faut \d+ min"
    assert re.search(said, first)
    assert "0 lit pour une nuit — plus de lit</div>" in second
    assert "Complet" in first and "Complet" in second
    assert re.search(rf'id="session-{short.pk}" value="{short.pk}" disabled', first)
