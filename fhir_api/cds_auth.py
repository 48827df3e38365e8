"""CDS Hooks 2.0 authentication: the CDS client signs a JWT for every call
(`Authorization: Bearer <JWT>`), and the service checks it against what was registered for that
client (fhir_api.models.CdsClient, `manage.py cds_client_register`):

- `iss` is a registered issuer, and `sub` the client_id of its API application;
- the signature, by the key of the header's `kid`, in the issuer's JWK Set (given at registration
  or fetched from its registered URL; a header `jku` must be that URL); asymmetric algorithms only;
- `aud` is the endpoint called; `exp` not passed and at most 5 minutes ahead; `iat` not in the
  future; `jti` never seen before (kept in the shared cache until the token expires).

The signature is checked by jwcrypto (django-oauth-toolkit's own JOSE library)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _
from jwcrypto import jwk, jwt
from jwcrypto.common import JWException

from fhir_api.models import CdsClient
from fhir_api.outbound import OutboundError, get_json

# CDS Hooks 2.0: a service SHALL support ES384 and RS384; no symmetric key, never "none".
ALGORITHMS = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
MAX_LIFETIME = 5 * 60
LEEWAY = 30
JWKS_CACHE_SECONDS = 3600


class CdsAuthError(Exception):
    """Why a CDS client's JWT is refused (French, told to the caller)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


def _segment(value: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))


def parse_jwks(value: Any) -> jwk.JWKSet:
    """A JWK Set of public keys, each with its `kid`; ValueError says what is wrong."""
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list) or not value["keys"]:
        raise ValueError("a JWK Set is an object with a non-empty 'keys' list")
    keys = jwk.JWKSet()
    for item in value["keys"]:
        try:
            key = jwk.JWK(**item)
        except (JWException, TypeError, ValueError) as error:
            raise ValueError(f"unreadable key: {error}") from None
        if not item.get("kid"):
            raise ValueError("every key needs its 'kid'")
        if key.has_private or item.get("kty") == "oct":
            raise ValueError("public keys only (no private or symmetric key)")
        keys.add(key)
    return keys


def _keys(client: CdsClient, *, fresh: bool = False) -> jwk.JWKSet:
    if client.jwks:
        return parse_jwks(client.jwks)
    key = f"cds-jwks:{client.pk}"
    published = None if fresh else cache.get(key)
    if published is None:
        try:
            published = get_json(client.jwks_url)
        except OutboundError:
            raise CdsAuthError(_("Clés publiques du client CDS injoignables.")) from None
        cache.set(key, published, JWKS_CACHE_SECONDS)
    try:
        return parse_jwks(published)
    except ValueError:
        raise CdsAuthError(_("Clés publiques du client CDS illisibles.")) from None


def _key(client: CdsClient, kid: str) -> jwk.JWK:
    found = _keys(client).get_key(kid)
    if found is None and client.jwks_url and not client.jwks:
        found = _keys(client, fresh=True).get_key(kid)  # the client may have rotated its keys
    if found is None:
        raise CdsAuthError(_("Clé de signature inconnue (kid)."))
    return found


def verify_cds_jwt(raw: str, *, audience: str, now: datetime) -> CdsClient:
    """The registered client whose JWT `raw` is, or CdsAuthError."""
    try:
        header_part, claims_part, _signature = raw.split(".")
        header, unverified = _segment(header_part), _segment(claims_part)
    except (ValueError, UnicodeDecodeError):
        raise CdsAuthError(_("Jeton JWT illisible.")) from None
    if not isinstance(header, dict) or not isinstance(unverified, dict):
        raise CdsAuthError(_("Jeton JWT illisible."))
    issuer = unverified.get("iss")
    client = (
        CdsClient.objects.select_related("application__user").filter(issuer=issuer).first()
        if isinstance(issuer, str)
        else None
    )
    if client is None:
        raise CdsAuthError(_("Émetteur (iss) inconnu : faites enregistrer votre client CDS."))
    if header.get("alg") not in ALGORITHMS:
        raise CdsAuthError(_("Algorithme de signature refusé."))
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise CdsAuthError(_("L’en-tête du jeton doit nommer sa clé (kid)."))
    if "jku" in header and header["jku"] != client.jwks_url:
        raise CdsAuthError(_("Adresse des clés (jku) non enregistrée pour ce client."))
    try:
        token = jwt.JWT(jwt=raw, key=_key(client, kid), algs=ALGORITHMS, check_claims=False)
        claims = json.loads(token.claims)
    except (JWException, ValueError, TypeError):
        raise CdsAuthError(_("Signature du jeton invalide.")) from None
    _check_claims(claims, client=client, audience=audience, now=int(now.timestamp()))
    return client


def _check_claims(claims: Any, *, client: CdsClient, audience: str, now: int) -> None:
    if not isinstance(claims, dict) or claims.get("sub") != client.application.client_id:
        raise CdsAuthError(_("Le sujet (sub) doit être l’identifiant client enregistré."))
    aud = claims.get("aud")
    if not (aud == audience or (isinstance(aud, list) and audience in aud)):
        raise CdsAuthError(_("Destinataire (aud) : l’adresse du service appelé est attendue."))
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int) or not isinstance(iat, int) or bool in (type(exp), type(iat)):
        raise CdsAuthError(_("Le jeton doit porter exp et iat (secondes depuis 1970)."))
    if exp + LEEWAY < now:
        raise CdsAuthError(_("Jeton expiré."))
    if exp > now + MAX_LIFETIME + LEEWAY or iat > now + LEEWAY:
        raise CdsAuthError(_("Jeton trop long : exp à 5 minutes au plus, iat pas dans le futur."))
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > 255:
        raise CdsAuthError(_("Le jeton doit porter un identifiant unique (jti)."))
    seen = f"cds-jti:{client.pk}:{hashlib.sha256(jti.encode()).hexdigest()}"
    if not cache.add(seen, 1, timeout=exp - now + 2 * LEEWAY):
        raise CdsAuthError(_("Jeton déjà utilisé (jti) : signez-en un pour chaque appel."))
