"""The API's rate limit, per client application: the web app's fixed-window counters
(clinic.ratelimit, in the database, shared by every app server). Over the limit a call is
answered 429 with an OperationOutcome and Retry-After, before any of its work is done."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import Application

from clinic.ratelimit import hit


def over_limit(application: Application) -> HttpResponse | None:
    """None while `application` is within API_RATE_LIMIT calls per API_RATE_WINDOW seconds."""
    window = settings.API_RATE_WINDOW
    if hit(f"api:{application.pk}", limit=settings.API_RATE_LIMIT, window_seconds=window):
        return None
    from fhir_api.http import refusal

    retry = window - int(timezone.now().timestamp()) % window
    response = refusal(
        _("Trop de requêtes : %(limit)d par %(window)d secondes. Réessayez dans %(retry)d s.")
        % {"limit": settings.API_RATE_LIMIT, "window": window, "retry": retry},
        status=429,
        code="throttled",
    )
    response["Retry-After"] = str(retry)
    return response
