"""Demo accounts: one per role, documented password, demo only (refused when DEBUG is off)."""

from __future__ import annotations

from clinic.models import Role, User

DEMO_PASSWORD = "cimento-demo-2026"

DEMO_USERS: list[dict[str, str]] = [
    {
        "username": "medecin",
        "role": Role.GP,
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "claire.martin@medecin.invalid",
        "rpps": "10000000001",
        "practice_address": "3 place Imaginaire, 75013 Paris",
        "phone": "01 02 03 04 05",
    },
    {
        "username": "medecin2",
        "role": Role.GP,
        "first_name": "Julien",
        "last_name": "Bernard",
        "email": "julien.bernard@medecin.invalid",
        "rpps": "10000000002",
        "practice_address": "18 avenue Fictive, 92100 Boulogne",
        "phone": "01 06 07 08 09",
    },
    {
        "username": "radiologue",
        "role": Role.RADIOLOGIST,
        "first_name": "Hélène",
        "last_name": "Lefèvre",
        "email": "helene.lefevre@clinique.invalid",
    },
    {
        "username": "secretaire",
        "role": Role.SECRETARY,
        "first_name": "Sophie",
        "last_name": "Durand",
        "email": "secretariat@clinique.invalid",
    },
    {
        "username": "admin",
        "role": Role.ADMIN,
        "first_name": "Marc",
        "last_name": "Petit",
        "email": "admin@clinique.invalid",
    },
]


def seed_users() -> dict[str, User]:
    """Create or refresh the demo accounts (idempotent: running it twice changes nothing more)."""
    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        fields = {key: value for key, value in spec.items() if key != "username"}
        is_admin = spec["role"] == Role.ADMIN
        user, _ = User.objects.update_or_create(
            username=spec["username"],
            defaults={**fields, "is_active": True, "is_staff": is_admin, "is_superuser": is_admin},
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[spec["username"]] = user
    return users
