"""The staff's follow-up worklist (/suivi/) as the desk reads it: the follow-ups to call oldest
first, 50 a page, answered ones gone, and those unanswered past FOLLOWUP_LOST_AFTER_DAYS counted
in their own « Perdus de vue » tab rather than hidden (docs/performance.md)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from followups.models import FollowUp, FollowUpAnswer
from followups.pages import worklist
from notifications.models import ContactConsent
from referrals import selectors
from referrals.choices import Status
from tests.conftest import client_for
from tests.factories import ReferralFactory
from tests.procedures.helpers import signed_report

URL = reverse("followups:worklist")
TODAY = date(2027, 3, 1)
ANSWER = {
    "pain_nrs": "2",
    "opioids": "no",
    "walking": "normal",
    "new_back_pain": "no",
    "new_fracture": "no",
    "satisfaction": "4",
    "channel": "phone",
    "complication": "none",
}


@pytest.fixture
def today() -> Iterator[date]:
    with time_machine.travel(f"{TODAY.isoformat()} 10:00 +01:00", tick=False):
        yield TODAY


@pytest.fixture
def desk(secretary: User, today: date) -> Client:
    return client_for(secretary)


def _followup(
    name: str, *, late: int, kind: str = "m1", consent: str | None = None, by: User | None = None
) -> FollowUp:
    """A treated patient's follow-up due `late` days before today (negative: not yet due)."""
    referral = ReferralFactory(
        status=Status.DONE, patient__birth_name=name, patient__phone="06 12 34 56 78"
    )
    referral.level_codes = "T12 L1"
    referral.save(update_fields=["level_codes"])
    if consent is not None:
        assert by is not None
        ContactConsent.objects.create(
            patient=referral.patient,
            referral=referral,
            channel=consent,
            recorded_by=by,
            recorded_at=timezone.now(),
        )
    return FollowUp.objects.create(referral=referral, kind=kind, due_on=TODAY - timedelta(late))


def _names(html: str) -> list[str]:
    """The patients of the list, in the order shown (the name opens each row's card)."""
    return re.findall(r'<td class="card-title-cell">([A-ZÉ]+) ', html)


def _badge(html: str, name: str) -> str:
    match = re.search(rf'<span class="badge [^"]*{name}">([^<]+)</span>', html)
    assert match, name
    return match.group(1)


def test_the_follow_ups_to_call_come_oldest_first_with_the_phone_to_dial(
    desk: Client, secretary: User
) -> None:
    _followup("ARNAUD", late=0, kind="d1")
    _followup("BERTIN", late=12, consent="sms", by=secretary)
    _followup("CARON", late=-3)  # not due yet

    html = desk.get(URL).content.decode()

    assert _names(html) == ["BERTIN", "ARNAUD"]
    assert "12 jours de retard" in html
    assert '<a href="tel:0612345678">06 12 34 56 78</a>' in html
    assert "2 suivis à faire, les plus anciens en premier." in html
    assert _badge(html, "to-call-count") == "2"
    assert _badge(html, "lost-count") == "0"
    # The link is offered only to the patient who agreed to messages.
    assert html.count("Envoyer le lien") == 1
    assert 'Envoyer le lien<span class="visually-hidden"> — BERTIN' in html


def test_a_follow_up_sixty_days_late_is_still_to_call_and_one_day_more_is_lost(
    desk: Client,
) -> None:
    _followup("DAVID", late=60)
    _followup("EVRARD", late=61)

    to_call = desk.get(URL).content.decode()
    lost = desk.get(URL, {"perdus": "1"}).content.decode()

    assert _names(to_call) == ["DAVID"]
    assert _badge(to_call, "lost-count") == "1"  # counted, not hidden
    assert "plus de 60 jours après sa date est perdu de vue" in to_call
    assert _names(lost) == ["EVRARD"]
    assert "61 jours de retard" in lost
    assert "1 suivi perdu de vue." in lost
    assert _badge(lost, "to-call-count") == "1"


def test_the_window_follows_the_clinic_s_setting(desk: Client, settings: object) -> None:
    settings.FOLLOWUP_LOST_AFTER_DAYS = 30  # type: ignore[attr-defined]
    _followup("DAVID", late=30)
    _followup("EVRARD", late=31)

    assert _names(desk.get(URL).content.decode()) == ["DAVID"]
    assert _names(desk.get(URL, {"perdus": "1"}).content.decode()) == ["EVRARD"]


def test_the_most_recently_lost_come_first(desk: Client) -> None:
    for name, late in (("FAURE", 400), ("GILLET", 90), ("HENRY", 200)):
        _followup(name, late=late)

    html = desk.get(URL, {"perdus": "1"}).content.decode()

    assert _names(html) == ["GILLET", "HENRY", "FAURE"]
    assert "Aucun suivi à faire aujourd’hui." in desk.get(URL).content.decode()


