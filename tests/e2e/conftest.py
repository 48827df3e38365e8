"""Real-browser harness: Django's live server driven by Playwright in the system Chromium.

Outside CI, a machine without Chromium skips these tests with a reason; on CI (CI=true) a skip
fails the run (tests/conftest.py).
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from scheduling.public_holidays import holiday_name

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


@pytest.fixture
def open_page(
    browser: Any, live_server: Any, transactional_db: None
) -> Iterator[Callable[..., Any]]:
    """A new browser (its own cookies) for each person of a journey; `width` for a phone."""
    contexts = []

    def new_page(width: int = 1280, timeout: int = 10_000) -> Any:
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
        context.set_default_timeout(timeout)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        return page

    yield new_page
    for context in contexts:
        context.close()


def working_days_from(start: date, count: int) -> list[date]:
    """The first `count` weekdays from `start` that are not French public holidays."""
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5 and holiday_name(day) is None:
            days.append(day)
        day += timedelta(days=1)
    return days


def pdf_text(content: bytes) -> str:
    """A PDF's text, whitespace collapsed (the file must be a PDF)."""
    assert content.startswith(b"%PDF")
    return " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def download_text(download: Any) -> str:
    """The text of a PDF a Playwright download saved."""
    with open(download.path(), "rb") as file:
        return pdf_text(file.read())


def settle(page: Any) -> None:
    """Let the live panel answer what the GP typed before the form is sent (the test database,
    SQLite in memory, does not take two writers at once)."""
    page.wait_for_load_state("networkidle")


def start_referral(
    page: Any,
    *,
    birth_name: str,
    first_names: str,
    birth_date: str,
    nir: str,
    level: str,
    fracture_date: date,
) -> None:
    """On the GP's home, open a new referral and fill a woman's osteoporotic fracture with its
    CT and MRI done, pain 7 and analgesics that failed (the rest is the test's own)."""
    page.get_by_role("link", name="Nouvelle demande").first.click()
    page.get_by_label("Nom de naissance").fill(birth_name)
    page.get_by_label("Prénoms").fill(first_names)
    page.get_by_label("Date de naissance").fill(birth_date)
    page.get_by_label("Femme").check()
    page.get_by_label("NIR (n° de sécurité sociale)").fill(nir)
    page.select_option("#id_levels-0-level", level)
    page.fill("#id_levels-0-fracture_date", fracture_date.isoformat())
    page.select_option("#id_levels-0-cause", "osteoporotic")
    page.select_option("#id_levels-0-mri_oedema", "true")
    page.get_by_label("Scanner du rachis réalisé").check()
    page.get_by_label("IRM du rachis réalisée").check()
    page.select_option("#id_facts-pain_nrs", "7")
    page.get_by_label("Échec des antalgiques").check()
