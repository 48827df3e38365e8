"""What a worker does once before its first request, rather than during it: resolve the URLs
(which imports every view), read the message catalogues and compile the product's templates.

A gunicorn worker that has not done it answers its first page 200–250 ms slower (a secretary's
home: 266 ms cold, 43 ms warm, `make bench`'s database). Each worker pays it again after
`max_requests`, and under `make load` these first pages were the slowest of their kind. Done at
boot (config/wsgi.py), it costs 0.4 s and about 12 MB that the worker would hold after its first
pages anyway; the libraries of a few requests (WeasyPrint, the FHIR models, …) stay lazy
(tests/ops/test_boot_imports.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> int:
    """Resolve, translate and compile; the number of templates compiled."""
    get_resolver().url_patterns  # noqa: B018 (every urls module and the views it imports)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Séance")
    compiled = 0
    folders: list[str | Path] = settings.TEMPLATES[0]["DIRS"]  # type: ignore[assignment]
    for folder in folders:
        directory = Path(folder)
        for path in sorted(directory.rglob("*.html")):
            get_template(str(path.relative_to(directory)))
            compiled += 1
    return compiled
