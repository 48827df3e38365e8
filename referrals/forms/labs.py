"""Laboratory fields of the referral form: decimals typed the French way (« 1,2 »), within the
plausible ranges of docs/clinical-rules.md (the database checks the same ranges)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy

from referrals.forms.help import REFERRAL_HELP

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def lab_field(
    label: StrOrPromise, name: str, low: float, high: float, places: int
) -> forms.DecimalField:
    """An optional decimal between `low` and `high`, with messages that say how to fix it."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(str(low)),
        max_value=Decimal(str(high)),
        decimal_places=places,
        localize=True,
        help_text=REFERRAL_HELP[name],
        error_messages={
            "invalid": gettext_lazy("Saisissez un nombre (ex. 1,2), ou laissez vide si inconnu."),
            "min_value": gettext_lazy(
                "Valeur trop basse (au moins %(limit_value)s) : vérifiez le résultat et l’unité."
            ),
            "max_value": gettext_lazy(
                "Valeur trop haute (au plus %(limit_value)s) : vérifiez le résultat et l’unité."
            ),
            "max_decimal_places": gettext_lazy("Trop de décimales : %(max)s au plus."),
            "max_digits": gettext_lazy("Valeur trop grande : vérifiez le résultat et l’unité."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
