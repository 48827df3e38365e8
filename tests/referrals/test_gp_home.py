"""The GP's home: their referrals, newest first, with status, engine verdict, next step and
dates, paginated, in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from referrals.choices import Status
from referrals.services.submission import referral_submit
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory

HOME = reverse("home_gp")


def _submitted(gp: User, name: str, **levels: object) -> object:
    referral = ReferralFactory(gp=gp, patient=PatientFactory(birth_name=name))
    FractureLevelFactory(referral=referral, **levels)
    return referral_submit(referral=referral, by=gp)


def test_each_referral_shows_status_verdict_next_step_and_dates(
    gp_client: Client, gp: User
) -> None:
    referral = _submitted(gp, "Rousseau")
    ReferralFactory(gp=gp, patient=PatientFactory(birth_name="Morel"))  # a draft
    page = gp_client.get(HOME).content.decode()
    assert "ROUSSEAU" in page and "MOREL" in page
    assert "Adressée, en attente d’avis" in page
    assert "Indication probable — délai idéal" in page
    assert "Le radiologue étudie la demande" in page
    assert f"Adressée le {timezone.localdate():%d/%m/%Y}" in page
    assert f"À traiter avant le\u00a0{referral.target_before:%d/%m/%Y}" in page
    assert "Brouillon" in page and "Compléter et adresser la demande" in page
    assert reverse("referrals:gp_referral_new") in page


def test_no_treat_before_date_is_shown_for_a_surgical_referral(gp_client: Client, gp: User) -> None:
    _submitted(gp, "Lambert", posterior_arch_involved=True)
    page = gp_client.get(HOME).content.decode()
    assert "Orientation chirurgicale" in page
    assert "À traiter avant le" not in page


def test_a_treat_before_date_already_passed_says_so(gp_client: Client, gp: User) -> None:
    today = timezone.localdate()
    ReferralFactory(
        gp=gp,
        patient=PatientFactory(birth_name="Passee"),
        status=Status.ACCEPTED,
        target_before=today - timedelta(days=1),
    )
    ReferralFactory(
        gp=gp,
        patient=PatientFactory(birth_name="Aujourdhui"),
        status=Status.ACCEPTED,
        target_before=today,
    )

    page = gp_client.get(HOME).content.decode()

    rows = {
        name: row for row in page.split("<tr") for name in ("PASSEE", "AUJOURDHUI") if name in row
    }
    assert f"À traiter avant le\u00a0{today - timedelta(days=1):%d/%m/%Y}" in rows["PASSEE"]
    assert "dépassée" in rows["PASSEE"]
    assert f"À traiter avant le\u00a0{today:%d/%m/%Y}" in rows["AUJOURDHUI"]
    assert "dépassée" not in rows["AUJOURDHUI"]


def test_newest_referrals_come_first(gp_client: Client, gp: User) -> None:
    old = ReferralFactory(gp=gp, patient=PatientFactory(birth_name="Ancienne"))
    old.created_at = timezone.now() - timedelta(days=3)
    old.save(update_fields=["created_at"])
    ReferralFactory(gp=gp, patient=PatientFactory(birth_name="Recente"))
    page = gp_client.get(HOME).content.decode()
    assert page.index("RECENTE") < page.index("ANCIENNE")


def test_the_list_is_paginated(gp_client: Client, gp: User) -> None:
    for n in range(21):
        ReferralFactory(gp=gp, patient=PatientFactory(birth_name=f"Patient{n:02d}"))
    first = gp_client.get(HOME).content.decode()
    second = gp_client.get(HOME, {"page": 2}).content.decode()
    assert "Page 1 sur 2" in first and "PATIENT20" in first and "PATIENT00" not in first
    assert "PATIENT00" in second
    for past_the_end in ("3", "99999999", "9" * 5000):
        last = gp_client.get(HOME, {"page": past_the_end}).content.decode()
        assert "Page 2 sur 2" in last and "PATIENT00" in last


def test_the_home_page_runs_the_same_queries_for_2_or_8_referrals(
    gp_client: Client, gp: User
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert gp_client.get(HOME).status_code == 200
        return len(queries)

    for n in range(2):
        _submitted(gp, f"Premier{n}")
    few = count()
    for n in range(6):
        _submitted(gp, f"Suivant{n}")
    assert count() == few


def test_a_gp_with_no_referral_is_invited_to_write_one(gp_client: Client) -> None:
    page = gp_client.get(HOME).content.decode()
    assert "Aucune demande pour le moment." in page
    assert "Adresser un premier patient" in page


def test_a_draft_is_not_yet_evaluated_and_links_to_its_form(gp_client: Client, gp: User) -> None:
    draft = ReferralFactory(gp=gp, patient=PatientFactory(birth_name="Brouillon"))

    page = gp_client.get(HOME).content.decode()

    assert '<span class="text-body-secondary">non évalué (brouillon)</span>' in page
    edit = reverse("referrals:gp_referral_edit", args=[draft.pk])
    assert f'<a href="{edit}">Compléter et adresser la demande</a>' in page
    assert f"Commencée le {timezone.localdate():%d/%m/%Y}" in page


def test_the_birth_date_stays_on_one_line_in_both_languages(gp_client: Client, gp: User) -> None:
    referral = _submitted(gp, "Rousseau")
    born = referral.patient.birth_date
    assert born is not None

    french = gp_client.get(HOME).content.decode()
    gp_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = gp_client.get(HOME).content.decode()

    # The factory's patient is a woman: « née », in English « born on ».
    assert f"Demande n° {referral.pk} · née\u00a0le\u00a0{born:%d/%m/%Y}" in french
    assert f"Referral no. {referral.pk} · born\u00a0on\u00a0{born:%d/%m/%Y}" in english
    assert f"Referred on {timezone.localdate():%d/%m/%Y}" in english
    assert f"Treat before\u00a0{referral.target_before:%d/%m/%Y}" in english