@pytest.fixture
def five_due_two_a_page(db: None, today: date, monkeypatch: pytest.MonkeyPatch) -> None:
    """Five follow-ups to call, counted up to 3 and shown 2 a page."""
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    for late, name in enumerate(("KLEIN", "JOLY", "IMBERT", "HUET", "GARNIER")):
        _followup(name, late=late)


@pytest.mark.usefixtures("five_due_two_a_page")
def test_the_list_goes_by_pages_with_previous_and_next_and_a_capped_count(desk: Client) -> None:
    first = desk.get(URL).content.decode()
    second = desk.get(URL, {"page": "2"}).content.decode()
    last = desk.get(URL, {"page": "3"}).content.decode()

    assert _names(first) == ["GARNIER", "HUET"]
    assert _names(second) == ["IMBERT", "JOLY"]
    assert _names(last) == ["KLEIN"]
    assert _badge(first, "to-call-count") == "3+"
    assert "Plus de 3 suivis à faire, les plus anciens en premier." in first
    assert "Suivante" in first and "Précédente" not in first
    assert "Suivante" in second and "Précédente" in second
    assert "Suivante" not in last and "Précédente" in last


@pytest.mark.usefixtures("five_due_two_a_page")
def test_a_page_past_the_end_shows_the_last_one(desk: Client) -> None:
    html = desk.get(URL, {"page": "40"}).content.decode()

    assert _names(html) == ["KLEIN"]
    assert "Page 3" in html


def test_the_lost_tab_keeps_its_pages(desk: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    for late, name in ((100, "LEROY"), (101, "MARTIN"), (102, "NOEL")):
        _followup(name, late=late)

    first = desk.get(URL, {"perdus": "1"}).content.decode()
    second = desk.get(URL, {"perdus": "1", "page": "2"}).content.decode()

    assert _names(first) == ["LEROY", "MARTIN"]
    assert "?perdus=1&amp;page=2" in first
    assert _names(second) == ["NOEL"]


def test_a_follow_up_answered_leaves_the_list(desk: Client) -> None:
    followup = _followup("OLIVIER", late=2)
    _followup("PASCAL", late=1)

    recorded = desk.post(
        reverse("followups:record", args=[followup.referral_id]) + "?echeance=m1",
        ANSWER,
        follow=True,
    )

    html = recorded.content.decode()
    assert "Suivi M+1 de OLIVIER" in html
    assert _names(html) == ["PASCAL"]
    assert FollowUpAnswer.objects.get(followup=followup).pain_nrs == 2


def test_a_call_recorded_from_the_lost_tab_goes_back_to_it(desk: Client) -> None:
    followup = _followup("QUENTIN", late=90)
    _followup("RENAUD", late=95)

    recorded = desk.post(
        reverse("followups:record", args=[followup.referral_id]) + "?echeance=m1", ANSWER
    )

    assert recorded["Location"] == f"{URL}?perdus=1"
    html = desk.get(recorded["Location"]).content.decode()
    assert _names(html) == ["RENAUD"]


def test_the_row_names_the_procedure_its_levels_and_the_pain_before(
    secretary: User, radiologist: User
) -> None:
    report = signed_report(secretary=secretary, radiologist=radiologist, pain_nrs=7)
    d1_day = report.performed_on + timedelta(days=1)

    with time_machine.travel(f"{d1_day.isoformat()} 10:00 +01:00", tick=False):
        html = client_for(secretary).get(URL).content.decode()

    assert f"{report.performed_on:%d/%m/%Y} · L1" in html
    assert "7/10" in html
    assert "J+1 (appel du lendemain)" in html
    assert "de retard" not in html  # due today


def test_the_migration_flags_the_follow_ups_already_answered(secretary: User, today: date) -> None:
    answered, still_open = _followup("SIMON", late=5), _followup("THOMAS", late=5)
    FollowUpAnswer.objects.create(
        followup=answered,
        channel="phone",
        recorded_by=secretary,
        answered_at=timezone.now(),
        pain_nrs=3,
        opioids=False,
        walking="normal",
        new_back_pain=False,
        new_fracture=False,
        satisfaction="4",
    )  # written before the flag existed: the flag is still down
    migration = importlib.import_module("followups.migrations.0003_followup_answered")

    migration.flag_answered(apps, SimpleNamespace(connection=connection))  # reads its alias

    assert FollowUp.objects.get(pk=answered.pk).answered
    assert not FollowUp.objects.get(pk=still_open.pk).answered
    html = client_for(secretary).get(URL).content.decode()
    assert _names(html) == ["THOMAS"]
