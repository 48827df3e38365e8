"""manage.py purge_orphan_files: delete stored attachment files that no attachment row points at.

An upload is written to storage before its row is committed (a committed row never points at a
missing file). When the transaction then fails (the engine, the database), the row is rolled back
and the file stays, unreachable: no URL serves storage and the download view reads rows only. Run
this daily (cron or a systemd timer) so that such a patient document does not linger. Files younger
than --min-age-minutes are left alone: their transaction may still be running."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from referrals.models import Attachment

ROOT = "attachments"


def stored_files(storage: Storage, folder: str = ROOT) -> Iterator[str]:
    # Not storage.exists(folder): a bucket has no folders, only keys (no key is "attachments").
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no upload yet on the local disk
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from stored_files(storage, f"{folder}/{sub}")


class Command(BaseCommand):
    help = "Delete stored attachment files that no attachment points at (left by failed writes)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--min-age-minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true", help="List, do not delete.")

    def handle(self, *args: Any, **options: Any) -> None:
        storage = default_storage
        cutoff = timezone.now() - timedelta(minutes=options["min_age_minutes"])
        referenced = set(Attachment.objects.values_list("file", flat=True))
        orphans = [
            name
            for name in stored_files(storage)
            if name not in referenced and storage.get_modified_time(name) <= cutoff
        ]
        for name in orphans:
            if not options["dry_run"]:
                storage.delete(name)
        verb = "would delete" if options["dry_run"] else "deleted"
        self.stdout.write(f"{len(orphans)} orphan file(s) {verb}.")
