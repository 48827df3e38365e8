"""The clinic's record of a person (INS identity traits), and how a name is written."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from referrals.choices import (
    Sex,
)


class Patient(models.Model):
    """A person known to the clinic, identified with the French INS traits."""

    birth_name = models.CharField(_("nom de naissance"), max_length=100, blank=True)
    used_name = models.CharField(_("nom d’usage"), max_length=100, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=150, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    birth_place_insee = models.CharField(
        _("lieu de naissance (code INSEE)"), max_length=5, blank=True
    )
    nir = models.CharField(_("NIR (n° de sécurité sociale)"), max_length=15, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("adresse"), blank=True)
    # Set when clinic staff confirm the record (referrals.services.identity): until then it holds
    # only what one GP typed, and documents a patient receives print none of it (security row 29).
    confirmed_at = models.DateTimeField(_("dossier confirmé le"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the clinic treated, written when a procedure report is signed (procedures/): the
    # level codes « T12 L1 » between spaces (level_codes_of) and the day of the last procedure.
    # A new referral for this patient is a new fracture (the worklist marks it).
    treated_levels = models.CharField(max_length=200, blank=True, default="", editable=False)
    # The names as a search reads them: lower case, no accents, no punctuation, one space
    # between words (search_text); kept by save() (referrals.selectors.search_referrals, a
    # trigram index on PostgreSQL).
    search_name = models.CharField(max_length=360, blank=True, default="", editable=False)
    last_treated_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.UniqueConstraint(
                fields=["nir"], condition=~models.Q(nir=""), name="patient_nir_unique"
            )
        ]
        indexes = [
            models.Index(fields=["birth_name", "first_names", "birth_date"]),
            # A known patient is looked for by birth date (referrals.services.patients): without it
            # every submission read the whole patient table (docs/performance.md).
            models.Index(fields=["birth_date"], name="patient_birth_date"),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("Patient sans nom"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_name()
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) & NAME_FIELDS:
            kwargs["update_fields"] = {*fields, "search_name"}
        super().save(*args, **kwargs)

    def refresh_search_name(self) -> None:
        self.search_name = search_text(f"{self.birth_name} {self.used_name} {self.first_names}")

    @property
    def full_name(self) -> str:
        return patient_full_name(
            birth_name=self.birth_name,
            used_name=self.used_name,
            first_names=self.first_names,
            sex=self.sex,
        )


def patient_full_name(*, birth_name: str, used_name: str, first_names: str, sex: str) -> str:
    """« DUPONT Jeanne », « MARTIN (née DUPONT) Jeanne »: from the columns alone, so that list
    pages can name patients from `values()` rows (docs/performance.md)."""
    name = used_name or birth_name
    if used_name and birth_name and used_name != birth_name:
        name = (
            f"{used_name} (née {birth_name})" if sex == Sex.F else f"{used_name} (né {birth_name})"
        )
    return f"{name.upper()} {first_names}".strip()


NAME_FIELDS = frozenset({"birth_name", "used_name", "first_names"})


def search_text(text: str) -> str:
    """« Lefèvre-D'Aubigné  Zoé » → « lefevre d aubigne zoe »: what a search compares, typed
    with or without accents, hyphens or capitals (œ and æ spelt out)."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())
