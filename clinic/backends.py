from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import AllowAllUsersModelBackend


class ClinicModelBackend(AllowAllUsersModelBackend):
    """Authenticate inactive accounts (so the login form can say "deactivated") but never let an
    inactive account keep or use a session: deactivation ends every session at its next request."""

    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        if user is not None and not user.is_active:
            return None
        return user
