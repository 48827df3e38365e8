"""WeasyPrint's side of reports/pdf.py, imported by `render_pdf` when a document is rendered
and never at boot: WeasyPrint and what it loads (fontTools, Pillow, pydyf, tinycss2, the Pango
bindings) add about 25 MB to a gunicorn worker, which the pages never need
(docs/performance.md, « Memory »; tests/ops/test_boot_imports.py keeps it so)."""

from __future__ import annotations

import gc
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from reports.pdf import STYLESHEET

# The only files a document may load: the project's own static files (print stylesheet, logo).
ALLOWED_ROOTS = (STYLESHEET.parent.parent.resolve(), (Path(settings.BASE_DIR) / "static").resolve())


class FetchRefused(ValueError):
    """A document asked for a resource outside the app's own static files."""


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's fetcher for every resource a document names: the app's own static files,
    never the network nor another file of the server (an address typed by a user that reached
    the HTML would otherwise be fetched by the server)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or not any(path.is_relative_to(root) for root in ALLOWED_ROOTS):
            raise FetchRefused(f"document resource refused: {url[:200]}")
        return super().fetch(url, headers)


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # Parsing the stylesheet is pure and costs as much as a small page: do it once per process.
    return CSS(filename=str(STYLESHEET), url_fetcher=StaticFilesFetcher())


def write_pdf(html: str) -> bytes:
    """The PDF of a document's HTML, with the print stylesheet.

    A document's boxes, its layout and its Pango objects hang together in reference cycles (about
    17,000 objects for the indication report) that only the cyclic collector frees. Left to it,
    they outlived the request: the collector's passes during the layout moved them to the oldest
    generation, which a process with Django loaded collects rarely, so a worker's memory rose
    with each of the next few documents (ten reports in a row: +27 MB, against +11 MB when each
    is collected). Here the collector waits during the layout, then collects the young
    generation alone, which holds the whole document by then: 6–8 ms, where a full collection
    takes 60–100 ms in a worker, and the layout is no slower for not being interrupted."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _write_pdf(html)
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def _write_pdf(html: str) -> bytes:
    # The document is garbage once this returns: write_pdf collects it.
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=StaticFilesFetcher())
    return bytes(document.write_pdf(stylesheets=[_stylesheet()]))
