"""Every URL needs login except an explicit allow-list; the admin is for administrators only."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from clinic.models import User

PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "healthz",
    # Browsers ask for it before anyone logs in (a redirect to the static icon).
    "favicon",
    # The patient's follow-up questionnaire, opened by its single-use token (a wrong one: 404).
    "followups:answer",
}
# The API answers its clients' bearer tokens, never a session: without one it says 401 in an
# OperationOutcome, and its discovery documents are public (tests/fhir_api/).
API_PUBLIC = {"fhir_api:metadata", "fhir_api:smart_configuration", "cds_hooks:discovery"}
API_PREFIXES = ("fhir_api:", "cds_hooks:", "oauth2_provider:")
# POST only: a GET is refused before the token is read.
API_POST_ONLY = {"fhir_api:root", "cds_hooks:service", "cds_hooks:feedback"}


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            found.append((f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)))
    return found


def _example_path(route: str) -> str:
    """Fill every converter or regex group with a plausible value."""
    route = re.sub(r"<(?:int:)?[a-z_]*(?:pk|id)>", "1", route)
    route = re.sub(r"<int:[a-z_]+>", "1", route)
    route = re.sub(r"<[a-z]+:[a-z_0-9]+>|<[a-z_0-9]+>", "x", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)
    return "/" + route.lstrip("^").rstrip("$").replace("\\", "")


ALL_URLS = [
    (name, _example_path(route))
    for name, route in _walk(get_resolver().url_patterns)
    if not name.startswith("admin:")
]


@pytest.mark.parametrize(("name", "path"), ALL_URLS, ids=[n or p for n, p in ALL_URLS])
def test_anonymous_is_sent_to_login_except_public_pages(
    client: Client, db: None, name: str, path: str
) -> None:
    response = client.get(path)
    if name.startswith(API_PREFIXES):
        expected = 200 if name in API_PUBLIC else 405 if name.startswith("oauth2") else 401
        if name in API_POST_ONLY:
            expected = 405
        assert response.status_code == expected, path
        return
    if name in PUBLIC:
        assert response.status_code in (200, 302, 404, 405), path
        if response.status_code == 302:
            assert not response["Location"].startswith("/connexion/"), path
    else:
        assert response.status_code == 302, path
        assert response["Location"].startswith("/connexion/?next="), path


def test_url_walk_finds_the_apps_urls() -> None:
    names = {name for name, _ in ALL_URLS}
    assert {"home", "home_gp", "login"} <= names


@pytest.mark.parametrize("persona", ["gp", "radiologist", "secretary"], indirect=True)
def test_admin_is_refused_to_non_administrators(client: Client, persona: User) -> None:
    client.force_login(persona)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/clinic/user/").status_code == 403


def test_admin_is_refused_to_staff_flag_without_admin_role(
    client: Client, radiologist: User
) -> None:
    radiologist.is_staff = True
    radiologist.save(update_fields=["is_staff"])
    client.force_login(radiologist)
    assert client.get("/admin/").status_code == 403


def test_administrator_opens_the_admin(admin_client: Client) -> None:
    response = admin_client.get("/admin/clinic/user/")
    assert response.status_code == 200


def test_the_admin_names_the_libraries_apps_in_french(admin_client: Client) -> None:
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Clients de l&#x27;API (OAuth 2)" in page or "Clients de l’API (OAuth 2)" in page
    assert "Jetons d" in page and "File de tâches" in page
    for english in ("Django OAuth Toolkit", "Access tokens", "Tasks Database Backend", "Grants"):
        assert english not in page, english


def test_the_admin_names_login_history_and_second_factor_in_french(
    admin_client: Client, gp: User
) -> None:
    index = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    attempts = admin_client.get("/admin/axes/accessattempt/").content.decode()
    user = admin_client.get(f"/admin/clinic/user/{gp.pk}/change/").content.decode()

    assert "Historique des connexions" in index
    assert "Historique des connexions</a>" in attempts  # the breadcrumbs
    assert ">Axes<" not in index and ">Axes<" not in attempts
    # No one is granted device or login-history permissions: nor are they listed.
    select = user[user.index('name="user_permissions"') :]
    options = re.findall(
        r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select[: select.index("</select>")]
    )
    assert any(option.startswith("Clinique | ") for option in options), options[:5]
    assert not [o for o in options if "TOTP" in o or "Historique des connexions" in o]


def test_anonymous_admin_goes_to_the_products_login(client: Client, db: None) -> None:
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/connexion/")
