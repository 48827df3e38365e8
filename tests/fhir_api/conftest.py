"""API clients for the GP personas, and their tokens, through the real token endpoint."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from clinic.models import User
from fhir_api.clients import api_client_create
from fhir_api.models import SCOPES
from tests.security.world import FROZEN_NOW, World, build_world


def token_for(client_id: str, secret: str, scope: str = "") -> dict[str, Any]:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    response = Client().post("/o/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")
    return {"status": response.status_code, **response.json()}


class Api:
    """A practice software's calls: a bearer token of a client acting for one GP."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str, **extra: Any) -> Any:
        return self.client.get(path, **self.headers, **extra)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        import json

        return self.client.post(
            path, json.dumps(body), content_type="application/fhir+json", **self.headers
        )


@pytest.fixture
def api_for(db: None) -> Callable[..., Api]:
    def make(gp: User, scopes: list[str] | None = None) -> Api:
        created = api_client_create(
            gp=gp, name="Logiciel du cabinet", scopes=scopes or sorted(SCOPES)
        )
        token = token_for(created.client_id, created.client_secret)
        assert token["status"] == 200, token
        return Api(token["access_token"])

    return make


@pytest.fixture
def api(api_for: Callable[..., Api], gp: User) -> Api:
    return api_for(gp)


@pytest.fixture
def world(gp: User, radiologist: User, secretary: User) -> Iterator[World]:
    """The security tests' clinic (tests/security/world.py), on its frozen Friday."""
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield build_world(gp=gp, radiologist=radiologist, secretary=secretary)
