from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from clinic.models import Role

# Libraries that ship no French: the names the administrator reads on the admin's index and
# sidebar (the product's own apps and models are named in French in their code).
APP_NAMES = {
    "oauth2_provider": _("Clients de l’API (OAuth 2)"),
    "django_tasks_database": _("File de tâches"),
}
MODEL_NAMES = {
    ("oauth2_provider", "Application"): _("Applications clientes"),
    ("oauth2_provider", "AccessToken"): _("Jetons d’accès"),
    ("django_tasks_database", "DBTaskResult"): _("Tâches exécutées"),
}


class CimentoAdminSite(admin.AdminSite):
    """The Django admin, for the clinic's administrators only (not for every `is_staff`)."""

    site_header = "Cimento — administration"
    site_title = "Cimento"

    def get_app_list(
        self, request: HttpRequest, app_label: str | None = None
    ) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                key = (app["app_label"], model["object_name"])
                model["name"] = MODEL_NAMES.get(key, model["name"])
        return apps

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "role", None) == Role.ADMIN and user.is_staff)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # One login page for the whole product; a logged-in non-administrator is refused plainly.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", self.index_url()), login_url="login")

    def index_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)
