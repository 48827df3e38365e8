"""The radiologist's question on the GP's referral page: a request while it waits for the GP's
answer, history once the GP has answered and resubmitted."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from clinic.models import User
from referrals.services.decisions import request_information
from referrals.services.submission import referral_resubmit
from tests.referrals.radiology import submitted_referral

QUESTION = "Merci de joindre le compte rendu de l'IRM."


def _panel(client: Client, pk: int) -> str:
    html = client.get(reverse("referrals:gp_referral_detail", args=[pk])).content.decode()
    return html[
        html.index("gp-decision-panel") : html.index("</section>", html.index("gp-decision-panel"))
    ]


def test_the_question_is_a_request_while_the_gp_has_not_answered(
    gp_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(gp=gp)
    request_information(referral=referral, by=radiologist, message_to_gp=QUESTION, notify_gp=False)

    page = gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))
    panel = _panel(gp_client, referral.pk)

    assert "Informations demandées" in panel
    assert "Répondez à la question ci-dessus" in panel
    # Asked once, at the top of the page with the button to answer; not repeated in the panel.
    assert page.content.decode().count("compte rendu de l&#x27;IRM") == 1


def test_once_answered_the_question_is_shown_as_answered(
    gp_client: Client, gp: User, radiologist: User
) -> None:
    referral = submitted_referral(gp=gp)
    request_information(referral=referral, by=radiologist, message_to_gp=QUESTION, notify_gp=False)
    referral.refresh_from_db()
    referral_resubmit(referral=referral, by=gp, message="IRM jointe.")

    panel = _panel(gp_client, referral.pk)

    assert "Informations demandées" not in panel
    assert "Répondez à la question" not in panel
    assert "Informations transmises" in panel
    assert "Le radiologue avait demandé" in panel and "compte rendu de l&#x27;IRM" in panel
    assert "attend de nouveau l’avis du radiologue" in panel
