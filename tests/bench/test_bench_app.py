"""The volume seeding belongs to the bench: the product's settings neither install the bench app
nor offer its command."""

from __future__ import annotations

from django.conf import settings
from django.core.management import get_commands


def test_the_product_does_not_install_the_bench_nor_offer_seed_volume() -> None:
    assert not [app for app in settings.INSTALLED_APPS if app.split(".")[0] == "bench"]
    assert "seed_volume" not in get_commands()


def test_the_bench_app_offers_seed_volume(bench_app: None) -> None:
    assert get_commands()["seed_volume"] == "bench"
