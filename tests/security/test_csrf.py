"""Checklist row 14: every URL that takes a POST from someone allowed to use it refuses one without
the CSRF token (403), and the post changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from clinic.models import User
from tests.security.test_role_matrix import MATRIX, _changes, _path
from tests.security.world import World

# Routes whose POST does something, and who may do it.
POSTED = {
    name: persona
    for name, row in MATRIX.items()
    for persona, code in (row.post or row.get).items()
    if code in (200, 302) and name not in ("healthz", "eligibility:rules", "home")
    and not name.startswith(("home_", "password_reset_done", "password_reset_complete"))
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(POSTED))
def test_a_post_without_the_csrf_token_is_refused(
    name: str, world: World, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(POSTED[name])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = _changes()

    response = client.post(_path(name, world), {"reason": "x", "session": world.session.pk})

    assert response.status_code == 403, name
    assert _changes() == before
