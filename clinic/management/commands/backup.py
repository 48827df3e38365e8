"""manage.py backup [--output FILE]: the database and every stored file in one archive (0600).

See clinic/backups.py for what the archive holds; `manage.py restore` puts it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clinic.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the stored files (attachments) into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: backups/cimento-<UTC date and time>.tar)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        output: Path = options["output"] or Path("backups") / f"cimento-{stamp}.tar"
        try:
            manifest = backup(output)
        except BackupError as error:
            raise CommandError(f"backup: {error}") from error
        files = manifest["files"]
        size = sum(entry["size"] for entry in files)
        self.stdout.write(
            f"backup: wrote {output} ({manifest['database']['engine']} database, "
            f"{len(files)} file(s), {size} bytes of files)"
        )
