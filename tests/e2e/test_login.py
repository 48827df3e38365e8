from __future__ import annotations

import pytest

from tests.e2e.conftest import login, screenshot
from tests.factories import TEST_PASSWORD

HOMES = [
    ("gp", "/medecin/", "Mes demandes d’avis"),
    ("radiologist", "/radiologie/", "Liste de travail"),
    ("secretary", "/secretariat/", "Planning de l’hôpital de jour"),
    ("admin_user", "/administration/", "Administration de Cimento"),
]


@pytest.mark.parametrize(("persona_name", "path", "heading"), HOMES)
def test_each_role_logs_in_and_sees_its_home(
    page: object, request: pytest.FixtureRequest, persona_name: str, path: str, heading: str
) -> None:
    user = request.getfixturevalue(persona_name)
    login(page, user.username, TEST_PASSWORD)
    page.wait_for_url(f"**{path}")  # type: ignore[attr-defined]
    assert page.get_by_role("heading", level=1).inner_text() == heading  # type: ignore[attr-defined]
    # The navigation bar names the user and their role.
    assert user.get_role_display() in page.get_by_role("navigation").inner_text()  # type: ignore[attr-defined]
    screenshot(page, f"home-{persona_name}")


def test_wrong_password_stays_on_login_with_a_clear_message(page: object, gp: object) -> None:
    login(page, "dr-gp", "not-the-password")
    assert "Identifiant ou mot de passe incorrect" in page.locator("main").inner_text()  # type: ignore[attr-defined]
    screenshot(page, "login-error")
