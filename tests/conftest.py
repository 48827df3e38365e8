"""Personas, and the CI guard: on CI the suite must run on PostgreSQL with nothing skipped that
matters (PostgreSQL-only and real-browser tests)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from clinic.models import User
from notifications import sms
from tests.factories import (
    AdminFactory,
    GPFactory,
    RadiologistFactory,
    SecretaryFactory,
)

ON_CI = os.environ.get("CI", "").lower() == "true"
GUARDED_MARKERS = ("postgres", "browser")
_guarded_skips: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if ON_CI:
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(
                f"CI=true but the database engine is {engine}: set DATABASE_URL to PostgreSQL."
            )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and any(m in report.keywords for m in GUARDED_MARKERS):
        _guarded_skips.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if ON_CI and _guarded_skips:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = "\n  ".join(_guarded_skips)
        message = f"CI=true: PostgreSQL-only or browser tests were skipped:\n  {lines}"
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if "/e2e/" in f"/{item.nodeid}":
            item.add_marker(pytest.mark.browser)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Uploaded files of one test never land in the developer's media folder.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]
    yield


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: object) -> Iterator[None]:
    # As config/settings.py does under CIMENTO_TESTING (make test), also for a bare `pytest`:
    # tasks run in the test's process, SMS land in notifications.sms.outbox (emptied per test,
    # like django.core.mail.outbox). A test of the real worker sets TASKS itself.
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.SMS_BACKEND = "notifications.sms.locmem.SmsBackend"  # type: ignore[attr-defined]
    sms.outbox.clear()
    yield


@pytest.fixture(autouse=True)
def _french(request: pytest.FixtureRequest) -> Iterator[None]:
    # A test that switched the language must not leak it into the next one.
    with translation.override("fr"):
        yield


# The personas, by fixture name: tests/security/ builds them once per module with its clinic.
PERSONAS: dict[str, Callable[[], User]] = {
    "gp": lambda: GPFactory(username="dr-gp", first_name="Claire", last_name="Martin"),
    "other_gp": lambda: GPFactory(username="dr-other", first_name="Paul", last_name="Autre"),
    "radiologist": lambda: RadiologistFactory(
        username="dr-radio", first_name="Hélène", last_name="Lefèvre"
    ),
    "secretary": lambda: SecretaryFactory(
        username="secretaire", first_name="Sophie", last_name="Durand"
    ),
    # Overrides pytest-django's admin_user, so its admin_client logs in as a clinic administrator.
    "admin_user": lambda: AdminFactory(username="chief", first_name="Marc", last_name="Petit"),
}


@pytest.fixture
def gp(db: None) -> User:
    return PERSONAS["gp"]()


@pytest.fixture
def other_gp(db: None) -> User:
    return PERSONAS["other_gp"]()


@pytest.fixture
def radiologist(db: None) -> User:
    return PERSONAS["radiologist"]()


@pytest.fixture
def secretary(db: None) -> User:
    return PERSONAS["secretary"]()


@pytest.fixture
def admin_user(db: None) -> User:
    return PERSONAS["admin_user"]()


@pytest.fixture
def persona(request: pytest.FixtureRequest) -> User:
    """A persona by fixture name, for @pytest.mark.parametrize("persona", [...], indirect=True)."""
    return request.getfixturevalue(request.param)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def gp_client(gp: User) -> Client:
    return client_for(gp)


@pytest.fixture
def other_gp_client(other_gp: User) -> Client:
    return client_for(other_gp)


@pytest.fixture
def radiologist_client(radiologist: User) -> Client:
    return client_for(radiologist)


@pytest.fixture
def secretary_client(secretary: User) -> Client:
    return client_for(secretary)
