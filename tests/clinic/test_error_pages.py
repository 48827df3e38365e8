"""The product's own 404 and 500 pages answer under DEBUG too (the demo), unless a developer turns
PRODUCT_ERROR_PAGES off to see Django's technical pages."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from clinic.models import User
from tests.conftest import client_for
from tests.factories import ReferralFactory


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("", include("config.urls"))]


@pytest.fixture
def demo(settings: object) -> object:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = __name__  # type: ignore[attr-defined]
    return settings


def test_an_unknown_address_shows_the_products_404_in_the_demo(demo: object, gp: User) -> None:
    response = client_for(gp).get("/nulle-part/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page and "Retour à l’accueil" in page
    assert "URLconf" not in page  # Django's page lists every URL of the product


def test_another_gps_referral_shows_the_products_404_in_the_demo(
    demo: object, gp: User, other_gp: User
) -> None:
    referral = ReferralFactory(gp=other_gp)

    response = client_for(gp).get(f"/medecin/demandes/{referral.pk}/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_error_shows_the_products_500_in_the_demo_and_is_logged(
    demo: object, gp: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(gp)
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Une erreur est survenue" in page
    assert "Traceback" not in page and "RuntimeError" not in page
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


def test_a_missing_slash_still_redirects(demo: object, gp: User) -> None:
    response = client_for(gp).get("/medecin")

    assert response.status_code == 301
    assert response["Location"] == "/medecin/"


def test_developers_can_have_djangos_technical_pages(demo: object, gp: User) -> None:
    demo.PRODUCT_ERROR_PAGES = False  # type: ignore[attr-defined]
    client = client_for(gp)
    client.raise_request_exception = False

    assert "URLconf" in client.get("/nulle-part/").content.decode()
    assert "RuntimeError" in client.get("/boom/").content.decode()


def test_anonymous_visitors_get_the_404_too(demo: object, client: Client, db: None) -> None:
    response = client.get("/nulle-part/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
