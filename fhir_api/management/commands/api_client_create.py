"""`manage.py api_client_create --gp USERNAME --name "Logiciel du cabinet" [--scope …]`: a client
of the FHIR API acting for one GP. Prints the client id and secret (the secret only now)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.errors import DomainError
from clinic.models import User
from fhir_api.clients import api_client_create
from fhir_api.models import SCOPES


class Command(BaseCommand):
    help = "Create a FHIR API client (OAuth 2 client credentials) acting for one GP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gp", required=True, help="username of the GP the client acts for")
        parser.add_argument("--name", required=True, help="the practice software's name")
        parser.add_argument(
            "--scope",
            action="append",
            choices=sorted(SCOPES),
            help="a scope to grant (repeat); every scope when none is given",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        gp = User.objects.filter(username=options["gp"]).first()
        if gp is None:
            raise CommandError(f"No user {options['gp']}.")
        try:
            client = api_client_create(
                gp=gp, name=options["name"], scopes=options["scope"] or sorted(SCOPES)
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"client_id={client.client_id}")
        self.stdout.write(f"client_secret={client.client_secret}")
        self.stderr.write("Keep the secret now: it is stored hashed and cannot be shown again.")
