"""The bench app (its `seed_volume` command) is installed for these tests only, as bench/settings.py
installs it for `make bench`: the product's settings never load it."""

from __future__ import annotations

import pytest


@pytest.fixture
def bench_app(settings: object) -> None:
    # override_settings rebuilds the app registry and the management commands' cache.
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench.apps.BenchConfig"]  # type: ignore[attr-defined]
