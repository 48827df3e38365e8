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
    "system/Patient.read": "Lire ses patients (identité saisie par le médecin)",
    "system/Practitioner.read": "Lire la fiche du médecin pour qui agit le client",
}


class ApiClient(models.Model):
    """The scopes an application may be granted (space-separated, a subset of SCOPES)."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="api_client"
    )
    scopes = models.CharField(_("portées"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client de l’API")
        verbose_name_plural = _("clients de l’API")

    def __str__(self) -> str:
        return self.application.name

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s in SCOPES]


class CdsFeedback(models.Model):
    """What a CDS client reported about one card (CDS Hooks 2.0 feedback): accepted, or overridden
    with a reason. Append-only, for the quality dashboard; no patient data is kept."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("acceptée")
        OVERRIDDEN = "overridden", _("passée outre")

    application = models.ForeignKey(
        "oauth2_provider.Application",
        on_delete=models.SET_NULL,
        null=True,
        related_name="cds_feedback",
    )
    service = models.CharField(_("service"), max_length=100)
    card = models.UUIDField(_("carte"))
    outcome = models.CharField(_("suite donnée"), max_length=20, choices=Outcome.choices)
    override_code = models.CharField(_("motif (code)"), max_length=100, blank=True)
    override_display = models.CharField(_("motif"), max_length=300, blank=True)
    user_comment = models.TextField(_("commentaire"), blank=True, max_length=2000)
    outcome_at = models.DateTimeField(_("moment de la décision"))
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("retour sur une carte CDS")
        verbose_name_plural = _("retours sur les cartes CDS")
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.service} {self.card} {self.outcome}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("CDS feedback is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("CDS feedback is append-only")


class CdsClient(models.Model):
    """A CDS client (an EHR) trusted to call the CDS Hooks service with its signed JWTs
    (fhir_api/cds_auth.py): the JWT's `iss`, the public keys that check its signature (a JWK Set
    given here, or the https URL where the EHR publishes it), and the one FHIR server the service
    may call back for what the prefetch lacks. It acts through an API client's application: the
    JWT's `sub` is that application's client_id, and its GP is who the cards are for."""

    application = models.ForeignKey(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="cds_clients"
    )
    issuer = models.CharField(_("émetteur (iss)"), max_length=500, unique=True)
    jwks = models.JSONField(_("clés publiques (JWK Set)"), default=dict, blank=True)
    jwks_url = models.URLField(_("adresse des clés publiques (JWK Set)"), blank=True)
    fhir_server = models.URLField(_("serveur FHIR du client"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client CDS Hooks")
        verbose_name_plural = _("clients CDS Hooks")

    def __str__(self) -> str:
        return self.issuer


class CdsCard(models.Model):
    """A card the CDS service answered (its uuid, its rule): what feedback on it is about, for the
    quality dashboard's « Cartes CDS Hooks par règle ». Append-only; no patient data is kept."""

    card = models.UUIDField(_("carte"), unique=True)
    service = models.CharField(_("service"), max_length=100)
    rule = models.CharField(_("règle"), max_length=40)
    indicator = models.CharField(_("gravité"), max_length=10)
    application = models.ForeignKey(
        "oauth2_provider.Application",
        on_delete=models.SET_NULL,
        null=True,
        related_name="cds_cards",
    )
    issued_at = models.DateTimeField(_("émise le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("carte CDS émise")
        verbose_name_plural = _("cartes CDS émises")

    def __str__(self) -> str:
        return f"{self.service} {self.card} {self.rule}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("CDS cards are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("CDS cards are append-only")
