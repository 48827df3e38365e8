"""An API client: a django-oauth-toolkit application that acts for one GP, with its scopes.

The application's `user` is the GP it acts for (client credentials carry no user of their own);
the scopes it may ask for are listed here, one per resource and action (docs/api.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# SMART backend-services scopes, one per resource and action the API serves.
SCOPES: dict[str, str] = {
    "system/ServiceRequest.write": "Adresser une demande (Bundle transaction)",
    "system/ServiceRequest.read": "Lire ses demandes",
    "system/Task.read": "Suivre ses demandes",
    "system/Appointment.read": "Lire les rendez-vous de ses patients",
    "system/DocumentReference.read": "Lister les documents de ses demandes",
    "system/Binary.read": "Télécharger les documents de ses demandes",
}


class ApiClient(models.Model):
    """The scopes an application may be granted (space-separated, a subset of SCOPES)."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="api_client"
    )
    scopes = models.CharField(_("portées"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client de l'API")
        verbose_name_plural = _("clients de l'API")

    def __str__(self) -> str:
        return self.application.name

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s in SCOPES]
