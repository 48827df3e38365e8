"""The worklist at a network's scale: tab counts stop at a cap instead of reading the whole
history (docs/performance.md)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from referrals import selectors
from referrals.choices import Status, Verdict
from referrals.pages import worklist
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


def test_the_selected_tab_says_its_total_up_to_the_cap(
    radiologist_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for _ in range(3):
        ReferralFactory(status=Status.DONE)

    html = radiologist_client.get(URL, {"status": Status.DONE}).content.decode()

    assert _badge(html, "Réalisées") == "3"
    assert "3 demandes, les plus récentes en premier." in html


@pytest.fixture
def five_done_past_a_cap_of_two(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Five closed referrals, counted up to 2 and shown 2 a page: three pages, a capped total."""
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    for _ in range(5):
        ReferralFactory(status=Status.DONE)


@pytest.mark.usefixtures("five_done_past_a_cap_of_two")
def test_past_the_cap_the_tab_says_more_than_and_still_pages_on(radiologist_client: Client) -> None:
    first = radiologist_client.get(URL, {"status": Status.DONE}).content.decode()
    third = radiologist_client.get(URL, {"status": Status.DONE, "page": "3"})

    assert _badge(first, "Réalisées") == "2+"
    assert "Plus de 2 demandes, les plus récentes en premier." in first
    assert "?status=done&amp;page=2" in first  # « Suivante »
    assert "Page 1" in first  # no last page to link to: the page says where it is
    assert len(third.context["page"].rows) == 1
    assert not third.context["page"].has_next


def test_a_filtered_list_counts_its_matches_up_to_the_cap(
    radiologist_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    for _ in range(3):
        ReferralFactory(status=Status.DONE, verdict=Verdict.ELIGIBLE)
    ReferralFactory(status=Status.DONE, verdict=Verdict.NOT_ELIGIBLE)

    many = radiologist_client.get(URL, {"status": Status.DONE, "verdict": Verdict.ELIGIBLE})
    few = radiologist_client.get(URL, {"status": Status.DONE, "verdict": Verdict.NOT_ELIGIBLE})

    assert "Plus de 2 demandes, les plus récentes en premier." in many.content.decode()
    assert "1 demande, la plus récente en premier." in few.content.decode()


def test_a_page_past_the_end_shows_the_last_page(
    radiologist_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    referrals = [ReferralFactory(status=Status.DONE) for _ in range(5)]

    response = radiologist_client.get(URL, {"status": Status.DONE, "page": "40"})

    assert response.status_code == 200
    assert response.context["page"].number == 3
    assert [row.pk for row in response.context["page"].rows] == [referrals[0].pk]  # the oldest
    assert "?status=done&amp;page=2" in response.content.decode()  # « Précédente »


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("99999999", 3), ("9" * 5000, 3), ("2", 2), ("0", 1), ("-1", 1), ("²", 1), ("abc", 1)],
)
def test_any_page_number_shows_a_page(
    radiologist_client: Client, monkeypatch: pytest.MonkeyPatch, asked: str, shown: int
) -> None:
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    for _ in range(5):
        ReferralFactory(status=Status.DONE)

    response = radiologist_client.get(URL, {"status": Status.DONE, "page": asked})

    assert response.status_code == 200
    assert response.context["page"].number == shown


@pytest.mark.usefixtures("five_done_past_a_cap_of_two")
def test_past_the_cap_a_page_past_the_end_shows_the_last_page_too(
    radiologist_client: Client,
) -> None:
    response = radiologist_client.get(URL, {"status": Status.DONE, "page": "9"})

    assert response.context["page"].number == 3
    assert len(response.context["page"].rows) == 1


def test_to_review_adds_two_exact_counts_exactly(
    radiologist_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « À valider » is submitted + information requested: past the cap only when one of them is.
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for _ in range(2):
        ReferralFactory(status=Status.SUBMITTED)
    ReferralFactory(status=Status.INFO_REQUESTED)

    html = radiologist_client.get(URL).content.decode()

    assert _badge(html, "À valider") == "3"
    assert "3 demandes, les plus urgentes en premier." in html


@pytest.mark.parametrize(
    ("matches", "page", "caption"),
    [
        (4, "2", "4 demandes, les plus récentes en premier."),
        (5, "3", "5 demandes, les plus récentes en premier."),
        (6, "1", "Plus de 5 demandes, les plus récentes en premier."),
        (7, "4", "Plus de 5 demandes, les plus récentes en premier."),
    ],
)
def test_every_page_of_a_filtered_list_tells_the_same_total(
    radiologist_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    matches: int,
    page: str,
    caption: str,
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    for _ in range(matches):
        ReferralFactory(status=Status.DONE, verdict=Verdict.ELIGIBLE)
    ReferralFactory(status=Status.DONE, verdict=Verdict.NOT_ELIGIBLE)

    response = radiologist_client.get(
        URL, {"status": Status.DONE, "verdict": Verdict.ELIGIBLE, "page": page}
    )

    assert response.context["page"].number == int(page)
    assert caption in response.content.decode()
