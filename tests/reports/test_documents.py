"""The indication report, the decision letter and the surgical letter: what they say, who may
download them, that free text stays text, and that generating them changes no data."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from clinic.models import User
from eligibility.engine import RULESET_VERSION
from referrals.models import Decision, EligibilitySnapshot, Referral, TimelineEvent
from referrals.services.decisions import (
    accept_referral,
    decline_referral,
    redirect_to_surgery,
    request_information,
)
from tests.referrals.radiology import submitted_referral

HOSTILE = "<script>alert(1)</script> {{ x }}"
PATIENT = {"birth_name": "DUPONT", "first_names": "Jeanne"}


def pdf_text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())  # a phrase may wrap over two lines


def _accepted(gp: User, radiologist: User, **fields: Any) -> Referral:
    referral = submitted_referral(
        gp=gp,
        patient=PATIENT,
        levels=[{"level": "T12", "age": 300, "mri_oedema": False}, {"level": "L1", "age": 10}],
        antithrombotics=["vka"],
        **fields,
    )
    accept_referral(
        referral=referral,
        by=radiologist,
        levels_to_treat=["L1"],
        stay="day_hospital",
        anaesthesia="local",
        message_to_gp="Merci pour votre confiance.",
    )
    referral.refresh_from_db()
    return referral


def _report(client: Client, referral: Referral) -> Any:
    return client.get(reverse("reports:indication_report", args=[referral.pk]))


def _letter(client: Client, decision: Decision | None, name: str = "decision_letter") -> Any:
    assert decision is not None
    return client.get(reverse(f"reports:{name}", args=[decision.pk]))


def test_indication_report_holds_patient_levels_verdict_findings_decision_and_act(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    referral = _accepted(gp, radiologist)

    text = pdf_text(_report(radiologist_client, referral))

    assert "Rapport d’indication — cimentoplastie vertébrale" in text
    assert "DUPONT Jeanne" in text
    assert "T12" in text and "L1" in text
    assert "Indication probable — délai idéal" in text
    for rule in ("B-LEVEL-SPINE", "B-AGE-OVER", "B-AGE-IDEAL", "B-VKA"):
        assert rule in text, rule
    assert "Source : Brochure du centre" in text
    assert "Indication acceptée" in text
    assert "Spondyloplastie unique ou de 2 vertèbres" in text
    assert "Dr Hélène Lefèvre" in text
    assert f"règles d’éligibilité {RULESET_VERSION}" in text
    assert "Page 1 / " in text


def test_indication_report_before_any_decision_says_it_waits(
    radiologist_client: Client, gp: User
) -> None:
    referral = submitted_referral(gp=gp, patient=PATIENT)

    text = pdf_text(_report(radiologist_client, referral))

    assert "Aucune décision enregistrée" in text
    assert "Acte envisagé (proposition du moteur)" in text


def test_decision_letter_for_an_acceptance_tells_the_gp_what_to_prepare(
    gp_client: Client, gp: User, radiologist: User
) -> None:
    referral = _accepted(gp, radiologist)

    text = pdf_text(_letter(gp_client, referral.current_decision))

    assert "Dr Claire Martin" in text
    assert "DUPONT Jeanne" in text
    assert "je retiens l’indication d’une cimentoplastie vertébrale (L1)" in text
    assert "Hôpital de jour" in text
    # 2027.1 B-VKA: last dose J−6, resume J+1 in the evening, INR on J−1.
    assert "Antivitamine K (AVK) — dernière prise J−6, reprise J+1 au soir" in text
    assert "INR à J−1 inférieur ou égal à 1,5" in text
    assert "Merci pour votre confiance." in text


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("decline", "Je ne retiens pas, à ce jour, l’indication"),
        ("request_information", "j’ai besoin des éléments suivants"),
        ("redirect", "orienter votre patiente vers un chirurgien du rachis"),
    ],
)
def test_decision_letter_says_each_kind_of_decision(
    radiologist_client: Client, gp: User, radiologist: User, kind: str, expected: str
) -> None:
    referral = submitted_referral(
        gp=gp, patient=PATIENT, levels=[{"level": "L1", "age": 9, "posterior_arch_involved": True}]
    )
    if kind == "decline":
        decision = decline_referral(referral=referral, by=radiologist, reason="Motif écrit")
    elif kind == "request_information":
        decision = request_information(
            referral=referral, by=radiologist, message_to_gp="Motif écrit"
        )
    else:
        decision = redirect_to_surgery(referral=referral, by=radiologist, reason="Motif écrit")

    text = pdf_text(_letter(radiologist_client, decision))

    assert expected in text
    assert "Motif écrit" in text


def test_surgical_letter_cites_the_reason_and_the_engines_surgical_findings(
    gp_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(
        gp=gp,
        patient=PATIENT,
        levels=[{"level": "L2", "age": 9, "posterior_arch_involved": True}],
        neurological_deficit=True,
    )
    decision = redirect_to_surgery(
        referral=referral, by=radiologist, reason="Atteinte de l'arc postérieur en L2."
    )

    text = pdf_text(_letter(gp_client, decision, "surgical_letter"))

    # G-NEURO fired: the letter is marked urgent (2027.1).
    assert "demande d’avis chirurgical urgent — fracture vertébrale" in text
    assert "À l’attention du chirurgien du rachis" in text
    assert "Atteinte de l'arc postérieur en L2." in text
    # The findings in words; rule ids and sources stay in the radiologist's report.
    assert "Atteinte de l'arc postérieur : contre-indication" in text
    assert "Déficit neurologique : avis chirurgical urgent" in text
    assert "B-ARCH" not in text and "G-NEURO" not in text and "CIRSE" not in text
    assert "DUPONT Jeanne" in text and "L2" in text


def test_surgical_letter_exists_only_for_a_redirection(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    referral = _accepted(gp, radiologist)

    assert (
        _letter(radiologist_client, referral.current_decision, "surgical_letter").status_code == 404
    )


def test_hostile_free_text_is_printed_as_text(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(
        gp=gp,
        patient=PATIENT,
        clinical_note=HOSTILE,
        levels=[{"level": "L1", "age": 9, "posterior_wall_involved": True}],
    )
    decision = redirect_to_surgery(
        referral=referral, by=radiologist, reason=HOSTILE, justification=HOSTILE,
        message_to_gp=HOSTILE,
    )  # fmt: skip

    report = pdf_text(_report(radiologist_client, referral))
    letter = pdf_text(_letter(radiologist_client, decision))
    surgical = pdf_text(_letter(radiologist_client, decision, "surgical_letter"))

    assert report.count(HOSTILE) == 4  # note, reason, message to the GP, justification
    assert letter.count(HOSTILE) == 2  # reason, message
    assert surgical.count(HOSTILE) == 2  # reason, note (the message is for the GP only)


def _state() -> tuple[Any, ...]:
    return (
        list(Referral.objects.values().order_by("pk")),
        list(Decision.objects.values().order_by("pk")),
        EligibilitySnapshot.objects.count(),
        TimelineEvent.objects.count(),
    )


def test_generating_documents_changes_no_data(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(
        gp=gp, patient=PATIENT, levels=[{"level": "L1", "age": 9, "posterior_arch_involved": True}]
    )
    decision = redirect_to_surgery(referral=referral, by=radiologist, reason="Arc")
    before = _state()

    pdf_text(_report(radiologist_client, referral))
    pdf_text(_letter(radiologist_client, decision))
    pdf_text(_letter(radiologist_client, decision, "surgical_letter"))

    assert _state() == before


def test_documents_are_private_downloads(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    referral = _accepted(gp, radiologist)

    response = _report(radiologist_client, referral)

    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="rapport-indication-demande-{referral.pk}.pdf"'
    )
    assert "DUPONT" not in response["Content-Disposition"]


def test_gp_gets_the_letters_of_their_referral_but_not_the_internal_report(
    gp_client: Client, other_gp_client: Client, gp: User, radiologist: User
) -> None:
    referral = _accepted(gp, radiologist)

    assert _letter(gp_client, referral.current_decision).status_code == 200
    assert _report(gp_client, referral).status_code == 403
    assert _letter(other_gp_client, referral.current_decision).status_code == 404


def test_secretary_gets_no_referral_document(
    secretary_client: Client, gp: User, radiologist: User
) -> None:
    referral = _accepted(gp, radiologist)

    assert _report(secretary_client, referral).status_code == 403
    assert _letter(secretary_client, referral.current_decision).status_code == 403


def test_an_unknown_document_is_a_404(radiologist_client: Client) -> None:
    assert radiologist_client.get(reverse("reports:decision_letter", args=[999])).status_code == 404
    assert (
        radiologist_client.get(reverse("reports:indication_report", args=[999])).status_code == 404
    )


def test_an_urgent_surgical_letter_says_it_is_urgent(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(gp=gp, patient=PATIENT, neurological_deficit=True)
    assert referral.urgent  # copied from the engine's G-NEURO
    decision = redirect_to_surgery(referral=referral, by=radiologist, reason="Déficit moteur.")
    letter = pdf_text(_letter(radiologist_client, decision, "surgical_letter"))
    assert "URGENT : déficit neurologique" in letter
    assert "demande d’avis chirurgical urgent" in letter


def test_a_surgical_letter_without_a_deficit_is_not_marked_urgent(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(
        gp=gp, patient=PATIENT, levels=[{"level": "L1", "age": 9, "posterior_arch_involved": True}]
    )
    decision = redirect_to_surgery(referral=referral, by=radiologist, reason="Arc postérieur.")
    assert "URGENT" not in pdf_text(_letter(radiologist_client, decision, "surgical_letter"))
