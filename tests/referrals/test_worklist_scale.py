"""The worklist at a network's scale: tab counts stop at a cap instead of reading the whole
history (docs/performance.md)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from referrals import selectors
from referrals.choices import Status
from tests.factories import ReferralFactory

URL = reverse("home_radiologist")


def _badge(html: str, label: str) -> str:
    match = re.search(re.escape(label) + r'\s*<span class="badge[^"]*">([^<]+)</span>', html)
    assert match, label
    return match.group(1)


def test_a_tab_past_the_cap_reads_cap_plus_and_the_others_stay_exact(
    radiologist_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for _ in range(3):
        ReferralFactory(status=Status.DONE)
    for _ in range(2):
        ReferralFactory(status=Status.DECLINED)
    ReferralFactory(status=Status.SUBMITTED)

    html = radiologist_client.get(URL).content.decode()

    assert _badge(html, "Réalisées") == "2+"
    assert _badge(html, "Refusées") == "2"
    assert _badge(html, "À valider") == "1"


def test_the_selected_tab_still_says_its_exact_total(
    radiologist_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for _ in range(3):
        ReferralFactory(status=Status.DONE)

    html = radiologist_client.get(URL, {"status": Status.DONE}).content.decode()

    assert _badge(html, "Réalisées") == "2+"
    assert "3 demandes, les plus urgentes en premier." in html
