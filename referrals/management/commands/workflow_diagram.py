"""Print the referral workflow as a Mermaid diagram, for docs/workflow.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from referrals.workflow import mermaid


class Command(BaseCommand):
    help = "Print the referral workflow (referrals/workflow.py) as a Mermaid state diagram."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(mermaid(), ending="")
