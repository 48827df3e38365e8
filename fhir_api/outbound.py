"""The only calls Cimento makes to a client's servers: a CDS client's JWK Set and its FHIR server
(the prefetch it did not send). Bounded: https only (plain http in the tests alone:
CDS_HTTP_ALLOWED), a connect and a total timeout, a size cap, no redirect followed (a redirect
could lead anywhere: only the URL registered for the client is called)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

CONNECT_SECONDS = 3.0
TOTAL_SECONDS = 8.0
MAX_BYTES = 5 * 1024 * 1024


class OutboundError(Exception):
    """The call could not be made or gave no usable JSON; the message says why (English: logs)."""


def allowed_url(url: str) -> bool:
    parts = urlsplit(url)
    schemes = ("https", "http") if settings.CDS_HTTP_ALLOWED else ("https",)
    return parts.scheme in schemes and bool(parts.hostname) and not parts.username


def get_json(url: str, *, headers: dict[str, str] | None = None) -> Any:
    """GET `url` and parse its JSON, or OutboundError."""
    # With the first call, not at boot: requests and charset_normalizer are 4 MB a worker.
    import requests

    if not allowed_url(url):
        raise OutboundError(f"refused to call {url!r}: https only")
    deadline = time.monotonic() + TOTAL_SECONDS
    try:
        with requests.get(
            url,
            headers={"Accept": "application/fhir+json, application/json", **(headers or {})},
            timeout=(CONNECT_SECONDS, TOTAL_SECONDS),
            allow_redirects=False,
            stream=True,
        ) as response:
            if response.status_code != 200:
                raise OutboundError(f"{url} answered {response.status_code}")
            data = bytearray()
            for chunk in response.iter_content(64 * 1024):
                data.extend(chunk)
                if len(data) > MAX_BYTES:
                    raise OutboundError(f"{url} sent more than {MAX_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise OutboundError(f"{url} took more than {TOTAL_SECONDS} s")
    except requests.RequestException as error:
        raise OutboundError(f"{url}: {type(error).__name__}") from None
    try:
        return json.loads(bytes(data))
    except (ValueError, UnicodeDecodeError):
        raise OutboundError(f"{url} did not send JSON") from None
