"""Error pages rendered in the product's layout (Django's defaults are bare English pages)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import Resolver404, resolve

logger = logging.getLogger("django.request")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the database or a context processor may be what failed.
    return HttpResponse(get_template("500.html").render(), status=500)


class ProductErrorPagesMiddleware:
    """With DEBUG on (the demo, `make run`), Django answers a missing page with its technical page
    listing every URL, and an error with its traceback page (whose inline styles the CSP blocks).
    PRODUCT_ERROR_PAGES (on by default) has the product's own 404 and 500 pages answer instead,
    as in production; a developer who wants Django's pages turns it off. With DEBUG off it does
    nothing: Django already uses the handlers of config/urls.py."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def active() -> bool:
        return bool(settings.DEBUG and settings.PRODUCT_ERROR_PAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An address no URL matches fails before any view runs, where process_exception cannot
        # see it: look it up first (CommonMiddleware still redirects /x to /x/ on a 404).
        if self.active() and not _resolves(request):
            return page_not_found(request, Http404())
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self.active():
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation):
            return None  # Django answers these with the product's pages even under DEBUG
        # As Django logs it (the console under `make run`, the mail to ADMINS if set up).
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500, "request": request},
        )
        return server_error(request)


def _resolves(request: HttpRequest) -> bool:
    try:
        resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return True
