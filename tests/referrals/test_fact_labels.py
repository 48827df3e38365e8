"""The facts 2027.1 added read in French on the radiologist's page, in the changes since a
decision and in the indication report: never a raw key (`tender_on_percussion`, `bone_scan`…)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clinic.models import User
from eligibility.adapter import facts_for_referral
from eligibility.engine import facts_to_dict
from referrals.models import Referral
from referrals.pages.fact_changes import facts_changes
from referrals.services.decisions import accept_referral
from referrals.services.evaluation import referral_evaluate
from tests.referrals.radiology import submitted_referral

# The keys and values of 2027.1 a page must never show as they are stored.
RAW = (
    "tender_on_percussion",
    "mri_contraindicated",
    "mri_alternative",
    "imaging.",
    "bone_scan",
    "spect_ct",
    "creatinine_clearance",
    "platelets",
    "labs.",
    "local_anaesthetic",
    "iodine",
    "allergies",
    "cannot_lie_prone",
    "osteoporosis_treatment",
    "vka_bridging",
    "dabigatran",
    "fondaparinux",
    "True",
    "None",
)

NEW_FACTS = {
    "mri_available": False,
    "mri_contraindicated": True,
    "mri_alternative": "bone_scan",
    "platelets": Decimal("180.0"),
    "inr": Decimal("1.25"),
    "creatinine_clearance": Decimal("40.0"),
    "allergies": ["iodine", "local_anaesthetic"],
    "cannot_lie_prone": True,
    "osteoporosis_treatment": False,
    "antithrombotics": ["vka", "dabigatran", "fondaparinux", "other"],
    "vka_bridging": True,
}


def _visible(html: str) -> str:
    """The text of the page a user reads (tags, attributes and scripts dropped)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("script", "style")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _referral_with_new_facts() -> Referral:
    return submitted_referral(
        levels=[{"level": "L1", "age": 10, "tender_on_percussion": False}], **NEW_FACTS
    )


def _raw_keys_in(text: str) -> list[str]:
    return [key for key in RAW if key in text]


def test_the_radiologists_page_names_every_new_fact_in_french(radiologist_client: Client) -> None:
    referral = _referral_with_new_facts()
    html = radiologist_client.get(reverse("referrals:radiology_referral", args=[referral.pk]))
    text = _visible(html.content.decode())
    assert _raw_keys_in(text) == []
    assert "IRM contre-indiquée oui ; examen fait à la place : Scintigraphie osseuse" in text
    assert "plaquettes : 180 G/L · INR : 1,25 · clairance de la créatinine : 40 mL/min" in text
    assert "Allergies (hors ciment) Produits de contraste iodés, Anesthésiques locaux" in text
    assert "Ne peut pas rester allongé sur le ventre" in text
    assert "Traitement de l’ostéoporose en cours non" in text
    assert "Relais héparine prévu oui" in text
    assert "Dabigatran (Pradaxa)" in text and "Fondaparinux (Arixtra)" in text
    assert "Percussion" in text


def test_changes_since_the_decision_name_the_new_facts_in_french(
    radiologist: User, radiologist_client: Client
) -> None:
    referral = submitted_referral(antithrombotics=["dabigatran"])
    accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1"],
        stay="day_hospital",
        anaesthesia="local",
    )
    # The GP's new facts reach the referral (as a resubmission writes them), evaluated again.
    Referral.objects.filter(pk=referral.pk).update(**NEW_FACTS)
    referral.levels.update(tender_on_percussion=False)
    referral.refresh_from_db()
    referral_evaluate(referral=referral, reason="facts_changed")
    html = radiologist_client.get(reverse("referrals:radiology_referral", args=[referral.pk]))
    text = _visible(html.content.decode())
    assert "Le médecin a modifié la demande depuis la décision" in text
    assert _raw_keys_in(text) == []
    assert "L1 — douleur à la percussion de l’épineuse non renseigné non" in text
    assert "Clairance de la créatinine (mL/min) non renseigné 40" in text
    assert "Examen fait à la place de l’IRM non renseigné Scintigraphie osseuse" in text
    assert "Allergies aucun Produits de contraste iodés, Anesthésiques locaux" in text
    assert "INR non renseigné 1,25" in text


def test_every_fact_path_has_a_french_label(db: None) -> None:
    today = timezone.localdate()
    before = facts_to_dict(facts_for_referral(submitted_referral(), as_of=today))
    after = facts_to_dict(facts_for_referral(_referral_with_new_facts(), as_of=today))
    changes = facts_changes(before, after)
    assert len(changes) >= 10
    for change in changes:
        assert _raw_keys_in(f"{change.label} {change.before} {change.after}") == [], change
        assert "." not in change.label.split(" — ")[-1], change  # a path such as labs.inr


@pytest.mark.usefixtures("radiologist")
def test_the_indication_report_names_the_new_facts_in_french(radiologist_client: Client) -> None:
    referral = _referral_with_new_facts()
    response = radiologist_client.get(reverse("reports:indication_report", args=[referral.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    assert "Scintigraphie osseuse" in text
    assert "clairance de la créatinine : 40 mL/" in text  # « min » may wrap to the next line
    assert "Produits de contraste iodés" in text
    assert [key for key in RAW if key in text and key not in ("True", "None")] == []
