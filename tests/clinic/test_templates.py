"""Templates: what their syntax lets slip onto a page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_no_template_comment_spans_lines() -> None:
    # `{# … #}` ends on its own line: a comment carried over to the next line is printed on the
    # page as text (it happened on the worklist). Longer notes use {% comment %}.
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert not unclosed, unclosed


def test_nbsp_keeps_words_together_and_adds_no_markup() -> None:
    from django.template import engines

    page = engines["django"].from_string(
        "{% load clinic_tags %}{{ a|nbsp }}|{{ b|nbsp:'last' }}|{{ c|nbsp:'last' }}"
    )
    text = page.render({"a": "né(e) le 03/02/1950", "b": "<b>avant le</b> 05/06", "c": "seul"})

    assert text == "né(e)\u00a0le\u00a003/02/1950|&lt;b&gt;avant le&lt;/b&gt;\u00a005/06|seul"


def test_every_page_layout_links_the_favicon_and_the_default_path_finds_it(
    client: object, db: None
) -> None:
    for layout in ("base.html", "followups/public_base.html"):
        assert 'rel="icon" href="{% static \'favicon.svg\' %}"' in (TEMPLATES / layout).read_text()
    response = client.get("/favicon.ico")  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text().startswith("<svg")
