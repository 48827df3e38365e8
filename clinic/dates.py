"""Dates written out in full, as letters and documents print them."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

# The day of the month, at the start or after the weekday: « 1 décembre », « mardi 1 décembre ».
_FIRST_DAY = re.compile(r"^((?:\w+ )?)1 ")


def long_date(day: date, *, weekday: bool = False, year: bool = True) -> str:
    """« 3 décembre 2026 », or « jeudi 3 décembre 2026 » with the weekday, in the active
    language; `year=False`: « jeudi 3 décembre ». French writes the first of a month as an
    ordinal: « 1er décembre 2026 ». An instant is dated in the clinic's time zone."""
    if isinstance(day, datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    text = date_format(day, ("l j F" if weekday else "j F") + (" Y" if year else ""))
    if day.day == 1 and (get_language() or "").startswith("fr"):
        text = _FIRST_DAY.sub(r"\g<1>1er ", text, count=1)
    return text
