"""Checklist row 5: a GP asking for another GP's referral, its timeline, attachment, letters or
convocation finds nothing (404), exactly as for an id that does not exist; nothing of the patient
shows. The indication report is refused to every GP alike (403), existing or not."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.security.world import World

MISSING = 999_999
# `world` comes first in each signature: it freezes the clock before the clients log in.


def _main(response: HttpResponse) -> str:
    """The page's main content, without the per-session CSRF token."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


# (url name, kind of object in World.objects()): everything a GP can reach about a referral.
GP_REACHABLE = [
    ("referrals:gp_referral_detail", "referral"),  # the page holds the timeline and findings
    ("referrals:gp_referral_edit", "referral"),
    ("referrals:attachment_download", "attachment"),
    ("reports:decision_letter", "decision"),
    ("reports:surgical_letter", "surgery_decision"),
    ("scheduling:convocation", "booking"),
    ("scheduling:convocation_ics", "booking"),
]


@pytest.mark.parametrize(("name", "kind"), GP_REACHABLE, ids=[n for n, _ in GP_REACHABLE])
def test_another_gp_finds_nothing_where_the_referring_gp_finds_the_file(
    world: World, gp_client: Client, other_gp_client: Client, name: str, kind: str
) -> None:
    url = reverse(name, args=[world.objects()[kind].pk])
    assert gp_client.get(url).status_code in (200, 302)

    theirs = other_gp_client.get(url)
    missing = other_gp_client.get(reverse(name, args=[MISSING]))

    assert theirs.status_code == missing.status_code == 404
    assert _main(theirs) == _main(missing)  # the same page: nothing tells the id exists
    patient = world.submitted.patient
    assert patient.full_name.upper() not in theirs.content.decode().upper()


def test_another_gp_cannot_remove_an_attachment(world: World, other_gp_client: Client) -> None:
    url = reverse("referrals:gp_attachment_remove", args=[world.attachment.pk])
    assert other_gp_client.post(url).status_code == 404
    assert world.submitted.attachments.count() == 1


def test_the_indication_report_is_refused_to_every_gp_alike(
    world: World, gp_client: Client, other_gp_client: Client
) -> None:
    url = reverse("reports:indication_report", args=[world.submitted.pk])
    missing = reverse("reports:indication_report", args=[MISSING])
    codes = {
        client.get(u).status_code for client in (gp_client, other_gp_client) for u in (url, missing)
    }
    assert codes == {403}


def test_another_gps_home_shows_none_of_the_referrals(
    world: World, other_gp_client: Client
) -> None:
    page = other_gp_client.get(reverse("home_gp")).content.decode()
    for referral in (world.submitted, world.accepted, world.scheduled):
        assert reverse("referrals:gp_referral_detail", args=[referral.pk]) not in page
        # The full name: a birth name alone (Faker's « Paul ») can be the other GP's first name.
        assert referral.patient.full_name.upper() not in page.upper()
