"""HTML to PDF (WeasyPrint). A view checks access, then streams what `render_pdf` returns.

Every document extends templates/reports/base_document.html and shares reports/static/reports/
print.css (A4, header with the clinic's identity, footer with ruleset version, generation time and
page numbers). Rendering reads data and never writes any. WeasyPrint itself is in
reports/rendering.py, which the first document a process renders imports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

V = TypeVar("V", bound=Callable[..., HttpResponse])
STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "print.css"


def document_context(*, generated_at: datetime | None = None) -> dict[str, Any]:
    """What every document's header and footer show."""
    from eligibility.engine import RULESET_VERSION

    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "address": settings.CLINIC_ADDRESS,
            "phone": settings.CLINIC_PHONE,
            "email": settings.CLINIC_EMAIL,
            "finess": settings.CLINIC_FINESS,
        },
        "ruleset_version": RULESET_VERSION,
        "generated_at": timezone.localtime(generated_at or timezone.now()),
    }


def in_french(view: V) -> V:
    """Build and render a document in French, whatever the reader's interface language: the
    context (labels, finding messages) is computed in the view, so the whole view runs in French."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override("fr"):
            return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def render_html(template_name: str, context: dict[str, Any]) -> str:
    # Clinical documents are French whatever the reader's interface language.
    with translation.override("fr"):
        return render_to_string(template_name, {**document_context(), **context})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF bytes of `template_name` rendered with `context` (autoescaped like any page)."""
    # WeasyPrint is imported by the first document a process renders, not at boot.
    from reports.rendering import write_pdf

    return write_pdf(render_html(template_name, context))


def pdf_response(content: bytes, *, filename: str, inline: bool = False) -> HttpResponse:
    """A patient document: never cached, downloaded under a name that carries no identity."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{slugify(filename) or "document"}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
