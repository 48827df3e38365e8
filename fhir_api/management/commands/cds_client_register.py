"""`manage.py cds_client_register --client-id ID --issuer ISS (--jwks-file F | --jwks-url URL)
[--fhir-server URL]`: trust a CDS client's signed JWTs (CDS Hooks 2.0) for an API client;
`--remove --issuer ISS` stops trusting it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.errors import DomainError
from fhir_api.clients import cds_client_register, cds_client_remove


class Command(BaseCommand):
    help = "Trust (or, with --remove, stop trusting) a CDS Hooks client's signed JWTs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--issuer", required=True, help="the JWT's iss")
        parser.add_argument("--client-id", help="the API client (api_client_create) it acts as")
        parser.add_argument("--jwks-file", type=Path, help="a JSON file: its public JWK Set")
        parser.add_argument("--jwks-url", default="", help="or the https URL publishing it")
        parser.add_argument(
            "--fhir-server", default="", help="the only FHIR server the service may call back"
        )
        parser.add_argument("--remove", action="store_true", help="stop trusting this issuer")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["remove"]:
                cds_client_remove(issuer=options["issuer"])
                self.stdout.write(f"removed {options['issuer']}")
                return
            if not options["client_id"]:
                raise CommandError("--client-id is required to register an issuer.")
            jwks = None
            if options["jwks_file"]:
                try:
                    jwks = json.loads(options["jwks_file"].read_text())
                except (OSError, ValueError) as error:
                    raise CommandError(f"Cannot read the JWK Set: {error}") from None
            client = cds_client_register(
                client_id=options["client_id"],
                issuer=options["issuer"],
                jwks=jwks,
                jwks_url=options["jwks_url"],
                fhir_server=options["fhir_server"],
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"trusted {client.issuer} for {options['client_id']}")
