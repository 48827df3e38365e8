"""Links to objects in long lists, reversed once per URL name rather than once per row: a day of a
network's rooms lists hundreds of bookings with up to five links each, and reversing each one was
a fifth of the page's time (docs/performance.md)."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_PK_MARK = 987654321


def url_pattern(name: str) -> str:
    """The URL of `name` for one object, with « {} » where its id goes (for `str.format`)."""
    return _pattern(name, get_script_prefix(), get_urlconf(), get_language())


def object_url(name: str, pk: int) -> str:
    """What `reverse(name, args=[pk])` returns."""
    return url_pattern(name).format(int(pk))


@lru_cache(maxsize=256)
def _pattern(name: str, prefix: str, urlconf: str | None, language: str | None) -> str:
    """The prefix, urlconf and language are the cache's key: the URL depends on them. Derived from
    the code alone, the same on every server."""
    return reverse(name, args=[_PK_MARK], urlconf=urlconf).replace(str(_PK_MARK), "{}")
