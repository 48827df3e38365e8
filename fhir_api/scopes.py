"""django-oauth-toolkit's scopes backend: an application is granted only the scopes its ApiClient
lists (fhir/models.py), never every scope the server knows."""

from __future__ import annotations

from typing import Any

from oauth2_provider.scopes import BaseScopes

from fhir_api.models import SCOPES, ApiClient


class ClientScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return dict(SCOPES)

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if application is None:
            return list(SCOPES)
        client = ApiClient.objects.filter(application=application).first()
        return client.scope_list if client is not None else []

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        # A token asked for without a scope gets every scope of its client.
        return self.get_available_scopes(application, request)
