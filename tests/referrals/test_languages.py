"""The interface follows the reader's language; clinical documents stay French."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from clinic.models import User
from eligibility.engine import RULES_BY_ID, VERDICT_LABELS
from referrals.choices import Verdict
from tests.referrals.radiology import submitted_referral


def _english(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_stored_findings_read_in_english_for_an_english_reader(
    client: Client, radiologist: User
) -> None:
    referral = submitted_referral()
    client.force_login(radiologist)
    _english(client)
    html = client.get(reverse("referrals:radiology_referral", args=[referral.pk])).content.decode()
    ideal = RULES_BY_ID["B-AGE-IDEAL"]
    assert ideal.message_en.split(":")[0] in html
    assert ideal.message_fr.split(":")[0] not in html


def test_the_indication_report_stays_french_for_an_english_reader(
    client: Client, radiologist: User
) -> None:
    referral = submitted_referral()
    client.force_login(radiologist)
    _english(client)
    response = client.get(reverse("reports:indication_report", args=[referral.pk]))
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Fracture de 21 jours ou moins" in text
    assert "days old" not in text
    assert "Indication probable" in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_verdict_reads_the_same_on_every_page(language: str) -> None:
    # The GP's list names verdicts from the model's choices, the radiologist's pages from the
    # engine's table: two sources that must not drift apart.
    with translation.override(language):
        choices = {value: str(label) for value, label in Verdict.choices}
    assert choices == {verdict: labels[language] for verdict, labels in VERDICT_LABELS.items()}
