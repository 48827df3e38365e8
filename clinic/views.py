from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from clinic.models import Role
from clinic.roles import role_required

HOME_BY_ROLE = {
    Role.GP: "home_gp",
    Role.RADIOLOGIST: "home_radiologist",
    Role.SECRETARY: "home_secretary",
    Role.ADMIN: "home_admin",
}


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the home page of their role; a user with no role gets told why."""
    role: str = getattr(request.user, "role", "")
    target = HOME_BY_ROLE.get(role)  # type: ignore[call-overload]
    if target is None:
        return render(request, "clinic/no_role.html", status=403)
    return redirect(target)


@role_required(Role.ADMIN)
def home_admin(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home_admin.html")


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    # Not permanent: the static file's hashed name changes with each release.
    return redirect(static("favicon.svg"))


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Load-balancer probe: answers without a session and without touching patient data."""
    return HttpResponse("ok", content_type="text/plain")
