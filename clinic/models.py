from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GP = "gp", _("Médecin adresseur")
    RADIOLOGIST = "radiologist", _("Radiologue interventionnel")
    SECRETARY = "secretary", _("Secrétariat")
    ADMIN = "admin", _("Administrateur")


STAFF_ROLES = frozenset({Role.RADIOLOGIST, Role.SECRETARY, Role.ADMIN})

rpps_validator = RegexValidator(r"^\d{11}$", _("Le numéro RPPS compte 11 chiffres, sans espace."))


class User(AbstractUser):
    """A person who logs in. The role decides what they see; a GP also carries their practice."""

    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, blank=True)
    rpps = models.CharField(
        _("numéro RPPS"), max_length=11, blank=True, validators=[rpps_validator]
    )
    practice_address = models.TextField(_("adresse du cabinet"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username

    @property
    def display_name(self) -> str:
        if self.role in (Role.GP, Role.RADIOLOGIST):
            return f"Dr {self.get_full_name() or self.username}"
        return self.get_full_name() or self.username

    @property
    def is_gp(self) -> bool:
        return self.role == Role.GP

    @property
    def is_radiologist(self) -> bool:
        return self.role == Role.RADIOLOGIST

    @property
    def is_secretary(self) -> bool:
        return self.role == Role.SECRETARY

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in STAFF_ROLES
