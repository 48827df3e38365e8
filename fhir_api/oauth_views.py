"""The OAuth 2 token endpoints of django-oauth-toolkit (client credentials: docs/api.md), whose
views are imported by their first request rather than by the urls: they import the toolkit's
validator, which imports requests (4 MB in every gunicorn worker, most of which never issue a
token: docs/performance.md, « Memory »)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

View = Callable[..., HttpResponseBase]


@cache
def _toolkit_view(name: str) -> View:
    from oauth2_provider import views

    return getattr(views, name).as_view()  # type: ignore[no-any-return]


def _lazy(name: str) -> View:
    # The toolkit's views are csrf_exempt and login_not_required themselves (a client posts its
    # credentials, it has no session): the middleware reads those marks on this function.
    @csrf_exempt
    @login_not_required
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return _toolkit_view(name)(request, *args, **kwargs)

    return view


token = _lazy("TokenView")
revoke_token = _lazy("RevokeTokenView")
