"""Checklist row 19 (hardening): WeasyPrint loads nothing but the app's own static files, so an
address that reached a document (a typed text, a future template) is never fetched by the server."""

from __future__ import annotations

import pytest
from weasyprint import HTML

from reports.pdf import STYLESHEET
from reports.rendering import FetchRefused, StaticFilesFetcher


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/secret",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "file:///proc/self/environ",
        "ftp://127.0.0.1/x",
        "data:text/plain,x",
    ],
)
def test_a_document_fetches_nothing_outside_the_apps_static_files(url: str) -> None:
    with pytest.raises(FetchRefused):
        StaticFilesFetcher().fetch(url)


def test_the_print_stylesheet_itself_is_allowed() -> None:
    response = StaticFilesFetcher().fetch(STYLESHEET.as_uri())
    assert b"@page" in response.read()
    response.close()


def test_an_image_pointing_at_the_server_is_left_out_of_the_pdf() -> None:
    html = '<p>Texte</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x">'

    pdf = HTML(string=html, url_fetcher=StaticFilesFetcher()).write_pdf()

    assert pdf.startswith(b"%PDF") and b"root:" not in pdf
