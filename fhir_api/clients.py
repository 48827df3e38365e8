"""Creating and revoking API clients (the manage.py commands call these)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.crypto import get_random_string
from oauth2_provider.models import AccessToken, Application

from clinic.errors import DomainError
from clinic.models import Role, User
from fhir_api.models import SCOPES, ApiClient


@dataclass(frozen=True)
class NewClient:
    client_id: str
    client_secret: str  # shown once: the database keeps only its hash


@transaction.atomic
def api_client_create(*, gp: User, name: str, scopes: list[str]) -> NewClient:
    """A confidential client-credentials application acting for `gp`, limited to `scopes`."""
    if gp.role != Role.GP or not gp.is_active:
        raise DomainError(f"{gp.username} is not an active GP: a client acts for one GP.")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise DomainError(f"Unknown or missing scopes {unknown}; choose among {sorted(SCOPES)}.")
    secret = get_random_string(48)
    application = Application.objects.create(
        name=name,
        user=gp,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    ApiClient.objects.create(application=application, scopes=" ".join(sorted(set(scopes))))
    return NewClient(client_id=application.client_id, client_secret=secret)


@transaction.atomic
def api_client_revoke(*, client_id: str) -> int:
    """Delete the application and every token it holds; returns the tokens revoked."""
    application = Application.objects.filter(client_id=client_id).first()
    if application is None:
        raise DomainError(f"No API client {client_id}.")
    tokens, _ = AccessToken.objects.filter(application=application).delete()
    application.delete()
    return tokens
