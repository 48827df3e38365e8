"""Dates in full: French writes the first of the month « 1er »."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from clinic.dates import long_date


@pytest.mark.parametrize(
    ("language", "day", "options", "expected"),
    [
        ("fr", date(2026, 12, 1), {}, "1er décembre 2026"),
        ("fr", date(2026, 12, 1), {"weekday": True}, "mardi 1er décembre 2026"),
        ("fr", date(2026, 12, 1), {"weekday": True, "year": False}, "mardi 1er décembre"),
        ("fr", date(2026, 12, 11), {}, "11 décembre 2026"),
        ("fr", date(2026, 12, 21), {"weekday": True}, "lundi 21 décembre 2026"),
        ("fr", date(2026, 12, 31), {}, "31 décembre 2026"),
        ("en", date(2026, 12, 1), {"weekday": True}, "Tuesday 1 December 2026"),
    ],
)
def test_long_date(language: str, day: date, options: dict[str, bool], expected: str) -> None:
    with translation.override(language):
        assert long_date(day, **options) == expected


def test_an_instant_is_dated_in_the_clinic_time_zone() -> None:
    # 23:30 UTC on 30 November is already 1 December in Paris.
    with translation.override("fr"):
        assert long_date(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "1er décembre 2026"


def test_the_template_filter() -> None:
    template = Template(
        '{% load clinic_tags %}{{ day|long_date }} | {{ day|long_date:"weekday,noyear" }}'
        " | {{ none|long_date }}."
    )
    with translation.override("fr"):
        text = template.render(Context({"day": date(2027, 1, 1), "none": None}))
    assert text == "1er janvier 2027 | vendredi 1er janvier | ."
