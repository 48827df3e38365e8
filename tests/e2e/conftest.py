"""Real-browser harness: Django's live server driven by Playwright in the system Chromium.

Outside CI, a machine without Chromium skips these tests with a reason; on CI (CI=true) a skip
fails the run (tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The browser's own language is French, as at the clinic: a context's locale sets what
        # pages read (navigator.language, Accept-Language) but not the browser's widgets; date
        # inputs follow the UI language, from LANGUAGE and Debian's chromium-l10n (else they
        # show mm/dd/yyyy).
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            env={**os.environ, "LANGUAGE": "fr"},
            args=[
                "--lang=fr-FR",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: object, transactional_db: None) -> Iterator[object]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


def screenshot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def login(page: object, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/connexion/")  # type: ignore[attr-defined]
    page.get_by_label("Identifiant").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Mot de passe").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Se connecter").click()  # type: ignore[attr-defined]
