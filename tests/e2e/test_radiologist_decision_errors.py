"""A radiologist's refused decision: a summary of errors, focused and on screen, linking to each
field; the justification box only when the decision goes against the engine."""

from __future__ import annotations

import pytest

from referrals.models import Referral
from tests.e2e.conftest import login, screenshot
from tests.factories import TEST_PASSWORD
from tests.referrals.radiology import submitted_referral


def _summary_on_screen(page: object) -> bool:
    box = page.locator("#error-summary").bounding_box()  # type: ignore[attr-defined]
    height = page.viewport_size["height"]  # type: ignore[attr-defined]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.browser
def test_a_refused_decline_shows_a_focused_summary_linking_to_each_field(
    page: object, radiologist: object, gp: object
) -> None:
    referral = submitted_referral(gp=gp, levels=[{"level": "L1", "age": 10}])  # eligible, ideal
    login(page, radiologist.username, TEST_PASSWORD)  # type: ignore[attr-defined]
    page.goto(f"{page.base_url}/radiologie/demandes/{referral.pk}/refuser/")  # type: ignore[attr-defined]
    # Declining an eligible referral goes against the engine: the box and one warning show.
    assert page.locator(".justification-warning").is_visible()  # type: ignore[attr-defined]
    assert page.get_by_label("Justification de l’écart avec l’avis du moteur").is_visible()  # type: ignore[attr-defined]

    page.get_by_role("button", name="Enregistrer la décision").click()  # type: ignore[attr-defined]
    summary = page.locator("#error-summary")  # type: ignore[attr-defined]
    summary.wait_for()
    assert "La décision n’a pas été enregistrée : 2 points à corriger" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"  # type: ignore[attr-defined]
    assert _summary_on_screen(page)
    screenshot(page, "radiologist-decline-errors")

    summary.get_by_role("link", name="Justification de l’écart avec l’avis du moteur").click()
    assert page.evaluate("document.activeElement.id") == "id_justification"  # type: ignore[attr-defined]
    summary.get_by_role("link", name="Motif du refus").click()
    assert page.evaluate("document.activeElement.id") == "id_reason"  # type: ignore[attr-defined]
    referral.refresh_from_db()
    assert referral.status == "submitted"


@pytest.mark.browser
def test_accepting_what_the_engine_advises_asks_for_no_justification(
    page: object, radiologist: object, gp: object
) -> None:
    referral = submitted_referral(gp=gp, levels=[{"level": "L1", "age": 10}])
    login(page, radiologist.username, TEST_PASSWORD)  # type: ignore[attr-defined]
    page.goto(f"{page.base_url}/radiologie/demandes/{referral.pk}/accepter/")  # type: ignore[attr-defined]
    assert page.get_by_role("checkbox", name="L1").is_checked()  # type: ignore[attr-defined]
    assert page.locator("#id_justification").count() == 0  # type: ignore[attr-defined]
    assert page.locator(".justification-warning").count() == 0  # type: ignore[attr-defined]
    screenshot(page, "radiologist-accept-no-justification")
    page.get_by_role("button", name="Enregistrer la décision").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"**/radiologie/demandes/{referral.pk}/")  # type: ignore[attr-defined]
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
