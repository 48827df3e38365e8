"""The bench as a Django app, for its `seed_volume` command: only bench/settings.py installs it
(and the tests of tests/bench/), never the product's config/settings.py."""

from __future__ import annotations

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Benchmark"
