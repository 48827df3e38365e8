"""Creating and revoking API clients, trusting CDS clients (the manage.py commands call these)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.crypto import get_random_string
from oauth2_provider.models import AccessToken, Application

from clinic.errors import DomainError
from clinic.models import Role, User
from fhir_api.models import SCOPES, ApiClient, CdsClient


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


@transaction.atomic
def cds_client_register(
    *,
    client_id: str,
    issuer: str,
    jwks: dict[str, Any] | None = None,
    jwks_url: str = "",
    fhir_server: str = "",
) -> CdsClient:
    """Trust the CDS client whose JWTs `issuer` signs, for the API client `client_id` (its GP,
    its scopes); registering an issuer again replaces its keys and FHIR server."""
    from fhir_api.cds_auth import parse_jwks
    from fhir_api.outbound import allowed_url

    application = Application.objects.filter(client_id=client_id, api_client__isnull=False).first()
    if application is None:
        raise DomainError(f"No API client {client_id}: create it with api_client_create first.")
    if not issuer.strip():
        raise DomainError("The issuer (the JWT's iss) is required.")
    if bool(jwks) == bool(jwks_url):
        raise DomainError("Give the client's public keys: a JWK Set or its URL (one of them).")
    if jwks:
        try:
            parse_jwks(jwks)
        except ValueError as error:
            raise DomainError(f"JWK Set refused: {error}.") from None
    for name, url in (("JWK Set URL", jwks_url), ("FHIR server", fhir_server)):
        if url and not allowed_url(url):
            raise DomainError(f"The {name} must be an https URL: {url}")
    taken = CdsClient.objects.filter(issuer=issuer).exclude(application=application).exists()
    if taken:
        raise DomainError(f"The issuer {issuer} is registered for another API client.")
    client, _ = CdsClient.objects.update_or_create(
        issuer=issuer,
        defaults={
            "application": application,
            "jwks": jwks or {},
            "jwks_url": jwks_url,
            "fhir_server": fhir_server.rstrip("/"),
        },
    )
    return client


@transaction.atomic
def cds_client_remove(*, issuer: str) -> None:
    deleted, _ = CdsClient.objects.filter(issuer=issuer).delete()
    if not deleted:
        raise DomainError(f"No CDS client with the issuer {issuer}.")
