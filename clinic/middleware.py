from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from clinic.stack import call_in_own_chunk

SESSION_STARTED_KEY = "cimento_session_started"


class SessionAbsoluteTimeoutMiddleware:
    """End a session 12 hours after login whatever the activity (idle timeout is the cookie age)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages of a logged-in user hold health data: browsers and proxies must not keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is over REQUEST_MAX_BYTES from its Content-Length,
    before anything reads (and stores) the body (security row 32). First in the chain."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            from django.template.defaultfilters import filesizeformat
            from django.template.loader import render_to_string

            limit = filesizeformat(settings.REQUEST_MAX_BYTES)
            if request.path.startswith("/fhir/"):  # a FHIR client reads an OperationOutcome
                from fhir_api.http import refusal

                response = refusal(
                    _("Requête trop volumineuse : %(limit)s au plus.") % {"limit": limit},
                    status=413,
                    code="too-costly",
                )
            else:
                response = HttpResponse(render_to_string("413.html", {"limit": limit}), status=413)
            response["Connection"] = "close"  # the unread body is not for a next request
            return response
        return self.get_response(request)


class NulCharacterMiddleware:
    """Refuse (400) a URL whose parameters hold a NUL character: no page reads one, PostgreSQL
    cannot compare a text with one (a query such as the admin's `?role__exact=%00` was a server
    error), and forms already refuse it in what is posted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            raise SuspiciousOperation("NUL character in the query string")
        return self.get_response(request)


class OwnStackChunkMiddleware:
    """Each request from the start of a frame-stack chunk of its own, so that no page's loop
    maps and unmaps the interpreter's memory at every call (clinic.stack). First in the list:
    every other middleware runs inside the room."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = call_in_own_chunk(self.get_response, request)
        return response
