"""Fictional demo data (seed_demo). Idempotent: running it twice adds nothing."""

from __future__ import annotations

from clinic.models import User


def seed_scheduling(users: dict[str, User]) -> None:
    """Nothing yet."""
