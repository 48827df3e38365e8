"""Who calls the API: an OAuth 2 bearer token (client credentials, django-oauth-toolkit) of an
application that acts for one GP. The session cookie counts for nothing here, so no page's CSRF
protection is needed and a logged-in browser cannot call the API by accident.

`fhir_endpoint(scope)` checks the token and its scope, then runs the view with `request.user` set
to the application's GP: the object access (referrals.access) and the access log work exactly as
for the GP's own pages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_backends import get_oauthlib_core

from clinic.models import Role, User
from fhir_api.http import FhirRefused, outcome_response, refusal
from fhir_api.throttle import over_limit

View = Callable[..., HttpResponse]


def client_user(request: HttpRequest, scope: str) -> User | HttpResponse:
    """The GP the request's token acts for, or the OperationOutcome that refuses it."""
    if not request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
        return unauthorised(_("Jeton d’accès manquant : obtenez-en un sur /o/token/."))
    valid, oauth = _verify_bearer(request)
    if not valid or oauth.access_token is None:
        return unauthorised(_("Jeton d’accès invalide, expiré ou révoqué : demandez-en un autre."))
    if not oauth.access_token.allow_scopes([scope]):
        return refusal(
            _("Ce client n’a pas la portée %(scope)s.") % {"scope": scope},
            status=403,
            code="forbidden",
        )
    gp: User | None = oauth.access_token.application.user
    if gp is None or not gp.is_active or gp.role != Role.GP:
        return unauthorised(_("Ce client n’agit plus pour un médecin actif."))
    throttled = over_limit(oauth.access_token.application)
    if throttled is not None:
        return throttled
    # The calling application, for what is recorded per client (CDS Hooks feedback).
    request.oauth_application = oauth.access_token.application  # type: ignore[attr-defined]
    return gp


def _verify_bearer(request: HttpRequest) -> tuple[bool, Any]:
    """The token check on the Authorization header alone. django-oauth-toolkit's own
    `verify_request` hands oauthlib the form body too, through `request.POST`: a multipart body
    without its boundary (or any unreadable form) raised before any of our code could answer,
    and RFC 9700 has a token travel in the header only anyway."""
    server = get_oauthlib_core().server
    return server.verify_request(  # type: ignore[no-any-return]
        request.build_absolute_uri(request.path),
        request.method,
        body=None,
        headers={"Authorization": request.META["HTTP_AUTHORIZATION"]},
        scopes=[],
    )


def unauthorised(message: str) -> HttpResponse:
    response = refusal(message, status=401, code="login")
    response["WWW-Authenticate"] = 'Bearer realm="cimento-fhir"'
    return response


def fhir_endpoint(scope: str, *, methods: tuple[str, ...] = ("GET",)) -> Callable[[View], View]:
    """The view answers only `methods` and a token with `scope`; it runs as the token's GP. A
    FhirRefused it raises becomes its OperationOutcome."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = refusal(
                    _("Méthode %(method)s non prise en charge ici.") % {"method": request.method},
                    status=405,
                    code="not-supported",
                )
                response["Allow"] = ", ".join(methods)
                return response
            found = client_user(request, scope)
            if isinstance(found, HttpResponse):
                return found
            request.user = found
            try:
                return view(request, *args, **kwargs)
            except FhirRefused as refused:
                return outcome_response(refused.issues, status=refused.status)
            except Http404:
                # Another GP's object, or none: the same answer (referrals.access).
                return refusal(_("Ressource introuvable."), status=404, code="not-found")
            except PermissionDenied:
                return refusal(_("Action non autorisée."), status=403, code="forbidden")

        return csrf_exempt(login_not_required(wrapper))

    return decorator


def public_endpoint(view: View) -> View:
    """Discovery documents (metadata, smart-configuration): no token, no patient data."""
    return csrf_exempt(login_not_required(view))
