"""HTML to PDF (WeasyPrint). A view checks access, then streams what `render_pdf` returns.

Every document extends templates/reports/base_document.html and shares reports/static/reports/
print.css (A4, header with the clinic's identity, footer with ruleset version, generation time and
page numbers). Rendering reads data and never writes any.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "print.css"


@lru_cache(maxsize=1)
def _stylesheet() -> Any:
    # Parsing the stylesheet is pure and costs as much as a small page: do it once per process.
    from weasyprint import CSS

    return CSS(filename=str(STYLESHEET))


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


def render_html(template_name: str, context: dict[str, Any]) -> str:
    return render_to_string(template_name, {**document_context(), **context})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF bytes of `template_name` rendered with `context` (autoescaped like any page)."""
    from weasyprint import HTML

    html = render_html(template_name, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return bytes(document.write_pdf(stylesheets=[_stylesheet()]))


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
