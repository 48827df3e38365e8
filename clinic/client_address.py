"""The client's address, read one way for django-axes (`AXES_CLIENT_IP_CALLABLE`), the rate
limits and the access log (security row 31).

Behind the documented TLS proxy every connection comes from the proxy: without this, all users
share one address and five bad passwords lock an account for the whole clinic. The proxy appends
the address it saw to X-Forwarded-For; entries to its left may be forged by the client. So the
header is believed only when the connection comes from a trusted proxy (`TRUSTED_PROXIES`), and
the address taken is the rightmost one that is not itself a trusted proxy."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
        return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
    except ValueError:
        return False


def client_address(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    proxies: list[str] = list(settings.TRUSTED_PROXIES)
    if remote is None or not proxies or not _trusted(remote, proxies):
        return remote
    header = request.META.get(settings.CLIENT_IP_HEADER, "") or ""
    for entry in reversed(header.split(",")):
        address = _valid(entry)
        if address is None:
            return remote  # a malformed chain: trust only the connection
        if not _trusted(address, proxies):
            return address
    return remote
