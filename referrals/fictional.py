"""Fictional identities for demo and volume data (security checklist row 27)."""

from __future__ import annotations


def fictional_nir(sex: str, birth_year: int, birth_month: int, serial: int) -> str:
    """A NIR with a valid key but a made-up birthplace (« 99 » abroad, country 999 does not
    exist), so that it can never be a real person's number."""
    body = (
        f"{1 if sex == 'M' else 2}{birth_year % 100:02d}{birth_month:02d}99999{serial % 1000:03d}"
    )
    return f"{body}{97 - int(body) % 97:02d}"
