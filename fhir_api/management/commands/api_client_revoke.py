"""`manage.py api_client_revoke CLIENT_ID`: the client and its tokens stop working at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.errors import DomainError
from fhir_api.clients import api_client_revoke


class Command(BaseCommand):
    help = "Revoke a FHIR API client and every token it holds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client_id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tokens = api_client_revoke(client_id=options["client_id"])
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Revoked {options['client_id']} ({tokens} token(s)).")
