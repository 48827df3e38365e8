"""A GP's own quality page: their patients' delays and outcomes against the clinic's median, and
nothing about another GP's patients (tests/quality/data.py's November, A and B referred by `gp`,
C by another GP)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from clinic.models import User
from quality.facts import treated_refresh
from quality.pages.gp import gp_quality
from quality.periods import month_period
from referrals.models import Referral
from tests.conftest import client_for
from tests.quality.data import answer, booking, report, session, treated

pytestmark = pytest.mark.django_db
NOVEMBER = month_period("2026-11")
NOV = {"du": "2026-11", "au": "2026-11"}


def _name(birth_name: str, first_names: str) -> dict[str, str]:
    return {"birth_name": birth_name, "first_names": first_names, "sex": "F", "used_name": ""}


@pytest.fixture
def data(radiologist: User, gp: User, other_gp: User) -> dict:
    from tests.quality.data import november

    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        built = november(radiologist)
    Referral.objects.filter(pk=built["a"].pk).update(
        gp=gp, identity_as_entered=_name("ARNAUD", "Alice")
    )
    Referral.objects.filter(pk=built["b"].pk).update(
        gp=gp, identity_as_entered=_name("BERNARD", "Berthe")
    )
    Referral.objects.filter(pk__in=[built["c"].pk, built["d"].pk]).update(
        gp=other_gp, identity_as_entered=_name("CHARPENTIER", "Colette")
    )
    # The product never moves a referral to another GP: its quality rows follow by hand.
    treated_refresh(referral_ids=[r.pk for r in built.values()])
    return built


def _columns(gp: User) -> dict[str, dict[str, tuple[str, ...]]]:
    assert NOVEMBER is not None
    page = gp_quality(NOVEMBER, gp_id=gp.pk, today=date(2026, 12, 3))
    return {table.key: {row[0]: row[1:] for row in table.rows} for table in page.tables}


def test_the_gps_medians_and_shares_beside_the_clinics(data: dict, gp: User) -> None:
    tables = _columns(gp)
    # (their patients, their median, the clinic's median, the clinic's 90th percentile)
    assert tables["gp_delays"] == {
        "Fracture → demande": ("2", "7,5", "10", "152"),  # 5 and 10; clinic 5, 10, 152
        "Demande → décision": ("2", "3", "2", "4"),  # 2 and 4; clinic 2, 4, 2
        "Décision → geste": ("2", "18,5", "18", "28"),  # 9 and 28; clinic 9, 28, 18
        "Fracture → geste": ("2", "29", "42", "172"),  # 16 and 42; clinic 16, 42, 172
    }
    # Shares in a table of their own (not under the delays' « jours » headers).
    assert tables["gp_shares"] == {
        "Traités dans les 21 jours": ("2", "50 %", "33 %"),  # A; clinic A of 3
        "Traités dans les 6 mois": ("2", "100 %", "100 %"),
    }
    # (their answers, their median, the clinic's, halved: theirs, the clinic's)
    assert tables["gp_outcomes"] == {
        "Avant le geste": ("2", "7", "8", "—", "—"),  # 8 and 6; clinic 8, 6, 10
        "J1": ("2", "3,5", "3,5", "50 %", "50 %"),  # 3 (8 → 3 halved) and 4 (6 → 4)
        "M1": ("0", "—", "—", "—", "—"),
        "M3": ("0", "—", "—", "—", "—"),
    }


def test_another_gps_patients_move_only_the_clinics_columns(
    data: dict, gp: User, other_gp: User, radiologist: User
) -> None:
    before = _columns(gp)
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        # The other GP's patient E: fracture 01/11, referred at 1 day, decided at 1, treated
        # 24 days later (26 from the fracture), pain 9 → 1 at D1.
        e = treated(
            fracture=date(2026, 11, 1),
            submitted=date(2026, 11, 2),
            decided=date(2026, 11, 3),
            done=None,
            pain=9,
            by=radiologist,
            gp=other_gp,
            identity_as_entered=_name("ESTIENNE", "Emma"),
        )
        report(
            e,
            booking(e, session(date(2026, 11, 27), radiologist), "done", radiologist),
            radiologist,
        )
        answer(e, "d1", date(2026, 11, 28), 1, opioids=False)
    after = _columns(gp)
    for table in ("gp_delays", "gp_outcomes"):
        for label, row in before[table].items():
            mine = (row[0], row[1]) if table == "gp_delays" else (row[0], row[1], row[3])
            now = after[table][label]
            assert ((now[0], now[1]) if table == "gp_delays" else (now[0], now[1], now[3])) == mine
    # The clinic's medians took E in: 4 patients now.
    assert after["gp_delays"]["Fracture → geste"][2] == "34"  # 16, 26, 42, 172
    assert after["gp_outcomes"]["J1"][2] == "3"  # 1, 3, 4


def test_the_page_names_only_the_gps_own_patients(data: dict, gp: User) -> None:
    page = client_for(gp).get(reverse("quality:gp"), NOV)
    html = page.content.decode()
    assert page.status_code == 200
    assert "ARNAUD Alice" in html and "BERNARD Berthe" in html
    assert "CHARPENTIER" not in html
    assert reverse("referrals:gp_referral_detail", args=[data["a"].pk]) in html
    assert reverse("referrals:gp_referral_detail", args=[data["c"].pk]) not in html
    # A charted and tabled: 16 days from the fracture; B past the window, 42 days.
    assert "<td>16</td>" in html and "après 21 jours" in html
    assert html.count("<svg") == 3 and "vos patients" in html


def test_the_other_gp_sees_their_own_and_not_the_first_ones(data: dict, other_gp: User) -> None:
    html = client_for(other_gp).get(reverse("quality:gp"), NOV).content.decode()
    assert "CHARPENTIER Colette" in html
    assert "ARNAUD" not in html and "BERNARD" not in html


def test_a_year_by_default_and_the_link_from_the_gps_pages(data: dict, gp: User) -> None:
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        client = client_for(gp)
        page = client.get(reverse("quality:gp")).content.decode()
        home = client.get(reverse("home_gp")).content.decode()
    assert 'value="2026-01"' in page and 'value="2026-12"' in page
    assert "ARNAUD Alice" in page
    assert home.count(reverse("quality:gp")) == 2  # the menu and the page's own button


@pytest.mark.parametrize("persona", ["radiologist", "secretary", "admin_user"])
def test_only_gps_open_the_gp_page(persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("quality:gp")).status_code == 403
