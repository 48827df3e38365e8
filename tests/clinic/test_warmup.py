"""clinic.warmup: a worker compiles every template of the product before its first request, so
that a broken template stops the deployment rather than a user's page, and the first page of a
worker is not 200 ms slower than the next."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template import TemplateSyntaxError, engines

from clinic.warmup import warm_up


def test_every_template_is_compiled_before_the_first_request() -> None:
    directory = Path(settings.TEMPLATES[0]["DIRS"][0])  # type: ignore[index]

    assert warm_up() == len(list(directory.rglob("*.html"))) > 90
    # The cached loader keeps them: the first page finds its template compiled.
    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    assert {"base.html", "scheduling/day.html"} <= set(loader.get_template_cache)


def test_a_broken_template_stops_the_worker_before_it_serves(
    tmp_path: Path, settings: object
) -> None:
    (tmp_path / "broken.html").write_text("{% if %}", encoding="utf-8")
    template = settings.TEMPLATES[0]  # type: ignore[attr-defined]
    settings.TEMPLATES = [{**template, "DIRS": [tmp_path]}]  # type: ignore[attr-defined]

    with pytest.raises(TemplateSyntaxError):
        warm_up()
