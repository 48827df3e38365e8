"""Lists on a phone and the worklist's tabs at every width: rows read as cards with the next
step, the appointment and the action on screen, and tabs never overlap."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SCREENSHOTS, login
from tests.factories import TEST_PASSWORD
from tests.referrals.radiology import submitted_referral


def _shot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _no_sideways_scroll(page: object) -> bool:
    return page.evaluate(  # type: ignore[attr-defined]
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _inside(page: object, selector: str, width: int) -> bool:
    boxes = [
        el.bounding_box()
        for el in page.locator(selector).all()  # type: ignore[attr-defined]
    ]
    return bool(boxes) and all(
        b is not None and b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes
    )


@pytest.mark.browser
def test_on_a_phone_the_gp_list_and_the_worklist_are_cards(
    page: object, gp: object, radiologist: object
) -> None:
    for name in ("DURAND", "MARTIN", "PETIT"):
        submitted_referral(gp=gp, patient={"birth_name": name, "first_names": "Anne"})
    page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    login(page, "dr-gp", TEST_PASSWORD)
    page.wait_for_url("**/medecin/")  # type: ignore[attr-defined]
    assert _no_sideways_scroll(page)
    assert not page.locator("table.gp-referrals thead").is_visible()  # type: ignore[attr-defined]
    # The next step and the dates of every row are on screen, named by their column.
    assert _inside(page, "table.gp-referrals td[data-label='Prochaine étape']", 390)
    assert _inside(page, "table.gp-referrals td[data-label='Dates']", 390)
    label = page.evaluate(  # type: ignore[attr-defined]
        "getComputedStyle(document.querySelector(\"table.gp-referrals td[data-label='Prochaine "
        "étape']\"), '::before').content"
    )
    assert label == '"Prochaine étape"'
    _shot(page, "gp-home-phone")

    page.context.clear_cookies()  # type: ignore[attr-defined]
    login(page, radiologist.username, TEST_PASSWORD)  # type: ignore[attr-defined]
    page.wait_for_url("**/radiologie/")  # type: ignore[attr-defined]
    assert _no_sideways_scroll(page)
    assert _inside(page, "table.worklist td[data-label='Statut']", 390)
    assert _inside(page, "table.worklist td[data-label='Avis']", 390)
    _shot(page, "worklist-phone")


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 768, 1024, 1280])
def test_the_worklist_tabs_never_overlap(
    page: object, gp: object, radiologist: object, width: int
) -> None:
    for _ in range(7):
        submitted_referral(gp=gp)
    page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    login(page, radiologist.username, TEST_PASSWORD)  # type: ignore[attr-defined]
    page.wait_for_url("**/radiologie/")  # type: ignore[attr-defined]
    tabs = [t.bounding_box() for t in page.locator(".worklist-tabs .nav-link").all()]  # type: ignore[attr-defined]
    assert len(tabs) == 11
    for i, a in enumerate(tabs):
        assert a["x"] + a["width"] <= width
        for b in tabs[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"] + 0.5
                or b["x"] + b["width"] <= a["x"] + 0.5
                or a["y"] + a["height"] <= b["y"] + 0.5
                or b["y"] + b["height"] <= a["y"] + 0.5
            )
            assert apart, (a, b)
    assert _no_sideways_scroll(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".worklist-tabs").screenshot(path=str(SCREENSHOTS / f"worklist-tabs-{width}.png"))  # type: ignore[attr-defined]
