"""The bench's bare baseline views return the very rows of the pages they stand in for."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from bench.baseline import gp_rows, layout_page, worklist_rows
from clinic.models import User
from referrals.choices import Status
from tests.factories import ReferralFactory
from tests.referrals.radiology import submitted_referral

pytestmark = pytest.mark.django_db


def _ids(text: str) -> list[int]:
    return [int(line.split("\t")[0]) for line in text.splitlines() if line]


def _baseline(view: object, user: User, params: dict[str, str]) -> list[int]:
    request = RequestFactory().get("/bench/", params)
    request.user = user
    response = view(request)  # type: ignore[operator]
    assert response["Content-Type"].startswith("text/plain")
    return _ids(response.content.decode())


def _worklist_ids(client: Client, params: dict[str, str]) -> list[int]:
    response = client.get(reverse("home_radiologist"), params)
    return [row.pk for row in response.context["page"].rows]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"verdict": "eligible_ideal", "level": "L1"},
        {"status": Status.INFO_REQUESTED},
        {"page": "2"},
    ],
)
def test_worklist_baseline_lists_the_worklist_rows_in_its_order(
    radiologist_client: Client, radiologist: User, params: dict[str, str]
) -> None:
    ages = [2, 19, 40, 170, 300, None, 8, 12, 60, 90] * 3
    for n, age in enumerate(ages):
        level = "L1" if n % 2 else "T12"
        status = Status.INFO_REQUESTED if n % 5 == 0 else Status.SUBMITTED
        submitted_referral(
            levels=[{"level": level, "age": age}],
            submitted_days_ago=n % 7,
            status=status,
        )

    expected = _worklist_ids(radiologist_client, params)

    assert expected  # the case shows rows
    assert _baseline(worklist_rows, radiologist, params) == expected


def test_gp_baseline_lists_the_home_page_rows_in_its_order(gp_client: Client, gp: User) -> None:
    for _ in range(23):
        ReferralFactory(gp=gp)
    ReferralFactory()  # another GP's

    for params in ({}, {"page": "2"}):
        response = gp_client.get(reverse("home_gp"), params)
        expected = [row.pk for row in response.context["page"].rows]
        assert expected
        assert _baseline(gp_rows, gp, params) == expected


def test_layout_page_is_the_product_layout_with_nothing_in_it(gp_client: Client, gp: User) -> None:
    ReferralFactory(gp=gp)
    request = RequestFactory().get("/bench/layout/")
    request.user = gp
    request.session = gp_client.session

    html = layout_page(request).content.decode()
    home = gp_client.get(reverse("home_gp")).content.decode()

    # The menu and footer of the real pages, and no row of any list.
    assert 'id="main-nav"' in html and 'id="main-nav"' in home
    assert 'name="language"' in html
    assert "<table" in home and "<table" not in html
