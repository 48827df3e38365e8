"""Documents for the GP, the surgeon and the patient speak of the person as they are (woman, man,
or a form that needs no agreement when the record does not say), without rule ids or English
citations, and in months past two months (« 8 mois », never « 243 jours »)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.services.decisions import accept_referral, redirect_to_surgery
from reports.words import elapsed
from tests.referrals.radiology import submitted_referral
from tests.reports.test_documents import pdf_text

RULE_ID = re.compile(r"\b[BG]-[A-Z]{2,}")
DAYS = re.compile(r"(\d+) jours?\b")
LEVELS = [{"level": "T11", "age": 243, "mri_oedema": False}, {"level": "L1", "age": 10}]
ENGLISH = ("CIRSE", "Guidelines", "SIR ", "AO Spine", "VERTOS")


def _patient(sex: str) -> dict[str, Any]:
    return {"sex": sex, "birth_name": "DUPONT", "birth_date": date(1941, 3, 2)}


def _decision_letter(client: Client, gp: User, radiologist: User, sex: str) -> str:
    referral = submitted_referral(
        gp=gp, patient=_patient(sex), levels=LEVELS, antithrombotics=["vka"], vka_bridging=True
    )
    accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1"],
        stay="day_hospital",
        anaesthesia="sedation",
    )
    referral.refresh_from_db()
    url = reverse("reports:decision_letter", args=[referral.current_decision_id])
    return pdf_text(client.get(url))


def _surgical_letter(client: Client, gp: User, radiologist: User, sex: str) -> str:
    referral = submitted_referral(
        gp=gp,
        patient=_patient(sex),
        levels=[{"level": "L2", "age": 9, "posterior_arch_involved": True}, *LEVELS],
        neurological_deficit=True,
    )
    decision = redirect_to_surgery(referral=referral, by=radiologist, reason="Arc postérieur.")
    return pdf_text(client.get(reverse("reports:surgical_letter", args=[decision.pk])))


SEXES = [
    (
        "F",
        ["Patiente : DUPONT", "née le 02/03/1941", "votre patiente"],
        ["Je vous adresse cette patiente, qui m’a été adressée", "voir cette patiente"],
    ),
    (
        "M",
        ["Patient : DUPONT", "né le 02/03/1941", "votre patient "],
        ["Je vous adresse ce patient, qui m’a été adressé par", "voir ce patient sans délai"],
    ),
    (
        "",
        ["Personne concernée : DUPONT", "date de naissance : 02/03/1941", "la personne que vous"],
        ["Je vous adresse cette personne, qui m’a été adressée", "voir cette personne"],
    ),
]


@pytest.mark.parametrize(("sex", "gp_words", "surgeon_words"), SEXES, ids=["woman", "man", "?"])
def test_letters_agree_with_the_patients_sex(
    gp_client: Client,
    gp: User,
    radiologist: User,
    sex: str,
    gp_words: list[str],
    surgeon_words: list[str],
) -> None:
    letter = _decision_letter(gp_client, gp, radiologist, sex)
    surgical = _surgical_letter(gp_client, gp, radiologist, sex)

    for word in gp_words:
        assert word in letter, word
    for word in surgeon_words + gp_words[:2]:
        assert word in surgical, word
    for text in (letter, surgical):
        assert "né(e)" not in text


@pytest.mark.parametrize("sex", ["F", "M", ""])
def test_no_rule_id_english_citation_or_long_count_of_days_outside_the_report(
    gp_client: Client, radiologist_client: Client, gp: User, radiologist: User, sex: str
) -> None:
    letter = _decision_letter(gp_client, gp, radiologist, sex)
    surgical = _surgical_letter(gp_client, gp, radiologist, sex)

    for text in (letter, surgical):
        assert not RULE_ID.findall(text)
        assert not [word for word in ENGLISH if word in text]
        assert all(int(days) <= 60 for days in DAYS.findall(text)), DAYS.findall(text)
    assert "8 mois" in surgical  # the T11 fracture, 243 days old
    assert "9 jours" in surgical  # the L2 fracture


def test_the_radiologists_report_keeps_rule_ids_and_days(
    radiologist_client: Client, gp: User
) -> None:
    referral = submitted_referral(gp=gp, patient=_patient("F"), levels=LEVELS)

    text = pdf_text(
        radiologist_client.get(reverse("reports:indication_report", args=[referral.pk]))
    )

    assert "B-AGE-OVER" in text and "243 jours" in text


@pytest.mark.parametrize(
    ("days", "said"),
    [(1, "1 jour"), (60, "60 jours"), (61, "2 mois"), (183, "6 mois"), (243, "8 mois")],
)
def test_a_fracture_age_is_said_in_days_then_months(days: int, said: str) -> None:
    assert elapsed(days) == said
