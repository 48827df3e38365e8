"""A CDS client (an EHR) as CDS Hooks 2.0 has it call: its own key pair, generated here, its
JWK Set registered with Cimento, a signed JWT on every call."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from django.test import Client
from jwcrypto import jwk, jwt

from clinic.models import User
from fhir_api.clients import api_client_create, cds_client_register
from fhir_api.models import CdsClient

ISSUER = "https://dpi.example-clinique.fr"


def new_key(kid: str = "ehr-1", kty: str = "EC") -> jwk.JWK:
    if kty == "EC":
        return jwk.JWK.generate(kty="EC", crv="P-384", kid=kid)
    return jwk.JWK.generate(kty="RSA", size=2048, kid=kid)


def public_set(*keys: jwk.JWK) -> dict[str, Any]:
    return {"keys": [k.export_public(as_dict=True) for k in keys]}


def signed(key: jwk.JWK, claims: dict[str, Any], **header: Any) -> str:
    alg = "ES384" if key.get("kty") == "EC" else "RS384"
    token = jwt.JWT(
        header={"alg": alg, "kid": key.get("kid"), "typ": "JWT", **header}, claims=claims
    )
    token.make_signed_token(key)
    return str(token.serialize())


class Ehr:
    """Registered as a CDS client for an API client acting for `gp`."""

    def __init__(
        self, gp: User, *, scopes: list[str] | None = None, register: bool = True, **kw: Any
    ) -> None:
        self.key = new_key()
        created = api_client_create(
            gp=gp, name="DPI de la clinique", scopes=scopes or ["system/ServiceRequest.write"]
        )
        self.client_id = created.client_id
        self.client_secret = created.client_secret
        self.http = Client()
        self.registered: CdsClient | None = None
        if register:
            kw.setdefault("jwks", public_set(self.key))
            self.registered = cds_client_register(client_id=self.client_id, issuer=ISSUER, **kw)

    def claims(self, path: str, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": ISSUER,
            "sub": self.client_id,
            "aud": f"http://testserver{path}",
            "iat": now,
            "exp": now + 60,
            "jti": str(uuid.uuid4()),
            **changes,
        }

    def token(self, path: str, **changes: Any) -> str:
        return signed(self.key, self.claims(path, **changes))

    def post(self, path: str, body: dict[str, Any], token: str | None = None) -> Any:
        return self.http.post(
            path,
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token or self.token(path)}",
        )
