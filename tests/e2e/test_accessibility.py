"""Every main page of each role, in French, in a real browser: axe-core finds no serious or critical
violation, the browser logs no console error (a style or script the CSP blocked, a failed request,
an htmx error), the page says it is French, and the navigation bar marks the current section.

axe-core is the static file the product ships (static/vendor/axe-core/, never a CDN). One browser
context per role walks its pages, as a person would after logging in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from clinic.models import User
from tests.e2e.conftest import login, screenshot
from tests.factories import TEST_PASSWORD
from tests.tour import (
    ANONYMOUS_STOPS,
    Clinic,
    Stop,
    admin_stops,
    build_clinic,
    gp_stops,
    radiologist_stops,
    secretary_stops,
)

AXE = "/static/vendor/axe-core/axe.min.js"
SERIOUS = ("serious", "critical")

# The nav link that is the current section on each page (aria-current="page"), by stop name.
CURRENT_SECTION = {
    "gp-home": "Mes demandes",
    "gp-new-referral": "Nouvelle demande",
    "rules": "Règles",
    "worklist": "Liste de travail",
    "followups": "Suivi",
    "quality": "Qualité",
    "secretary-home": "Planning",
    "sessions": "Séances",
    "day": "Journée",
    "desk-followups": "Suivi",
    "desk-followups-lost": "Suivi",
    "admin-home": "Tableau de bord",
    "admin-quality": "Qualité",
}

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary),
  }));
}"""


def watch_console(page: Any) -> list[str]:
    """Collect the console's errors and the page's uncaught exceptions as they happen."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(f"exception: {error}"))
    return errors


def axe_violations(page: Any) -> list[str]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(url=f"{page.base_url}{AXE}")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["nodes"])
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in SERIOUS
    ]


def _walk(
    page: Any, role: str, stops: list[Stop], expected_errors: dict[str, str] | None = None
) -> list[str]:
    """Visit each stop; what is wrong there, one line each. `expected_errors`: by stop name, the
    one console error that page must log (a 404 page's own status)."""
    expected_errors = expected_errors or {}
    console = watch_console(page)
    problems: list[str] = []
    for stop in stops:
        console.clear()
        page.goto(f"{page.base_url}{stop.path}")
        page.wait_for_load_state("networkidle")
        where = f"{role} {stop.name} ({stop.path})"
        if page.locator("html").get_attribute("lang") != "fr":
            problems.append(f"{where}: <html lang> is not fr")
        for violation in axe_violations(page):
            problems.append(f"{where}: {violation}")
        if stop.name in CURRENT_SECTION:
            current = page.locator('header nav [aria-current="page"]')
            texts = [text.strip() for text in current.all_inner_texts()]
            if texts != [CURRENT_SECTION[stop.name]]:
                problems.append(f"{where}: aria-current marks {texts}, not the section")
        screenshot(page, f"a11y-{role}-{stop.name}")
        expected = expected_errors.get(stop.name)
        if expected is not None:
            assert any(expected in error for error in console), (where, console)
        problems.extend(
            f"{where}: {error}" for error in console if expected is None or expected not in error
        )
    return problems


STOPS: dict[str, Callable[[Clinic], list[Stop]]] = {
    "gp": gp_stops,
    "radiologist": radiologist_stops,
    "secretary": secretary_stops,
    "admin_user": lambda clinic: admin_stops(),
}


@pytest.mark.parametrize("role", list(STOPS))
def test_main_pages_pass_axe_with_no_console_error(
    page: Any, role: str, gp: User, radiologist: User, secretary: User, admin_user: User
) -> None:
    clinic = build_clinic(gp=gp, radiologist=radiologist, secretary=secretary)
    user = {"gp": gp, "radiologist": radiologist, "secretary": secretary, "admin_user": admin_user}
    login(page, user[role].username, TEST_PASSWORD)
    page.wait_for_url(lambda url: "/connexion/" not in url)

    problems = _walk(page, role, STOPS[role](clinic))

    assert not problems, "\n".join(problems)


def test_anonymous_pages_pass_axe_with_no_console_error(page: Any) -> None:
    # The 404 page is a failed request by design: the browser logs it, nothing else may be.
    not_found = "Failed to load resource: the server responded with a status of 404"
    problems = _walk(page, "anonymous", ANONYMOUS_STOPS, {"not-found": not_found})

    assert not problems, "\n".join(problems)


def _date_fields(page: Any, selector: str) -> list[str]:
    """The names of a date input's fields, in the order the browser shows them (its
    accessibility tree: the fields live in the input's closed shadow tree)."""
    page.focus(selector)
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    return [
        node["name"]["value"].split()[0]
        for node in nodes
        if node.get("role", {}).get("value") == "spinbutton" and node.get("name", {}).get("value")
    ]


def test_date_inputs_read_day_month_year_in_french(page: Any, secretary: User) -> None:
    login(page, secretary.username, TEST_PASSWORD)
    page.wait_for_url("**/secretariat/")
    page.goto(f"{page.base_url}/secretariat/journee/?date=2026-12-10")

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.evaluate("navigator.language") == "fr-FR"
    # « jj/mm/aaaa », as a French user sees it (not the mm/dd/yyyy of an English browser).
    assert _date_fields(page, "input[type=date]")[:3] == ["Jour", "Mois", "Année"]
    assert page.locator("input[type=date]").input_value() == "2026-12-10"
    screenshot(page, "date-input-french")


def test_navigation_marks_the_current_section_on_a_phone(page: Any, secretary: User) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, secretary.username, TEST_PASSWORD)
    page.wait_for_url("**/secretariat/")
    page.goto(f"{page.base_url}/secretariat/seances/")
    page.get_by_role("button", name="Afficher le menu").click()
    page.locator("#main-nav.show").wait_for()
    nav = page.get_by_role("navigation", name="Navigation principale")

    current = nav.get_by_role("link", name="Séances")
    current.wait_for()
    assert current.get_attribute("aria-current") == "page"
    assert nav.get_by_role("link", name="Planning").get_attribute("aria-current") is None
    # Not by colour alone: the current link is underlined.
    assert "underline" in current.evaluate("el => getComputedStyle(el).textDecorationLine")
    screenshot(page, "nav-phone-current-section")


def test_typing_fast_in_the_referral_form_logs_no_error(page: Any, gp: User) -> None:
    # Each keystroke pause and change asks for the live verdict; a request overtaken by a newer
    # one used to be aborted, which htmx logs as an error (htmx:sendAbort) on every form.
    login(page, gp.username, TEST_PASSWORD)
    page.wait_for_url("**/medecin/")
    console = watch_console(page)
    page.goto(f"{page.base_url}/medecin/demandes/nouvelle/")
    page.get_by_label("Nom de naissance").press_sequentially("Rousseau", delay=40)
    page.get_by_label("Prénoms").press_sequentially("Jeanne", delay=40)
    page.select_option("#id_levels-0-level", "L1")
    page.get_by_label("Scanner du rachis réalisé").check()
    page.get_by_role("button", name="Ajouter un niveau").click()
    page.select_option("#id_levels-1-level", "T12")
    page.get_by_label("IRM du rachis réalisée").check()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)  # the last keystroke's delay, then its request
    page.wait_for_load_state("networkidle")
    screenshot(page, "gp-form-typed-fast")

    assert console == []
