"""A GP on a phone (390 px): the live verdict stays on screen while typing, and opens in full."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import SCREENSHOTS, login
from tests.factories import TEST_PASSWORD

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: object, live_server: object, transactional_db: None) -> Iterator[object]:
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


def screen(page: object, name: str) -> None:
    """What the phone's screen shows (a full-page picture of a phone form is 9,000 px tall)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))  # type: ignore[attr-defined]


def _in_viewport(page: object, selector: str) -> bool:
    box = page.locator(selector).bounding_box()  # type: ignore[attr-defined]
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= PHONE["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= PHONE["width"]
    )


@pytest.mark.browser
def test_on_a_phone_the_verdict_bar_stays_on_screen_and_follows_the_typing(
    phone: object, gp: object
) -> None:
    page = phone
    login(page, "dr-gp", TEST_PASSWORD)
    page.goto(f"{page.base_url}/medecin/demandes/nouvelle/")  # type: ignore[attr-defined]
    bar = page.locator("#verdict-bar-summary")  # type: ignore[attr-defined]
    # At the first field, the summary is on screen (the full panel is far below, hidden).
    page.get_by_label("Nom de naissance").focus()  # type: ignore[attr-defined]
    assert _in_viewport(page, "#verdict-bar-button")
    assert "indiquez un niveau fracturé" in bar.inner_text()
    assert not page.locator("#verdict-panel").is_visible()  # type: ignore[attr-defined]

    page.get_by_label("Nom de naissance").fill("Rousseau")  # type: ignore[attr-defined]
    page.select_option("#id_levels-0-level", "L1")  # type: ignore[attr-defined]
    bar.locator(".verdict-bar-label", has_text="Dossier incomplet").wait_for()
    assert "point à compléter" in bar.inner_text() or "points à compléter" in bar.inner_text()
    # Still on screen once the GP has scrolled down to the levels.
    assert _in_viewport(page, "#verdict-bar-button")
    screen(page, "gp-form-phone-bar")

    ten_days_ago = (timezone.localdate() - timedelta(days=10)).isoformat()
    page.fill("#id_levels-0-fracture_date", ten_days_ago)  # type: ignore[attr-defined]
    page.select_option("#id_levels-0-mri_oedema", "true")  # type: ignore[attr-defined]
    page.get_by_label("Scanner du rachis réalisé").check()  # type: ignore[attr-defined]
    page.get_by_label("IRM du rachis réalisée").check()  # type: ignore[attr-defined]
    bar.locator(".verdict-bar-label", has_text="Indication probable").wait_for()
    assert _in_viewport(page, "#verdict-bar-button")

    # The bar opens the whole panel as a sheet, and it closes again.
    page.locator("#verdict-bar-button").click()  # type: ignore[attr-defined]
    panel = page.locator("#verdict-panel")  # type: ignore[attr-defined]
    panel.wait_for(state="visible")
    page.wait_for_timeout(400)  # the sheet's slide-in
    assert "Constats, règle par règle" in panel.inner_text()
    assert _in_viewport(page, "#verdict-sheet .btn-close")
    screen(page, "gp-form-phone-sheet")
    page.locator("#verdict-sheet .btn-close").click()  # type: ignore[attr-defined]
    panel.wait_for(state="hidden")


@pytest.mark.browser
def test_on_a_wide_screen_the_panel_stays_beside_the_form(page: object, gp: object) -> None:
    login(page, "dr-gp", TEST_PASSWORD)
    page.goto(f"{page.base_url}/medecin/demandes/nouvelle/")  # type: ignore[attr-defined]
    assert page.locator("#verdict-panel").is_visible()  # type: ignore[attr-defined]
    assert not page.locator("#verdict-bar-button").is_visible()  # type: ignore[attr-defined]
