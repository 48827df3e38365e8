from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from tests.factories import TEST_PASSWORD, UserFactory

ROLE_HOMES = [
    ("gp", "home_gp", "Mes demandes d’avis"),
    ("radiologist", "home_radiologist", "Liste de travail"),
    ("secretary", "home_secretary", "Planning de l’hôpital de jour"),
    ("admin_user", "home_admin", "Administration de Cimento"),
]


@pytest.mark.parametrize(("persona", "url_name", "heading"), ROLE_HOMES, indirect=["persona"])
def test_home_sends_each_role_to_its_own_page(
    client: Client, persona: User, url_name: str, heading: str
) -> None:
    client.force_login(persona)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(url_name)
    assert heading in response.content.decode()


@pytest.mark.parametrize(("persona", "url_name", "heading"), ROLE_HOMES, indirect=["persona"])
def test_a_role_cannot_open_another_roles_home(
    client: Client, persona: User, url_name: str, heading: str
) -> None:
    client.force_login(persona)
    for _, other_url, _ in ROLE_HOMES:
        expected = 200 if other_url == url_name else 403
        assert client.get(reverse(other_url)).status_code == expected, other_url


def test_user_without_role_gets_a_page_saying_so(client: Client, db: None) -> None:
    client.force_login(UserFactory(username="norole", role=""))
    response = client.get("/")
    assert response.status_code == 403
    assert "aucun rôle ne lui est attribué" in response.content.decode()


def test_login_with_wrong_password_and_unknown_user_say_the_same(client: Client, gp: User) -> None:
    wrong = client.post(reverse("login"), {"username": gp.username, "password": "wrong-password-1"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password-1"})
    message = "Identifiant ou mot de passe incorrect"
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()


def test_inactive_account_is_told_it_is_deactivated(client: Client, gp: User) -> None:
    gp.is_active = False
    gp.save(update_fields=["is_active"])
    response = client.post(reverse("login"), {"username": gp.username, "password": TEST_PASSWORD})
    assert "Ce compte est désactivé" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_then_logout(client: Client, gp: User) -> None:
    response = client.post(reverse("login"), {"username": gp.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home_gp")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home_gp")).status_code == 302


def test_english_is_available(client: Client, gp: User) -> None:
    client.force_login(gp)
    client.post(reverse("set_language"), {"language": "en", "next": "/medecin/"})
    response = client.get(reverse("home_gp"))
    assert '<html lang="en">' in response.content.decode()
    assert "My referrals" in response.content.decode()
