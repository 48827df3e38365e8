"""The GP's form to withdraw a referral sent to the clinic (referrals.services.withdrawal)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.services.withdrawal import REASON_MAX_LENGTH


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        help_text=_(
            "La clinique lira ce motif : par exemple, le patient a renoncé, va mieux ou est pris "
            "en charge ailleurs."
        ),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _(
                "Indiquez le motif de l’annulation (par exemple : le patient a renoncé)."
            ),
            "max_length": _(
                "Le motif est trop long : %(limit_value)d caractères au plus (il en a "
                "%(show_value)d)."
            ),
        },
    )
