"""manage.py evaluate_referral FILE|-: facts (JSON, see docs/clinical-rules.md) in, decision out.

Invalid input exits with status 2 and names every faulty field on standard error; nothing is
printed on standard output then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from eligibility.adapter import engine_settings
from eligibility.engine import FactsError, decision_to_dict, evaluate, facts_from_dict

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Evaluate referral facts (JSON file, or - for standard input) and print the decision."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to a JSON facts file, or - for standard input")
        parser.add_argument("--lang", choices=["fr", "en"], default="fr", help="message language")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._fail({"<input>": [f"cannot read {source}: {error}"]})
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self._fail({"<input>": [f"not valid JSON: {error.msg} (line {error.lineno})"]})
        try:
            facts = facts_from_dict(data, today=timezone.localdate())
        except FactsError as error:
            self._fail(error.errors)
        decision = evaluate(facts, engine_settings())
        output = decision_to_dict(decision, lang=options["lang"])
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def _fail(self, errors: dict[str, list[str]]) -> None:
        for path, messages in errors.items():
            for message in messages:
                self.stderr.write(f"{path}: {message}")
        sys.exit(INVALID_INPUT)
