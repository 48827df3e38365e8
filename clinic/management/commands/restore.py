"""manage.py restore ARCHIVE --target-database URL: put a backup back, into the database named
(never DATABASE_URL by default) and the storages of these settings; then re-apply the application
role's grants (docs/postgres-app-role.sql). See clinic/backups.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an explicit target database, with its files and the app's grants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--target-database",
            help="URL of the database to restore into (required; an empty database)",
        )
        grants = parser.add_mutually_exclusive_group()
        grants.add_argument(
            "--app-role",
            default=os.environ.get("DATABASE_APP_ROLE", "cimento_app"),
            help="PostgreSQL role the app servers connect as (default: $DATABASE_APP_ROLE or "
            "cimento_app); it gets the grants of docs/postgres-app-role.sql",
        )
        grants.add_argument(
            "--no-grants",
            action="store_true",
            help="grant nothing (the app connects as the role that restores)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a target database that already holds Cimento's tables",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"restore: cannot read {archive}")
        try:
            done = restore(
                archive,
                target_url=options["target_database"],
                app_role=None if options["no_grants"] else options["app_role"],
                replace=options["replace"],
            )
        except BackupError as error:
            raise CommandError(f"restore: {error}") from error
        grants = f", grants applied to {done.grants_applied_to}" if done.grants_applied_to else ""
        self.stdout.write(
            f"restore: {archive} restored ({done.files_written} file(s) written, "
            f"{done.files_already_there} already there{grants})"
        )
        if done.missing_files:
            raise CommandError(
                f"restore: {len(done.missing_files)} file(s) named by the database are not in "
                f"storage: {', '.join(done.missing_files[:10])}"
            )
