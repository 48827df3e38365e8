"""manage.py export_outcomes [--output FILE]: the outcomes of every procedure, as CSV for the
clinic's registry, under pseudonymous ids (followups/export.py). Needs OUTCOMES_PSEUDONYM_KEY."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from followups.export import write_outcomes


class Command(BaseCommand):
    help = "Export procedure outcomes as CSV with pseudonymous ids (HMAC, OUTCOMES_PSEUDONYM_KEY)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        key = settings.OUTCOMES_PSEUDONYM_KEY
        if len(key) < 32:
            raise CommandError(
                "OUTCOMES_PSEUDONYM_KEY is not set (or shorter than 32 characters): set it to a "
                "long random secret, the same for every export, so that the registry can link "
                "a patient's rows."
            )
        if options["output"]:
            with open(options["output"], "w", newline="", encoding="utf-8") as out:
                count = write_outcomes(out, key=key.encode())
        else:
            count = write_outcomes(sys.stdout, key=key.encode())
        self.stderr.write(f"{count} procedures exported.")
