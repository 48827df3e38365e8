from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Same message for an unknown user and a wrong password (no account enumeration)."""

    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Vérifiez la saisie (les majuscules comptent)."
        ),
        "inactive": _(
            "Ce compte est désactivé. Contactez le secrétariat de la clinique pour le réactiver."
        ),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Identifiant")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def confirm_login_allowed(self, user: object) -> None:
        if not getattr(user, "is_active", False):
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
