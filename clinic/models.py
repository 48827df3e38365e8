from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.append_only import AppendOnlyModel


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
        return user_display_name(
            role=self.role,
            first_name=self.first_name,
            last_name=self.last_name,
            username=self.username,
        )

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


class AccessLog(AppendOnlyModel):
    """One read of patient data (a referral page, an attachment, a document), granted or refused.

    Append-only (CNIL guidance on access traceability); instants are stored in UTC.
    """

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("autorisé")
        REFUSED = "refused", _("refusé")

    at = models.DateTimeField(_("date"), db_index=True)
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utilisateur"),
    )
    # Kept as plain ids: a log row must outlive and never block the rows it points at.
    patient_id = models.BigIntegerField(_("patient"), null=True, blank=True, db_index=True)
    referral_id = models.BigIntegerField(_("demande"), null=True, blank=True)
    what = models.CharField(_("objet consulté"), max_length=40)
    object_id = models.BigIntegerField(null=True, blank=True)
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # What an administrator typed in the access-log search (who searched what, when).
    search = models.CharField(_("recherche"), max_length=100, blank=True, db_default="")

    class Meta:
        verbose_name = _("accès aux données")
        verbose_name_plural = _("journal des accès")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.what} {self.outcome}"


class AccountEvent(AppendOnlyModel):
    """What was done to an account and by whom: a role granted or changed, a second factor reset
    or an enrolment code issued (security row 30). Append-only, like the access log."""

    at = models.DateTimeField(_("date"), db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    # Plain ids and the username at the time: the record outlives the account.
    account_id = models.BigIntegerField(_("compte"), db_index=True)
    account_username = models.CharField(_("identifiant"), max_length=150)
    action = models.CharField(_("action"), max_length=40)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("événement de compte")
        verbose_name_plural = _("journal des comptes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.account_username} {self.action}"


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a staff member out of band: with it, and only with
    it, the account pairs its authenticator app (clinic/otp.py). Only a hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # None: issued on the server by `manage.py create_administrator` (the first administrator).
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """Failed logins on one username from any address (clinic/login_throttle.py): past a limit,
    each new try waits twice as long as the last, whatever address it comes from."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"


class RateCounter(models.Model):
    """Requests counted per key and fixed time window, in the database so that every app server
    shares them (the supported rate-limit libraries need Redis or memcached)."""

    key = models.CharField(max_length=150)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="rate_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"


def user_display_name(*, role: str, first_name: str, last_name: str, username: str) -> str:
    """« Dr Claire Martin » for doctors, the plain name for others: from the columns alone, so
    that list pages can name people from `values()` rows."""
    name = f"{first_name} {last_name}".strip() or username
    return f"Dr {name}" if role in (Role.GP, Role.RADIOLOGIST) else name
