from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.demo import DEMO_PASSWORD, DEMO_USERS, seed_users


class Command(BaseCommand):
    help = (
        "Create the demo accounts and fictional demo data (idempotent; refused when DEBUG is off)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password: run it with DEBUG=true."
            )
        with transaction.atomic():
            users = seed_users()
            for seeder in self.seeders():
                seeder(users)
        if not options["quiet_logins"]:
            self.stdout.write(
                self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})")
            )
            for spec in DEMO_USERS:
                self.stdout.write(f"  {spec['username']:<12} {spec['role']}")

    def seeders(self) -> list[Any]:
        """Each app's demo data, in the order data flows (referrals → decisions → bookings)."""
        from procedures.demo import seed_history
        from referrals.demo import seed_referrals
        from referrals.demo_decisions import seed_decisions
        from scheduling.demo import seed_scheduling

        return [seed_referrals, seed_decisions, seed_scheduling, seed_history]
