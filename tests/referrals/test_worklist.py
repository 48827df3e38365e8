"""The radiologist's worklist: most urgent first, filters, counts, pages, constant queries."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.choices import DecisionKind, Level, Status, Verdict
from referrals.models import Decision, Referral
from referrals.services.decisions import request_information
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory
from tests.referrals.radiology import submitted_referral

URL = reverse("home_radiologist")


def _names_in_order(html: str) -> list[str]:
    """Patient names as the table lists them (links to the referral page)."""
    return re.findall(r'href="/radiologie/demandes/\d+/">([^<]+)</a>', html)


def _named(family: str, **kwargs: Any) -> Referral:
    return submitted_referral(patient={"birth_name": family, "first_names": "Anne"}, **kwargs)


def test_most_urgent_first_ideal_window_then_six_months_then_the_rest(
    radiologist_client: Client,
) -> None:
    _named("HORSDELAI", levels=[{"level": "L2", "age": 300}])
    _named("SIXMOIS", levels=[{"level": "L3", "age": 60}])
    _named("IDEALLOIN", levels=[{"level": "L1", "age": 2}])
    _named("IDEALPROCHE", levels=[{"level": "T12", "age": 19}])
    _named("SIXMOISPROCHE", levels=[{"level": "L4", "age": 170}])

    html = radiologist_client.get(URL).content.decode()

    assert _names_in_order(html) == [
        "IDEALPROCHE Anne",
        "IDEALLOIN Anne",
        "SIXMOISPROCHE Anne",
        "SIXMOIS Anne",
        "HORSDELAI Anne",
    ]


def test_days_left_are_shown_for_each_window(radiologist_client: Client) -> None:
    _named("IDEAL", levels=[{"level": "L1", "age": 19}])  # 21 - 19 = 2 days left
    _named("SIXMOIS", levels=[{"level": "L3", "age": 170}])  # 183 - 170 = 13 days left

    html = radiologist_client.get(URL).content.decode()

    assert "2 jours" in html and "délai idéal" in html
    assert "13 jours" in html and "délai de 6 mois" in html


def test_a_window_ending_today_reads_last_day(radiologist_client: Client) -> None:
    _named("AUJOURDHUI", levels=[{"level": "L1", "age": 21}])  # the ideal window's last day

    html = radiologist_client.get(URL).content.decode()

    assert "dernier jour" in html and "0 jour" not in html


def test_row_shows_age_levels_verdict_gp_and_submission_date(
    radiologist_client: Client, gp: User
) -> None:
    birth = timezone.localdate().replace(year=timezone.localdate().year - 80) - timedelta(days=1)
    referral = submitted_referral(
        gp=gp,
        patient={"birth_name": "DUPONT", "first_names": "Jeanne", "birth_date": birth},
        levels=[{"level": "T12", "age": 5}, {"level": "L1", "age": 5}],
        submitted_days_ago=3,
    )

    html = radiologist_client.get(URL).content.decode()

    assert "DUPONT Jeanne" in html
    assert "80 ans" in html
    assert "T12, L1" in html
    assert "Indication probable — délai idéal" in html
    assert "Dr Claire Martin" in html
    assert referral.submitted_at is not None
    assert timezone.localtime(referral.submitted_at).strftime("%d/%m/%Y") in html


def test_default_view_lists_only_referrals_waiting_for_a_decision(
    radiologist_client: Client,
) -> None:
    _named("ATTENTE")
    _named("INFOS", status=Status.INFO_REQUESTED)
    _named("ACCEPTEE", status=Status.ACCEPTED)
    ReferralFactory(status=Status.DRAFT, patient=PatientFactory(birth_name="BROUILLON"))

    names = _names_in_order(radiologist_client.get(URL).content.decode())

    assert sorted(names) == ["ATTENTE Anne", "INFOS Anne"]


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.DECLINED, Status.SURGERY])
def test_status_filter_shows_decided_referrals(radiologist_client: Client, status: str) -> None:
    _named("ATTENTE")
    _named("DECIDEE", status=status)

    names = _names_in_order(radiologist_client.get(URL, {"status": status}).content.decode())

    assert names == ["DECIDEE Anne"]


@pytest.mark.parametrize("status", [Status.DECLINED, Status.DONE, Status.CANCELLED])
def test_closed_tabs_list_the_most_recent_referrals_first(
    radiologist_client: Client, status: str
) -> None:
    # Urgency means nothing once a referral is closed: its history reads newest first.
    _named("ANCIENNE", status=status, submitted_days_ago=400, levels=[{"level": "L1", "age": 2}])
    _named("RECENTE", status=status, submitted_days_ago=3, levels=[{"level": "L2", "age": 300}])
    _named("MOYENNE", status=status, submitted_days_ago=40)

    html = radiologist_client.get(URL, {"status": status}).content.decode()

    assert _names_in_order(html) == ["RECENTE Anne", "MOYENNE Anne", "ANCIENNE Anne"]
    assert "3 demandes, les plus récentes en premier." in html
    assert "days-left" not in html  # no window to race once closed: the delay cell is a dash


def test_an_empty_closed_tab_does_not_say_nothing_is_waiting(radiologist_client: Client) -> None:
    html = radiologist_client.get(URL, {"status": Status.CANCELLED}).content.decode()

    assert "Aucune demande dans cet onglet." in html
    assert "Aucune demande en attente." not in html


def test_drafts_never_reach_the_worklist_even_when_asked(radiologist_client: Client) -> None:
    ReferralFactory(status=Status.DRAFT, patient=PatientFactory(birth_name="BROUILLON"))

    html = radiologist_client.get(URL, {"status": Status.DRAFT}).content.decode()

    assert "BROUILLON" not in html


def test_verdict_filter(radiologist_client: Client) -> None:
    _named("IDEAL")
    _named("REVUE", levels=[{"level": "L1", "age": 10, "posterior_wall_involved": True}])

    response = radiologist_client.get(URL, {"verdict": Verdict.NEEDS_REVIEW})

    assert _names_in_order(response.content.decode()) == ["REVUE Anne"]


def test_level_filter_lists_a_referral_once_whatever_its_levels(
    radiologist_client: Client,
) -> None:
    _named("DEUX", levels=[{"level": "T12", "age": 5}, {"level": "L1", "age": 5}])
    _named("AUTRE", levels=[{"level": "L3", "age": 5}])

    response = radiologist_client.get(URL, {"level": "L1"})

    assert _names_in_order(response.content.decode()) == ["DEUX Anne"]


def test_unknown_filter_values_are_ignored(radiologist_client: Client) -> None:
    _named("ATTENTE")

    response = radiologist_client.get(URL, {"status": "nope", "verdict": "x", "level": "Z9"})

    assert response.status_code == 200
    assert _names_in_order(response.content.decode()) == ["ATTENTE Anne"]


def test_counts_per_status(radiologist_client: Client) -> None:
    _named("A")
    _named("B")
    _named("C", status=Status.INFO_REQUESTED)
    _named("D", status=Status.ACCEPTED)

    html = radiologist_client.get(URL).content.decode()

    def count(label: str) -> str:
        match = re.search(re.escape(label) + r'\s*<span class="badge[^"]*">(\d+)</span>', html)
        assert match, label
        return match.group(1)

    assert count("À valider") == "3"
    assert count("En attente d’avis") == "2"
    assert count("Infos demandées") == "1"
    assert count("Acceptées") == "1"
    assert count("Refusées") == "0"


def test_list_is_paginated_and_keeps_filters(radiologist_client: Client) -> None:
    for n in range(27):
        ReferralFactory(
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
            verdict=Verdict.ELIGIBLE_IDEAL,
            ideal_until=timezone.localdate() + timedelta(days=n % 20),
            patient=PatientFactory(birth_name=f"PATIENT{n:02d}"),
        )

    first = radiologist_client.get(URL, {"verdict": Verdict.ELIGIBLE_IDEAL}).content.decode()
    second = radiologist_client.get(URL, {"verdict": Verdict.ELIGIBLE_IDEAL, "page": 2})

    assert len(_names_in_order(first)) == 25
    assert len(_names_in_order(second.content.decode())) == 2
    assert "?verdict=eligible_ideal&amp;page=2" in first


def test_gp_and_secretary_cannot_open_the_worklist(
    gp_client: Client, secretary_client: Client
) -> None:
    assert gp_client.get(URL).status_code == 403
    assert secretary_client.get(URL).status_code == 403


def _bulk_referrals(count: int, radiologist: User) -> None:
    """`count` listed referrals with levels, a GP and, for some, a decision in force."""
    today = timezone.localdate()
    for n in range(count):
        referral = ReferralFactory(
            status=Status.INFO_REQUESTED if n % 3 == 0 else Status.SUBMITTED,
            submitted_at=timezone.now(),
            verdict=Verdict.ELIGIBLE,
            ideal_until=today + timedelta(days=n % 30 - 10),
            latest_until=today + timedelta(days=100 + n % 50),
        )
        FractureLevelFactory(referral=referral, level="L1")
        FractureLevelFactory(referral=referral, level="T12")
        if n % 3 == 0:
            decision = Decision.objects.create(
                referral=referral,
                kind=DecisionKind.REQUEST_INFORMATION,
                radiologist=radiologist,
                decided_at=timezone.now(),
                ruleset_version="2026.1",
                engine_verdict=Verdict.ELIGIBLE,
                facts={},
                engine_output={},
                message_to_gp="IRM ?",
            )
            referral.current_decision = decision
            referral.save(update_fields=["current_decision"])


@pytest.mark.parametrize("count", [10, 200])
def test_worklist_runs_a_constant_number_of_queries(
    radiologist_client: Client,
    radiologist: User,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    _bulk_referrals(count, radiologist)
    radiologist_client.get(URL)  # warm the session and the user

    # session, user, counts per status (the tab's total too), the page's ids (and those up to
    # the count cap), their rows (patient, GP and decision in force; levels from the referral's
    # codes); then the session is saved (savepoint, update, release).
    with django_assert_num_queries(8):
        response = radiologist_client.get(URL)

    assert len(_names_in_order(response.content.decode())) == min(count, 25)


def _options(html: str, name: str) -> list[tuple[str, str, str]]:
    """(value, " selected" or "", label) of each option of the filter `name`."""
    select = re.search(rf'<select[^>]*name="{name}">(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))


def test_the_filters_offer_every_choice_and_keep_the_ones_chosen(
    radiologist_client: Client,
) -> None:
    html = radiologist_client.get(URL, {"verdict": Verdict.NEEDS_REVIEW, "level": "L1"})
    verdicts = _options(html.content.decode(), "verdict")
    levels = _options(html.content.decode(), "level")

    assert [value for value, _, _ in verdicts] == ["", *Verdict.values]
    assert [value for value, _, _ in levels] == ["", *Level.values]
    assert [value for value, selected, _ in verdicts + levels if selected] == ["needs_review", "L1"]
    assert verdicts[0][2] == "Tous les avis" and levels[0][2] == "Tous les niveaux"
    # An unknown value (a stale bookmark) selects « all ».
    stale = radiologist_client.get(URL, {"verdict": "nope"}).content.decode()
    assert _options(stale, "verdict")[0] == ("", " selected", "Tous les avis")


def test_a_decision_names_its_radiologist_and_day(
    radiologist_client: Client, radiologist: User
) -> None:
    referral = _named("QUESTION")
    request_information(referral=referral, by=radiologist, message_to_gp="IRM ?", notify_gp=False)

    html = radiologist_client.get(URL, {"status": Status.INFO_REQUESTED}).content.decode()

    row = html.split(f"demande n° {referral.pk}")[1].split("</tr>")[0]
    said = f"{radiologist.display_name}, {timezone.localdate():%d/%m/%Y}</div>"
    assert f">{Status.INFO_REQUESTED.label}<div" in row and said in row


def test_a_row_reads_in_english(radiologist_client: Client) -> None:
    birth = timezone.localdate().replace(year=timezone.localdate().year - 80) - timedelta(days=1)
    referral = submitted_referral(
        patient={"birth_name": "DUPONT", "first_names": "Jeanne", "birth_date": birth},
        levels=[{"level": "L1", "age": 19}],  # 2 days left in the ideal window
    )
    radiologist_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = radiologist_client.get(URL).content.decode()

    row = html.split(f"referral no. {referral.pk}")[0].rsplit("<tr>", 1)[1]
    assert "2 days</span>" in row and "ideal window" in row and "80 years" in row
    assert _options(html, "verdict")[0] == ("", " selected", "All verdicts")


def test_an_urgent_referral_comes_first_and_is_marked_in_every_tab(
    radiologist_client: Client,
) -> None:
    ideal = _named("IDEALE", levels=({"level": "L1", "age": 3},))
    urgent = _named("URGENTE", levels=({"level": "L1", "age": 120},))
    Referral.objects.filter(pk=urgent.pk).update(urgent=True)

    page = radiologist_client.get(URL).content.decode()
    Referral.objects.filter(pk__in=[ideal.pk, urgent.pk]).update(status=Status.ACCEPTED)
    accepted_tab = radiologist_client.get(URL, {"status": "accepted"}).content.decode()

    for listing in (page, accepted_tab):
        assert listing.index("URGENTE") < listing.index("IDEALE")
        assert "urgent-mark" in listing[listing.index("URGENTE") : listing.index("IDEALE")]
        assert listing.count("urgent-mark") == 1  # the other row is not marked
