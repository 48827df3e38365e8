"""A referral and its fractured levels: the clinical facts of the eligibility specification
(docs: ../shared/docs/clinical-rules.md), which `eligibility.adapter` turns into engine facts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from referrals.choices import (
    ACTIVE_STATUSES,
    Anaesthesia,
    Cause,
    Level,
    MriAlternative,
    SacralPattern,
    Status,
    Verdict,
    level_position,
)
from referrals.models.patient import Patient

# The clinical facts a GP enters, in form order: what a resubmission compares and the form edits.
FACT_FIELDS = (
    "ct_available",
    "ct_date",
    "mri_available",
    "mri_date",
    "mri_contraindicated",
    "mri_alternative",
    "pain_nrs",
    "analgesics_failed",
    "opioids_failed",
    "osteoporosis_treatment",
    "pregnant",
    "active_infection",
    "uncorrectable_coagulopathy",
    "cement_allergy",
    "neurological_deficit",
    "high_energy_trauma",
    "cannot_lie_prone",
    "allergies",
    "platelets",
    "inr",
    "creatinine_clearance",
    "antithrombotics",
    "vka_bridging",
    "anaesthesia",
    "clinical_note",
)
LEVEL_FIELDS = (
    "level",
    "fracture_date",
    "cause",
    "posterior_arch_involved",
    "posterior_wall_involved",
    "sacral_pattern",
    "mri_oedema",
    "retropulsion",
    "tender_on_percussion",
)

ANAESTHESIA_LABELS = dict(Anaesthesia.choices)


class Referral(models.Model):
    """A GP's request for a cementoplasty opinion, with the clinical facts the engine reads."""

    gp = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("médecin adresseur"),
    )
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
        verbose_name=_("patient"),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # Imaging
    ct_available = models.BooleanField(_("scanner réalisé"), default=False)
    ct_date = models.DateField(_("date du scanner"), null=True, blank=True)
    mri_available = models.BooleanField(_("IRM réalisée"), default=False)
    mri_date = models.DateField(_("date de l’IRM"), null=True, blank=True)
    mri_contraindicated = models.BooleanField(_("IRM contre-indiquée"), default=False)
    mri_alternative = models.CharField(
        _("examen fait à la place de l’IRM"),
        max_length=20,
        choices=MriAlternative.choices,
        blank=True,
    )

    # Pain and treatments
    pain_nrs = models.PositiveSmallIntegerField(_("douleur (EN 0–10)"), null=True, blank=True)
    analgesics_failed = models.BooleanField(_("échec des antalgiques"), default=False)
    opioids_failed = models.BooleanField(_("échec des morphiniques"), default=False)
    osteoporosis_treatment = models.BooleanField(
        _("traitement de l’ostéoporose en cours"), null=True, blank=True
    )

    # Red flags and patient facts
    pregnant = models.BooleanField(_("grossesse en cours"), default=False)
    active_infection = models.BooleanField(_("infection évolutive"), default=False)
    uncorrectable_coagulopathy = models.BooleanField(
        _("trouble de la coagulation non corrigeable"), default=False
    )
    cement_allergy = models.BooleanField(_("allergie au ciment"), default=False)
    neurological_deficit = models.BooleanField(_("déficit neurologique"), default=False)
    high_energy_trauma = models.BooleanField(_("traumatisme à haute énergie"), default=False)
    cannot_lie_prone = models.BooleanField(
        _("ne peut pas rester allongé sur le ventre"), default=False
    )
    allergies = models.JSONField(_("allergies"), default=list, blank=True)

    # Latest laboratory values (null: unknown)
    platelets = models.DecimalField(
        _("plaquettes (G/L)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    inr = models.DecimalField(_("INR"), max_digits=4, decimal_places=2, null=True, blank=True)
    creatinine_clearance = models.DecimalField(
        _("clairance de la créatinine (mL/min)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )

    antithrombotics = models.JSONField(_("antithrombotiques"), default=list, blank=True)
    vka_bridging = models.BooleanField(_("relais héparine prévu"), null=True, blank=True)
    anaesthesia = models.CharField(
        _("anesthésie souhaitée"),
        max_length=10,
        choices=Anaesthesia.choices,
        default=Anaesthesia.LOCAL,
    )
    clinical_note = models.TextField(_("note clinique"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("adressée le"), null=True, blank=True)

    # The latest engine evaluation, copied from the latest EligibilitySnapshot so that lists can
    # filter and sort without reading JSON.
    verdict = models.CharField(
        _("avis du moteur"), max_length=20, choices=Verdict.choices, blank=True, db_index=True
    )
    ideal_until = models.DateField(_("fin du délai idéal"), null=True, blank=True)
    latest_until = models.DateField(_("fin du délai de 6 mois"), null=True, blank=True)
    target_before = models.DateField(_("à traiter avant"), null=True, blank=True)
    earliest_procedure_date = models.DateField(
        _("geste possible à partir du"), null=True, blank=True
    )
    # G-NEURO fired (a neurological deficit): the worklist and the desk put it first.
    urgent = models.BooleanField(_("urgent"), default=False)
    # The patient was already treated here (Patient.last_treated_on) when the referral was sent:
    # a new fracture after a cementoplasty, first among referrals of the same urgency.
    new_fracture = models.BooleanField(_("nouvelle fracture après un geste"), default=False)
    # The decision in force (the latest radiologist decision), denormalised for lists.
    current_decision = models.ForeignKey(
        "Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The patient fields exactly as this referral's GP typed them (ISO date for the birth date):
    # what GP pages show, since the patient record may be shared with other GPs' referrals.
    identity_as_entered = models.JSONField(
        _("identité saisie par le médecin"), default=dict, blank=True
    )
    # A draft's values that the record cannot take yet (a NIR whose key is wrong, a date in the
    # future…), exactly as typed: {form field name: text}, a level's as "levels:L1:fracture_date".
    # Their columns stay blank, so the engine's facts and the patient record only ever hold
    # checked values; the form shows them back with their error. Emptied when the draft is sent.
    draft_values = models.JSONField(_("valeurs du brouillon à corriger"), default=dict, blank=True)
    # The NIR typed is held by a patient whose identity differs: staff check the identity.
    identity_to_check = models.BooleanField(_("identité à vérifier"), default=False)
    # The codes of the levels, « T12 L1 » between spaces (level_codes_of): a copy of the
    # FractureLevel rows, written with them (services.referral_save_draft), so that the
    # worklist's level filter is read from its index instead of probing each candidate's levels
    # (docs/performance.md).
    level_codes = models.CharField(max_length=200, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("demande d’avis")
        verbose_name_plural = _("demandes d’avis")
        indexes = [
            # The GP home page's « the radiologist awaits your answer » panel: the GP's referrals
            # waiting for their answer, without reading the thousands of others.
            models.Index(
                fields=["gp", "-updated_at"],
                condition=models.Q(status="info_requested"),
                name="referral_gp_awaiting",
            ),
            # The worklist of open referrals: status, the engine's verdict (its filter, an index
            # range rather than a test of every waiting referral), then the urgency sort keys,
            # with the id and the level codes: which ids fill a page, filters included, comes
            # from this index alone (referrals.pages.worklist).
            models.Index(
                fields=["status", "verdict", "ideal_until", "latest_until", "submitted_at"],
                include=["id", "level_codes", "urgent", "new_fracture"],
                name="referral_worklist",
            ),
            # Closed tabs of the worklist, newest first: a page reads an ordered range of this
            # index (with the verdict and level codes for its filters), not years of history.
            models.Index(
                fields=["status", "-submitted_at", "-id"],
                include=["verdict", "level_codes"],
                name="referral_history",
            ),
            # The GP home page's order: its first page reads 20 index entries, not every
            # referral of a GP with thousands (docs/performance.md). Drafts the GP deleted are
            # not on that page, nor in this index.
            models.Index(
                fields=["gp", "-created_at", "-id"],
                condition=~models.Q(status="discarded"),
                name="referral_gp_created",
            ),
            # The secretary's lists, most urgent or oldest first: their first rows are read in
            # order from a small index, not every accepted or waiting referral sorted
            # (scheduling.selectors, docs/performance.md).
            models.Index(
                fields=["-urgent", "target_before", "submitted_at", "id"],
                condition=models.Q(status="accepted"),
                name="referral_to_book",
            ),
            models.Index(
                fields=["submitted_at", "id"],
                # scheduling.selectors.referrals_missing_imaging: before the procedure.
                condition=models.Q(
                    status__in=("submitted", "info_requested", "accepted", "scheduled")
                )
                & (models.Q(ct_available=False) | models.Q(mri_available=False)),
                name="referral_missing_imaging",
            ),
            # Urgent referrals (G-NEURO) are few: lists read them first from this small index.
            models.Index(
                fields=["status", "submitted_at", "id"],
                condition=models.Q(urgent=True),
                name="referral_urgent",
            ),
        ]
        constraints = [
            # The statuses of referrals/workflow.py, and nothing else.
            models.CheckConstraint(
                condition=models.Q(status__in=[value for value, _label in Status.choices]),
                name="referral_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(pain_nrs__isnull=True) | models.Q(pain_nrs__lte=10),
                name="referral_pain_nrs_0_10",
            ),
            # The plausible ranges of docs/clinical-rules.md (labs).
            models.CheckConstraint(
                condition=models.Q(platelets__isnull=True)
                | models.Q(platelets__gte=0, platelets__lte=2000),
                name="referral_platelets_0_2000",
            ),
            models.CheckConstraint(
                condition=models.Q(inr__isnull=True) | models.Q(inr__gte=0.5, inr__lte=15),
                name="referral_inr_0_5_15",
            ),
            models.CheckConstraint(
                condition=models.Q(creatinine_clearance__isnull=True)
                | models.Q(creatinine_clearance__gte=0, creatinine_clearance__lte=250),
                name="referral_clearance_0_250",
            ),
            # Sent once and for good: a referral the clinic received keeps its date; a draft
            # has none.
            models.CheckConstraint(
                condition=models.Q(status__in=("draft", "discarded"))
                | models.Q(submitted_at__isnull=False),
                name="referral_submitted_at_once_sent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="draft") | models.Q(submitted_at__isnull=True),
                name="referral_draft_not_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.patient or ''}".strip()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_editable_by_gp(self) -> bool:
        return self.status in (Status.DRAFT, Status.INFO_REQUESTED)

    def levels_in_order(self) -> list[FractureLevel]:
        return sorted(self.levels.all(), key=lambda lv: lv.position)

    def sync_level_codes(self) -> None:
        """Copy the codes of the referral's levels to `level_codes` (after levels were written
        some other way than the referral services)."""
        self.level_codes = level_codes_of(self.levels.values_list("level", flat=True))
        Referral.objects.filter(pk=self.pk).update(level_codes=self.level_codes)


def level_codes_of(levels: Iterable[str]) -> str:
    """« T12 L1 » with a space before and after, in spine order: a level is found with
    `level_codes__contains=" L1 "`, never inside another code (" L1 " is not in " L12 ")."""
    codes = sorted(set(levels), key=level_position)
    return f" {' '.join(codes)} " if codes else ""


class FractureLevel(models.Model):
    """One fractured vertebral level of a referral and its facts."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(_("niveau"), max_length=3, choices=Level.choices)
    position = models.PositiveSmallIntegerField(editable=False, default=0)
    fracture_date = models.DateField(_("date de la fracture"), null=True, blank=True)
    cause = models.CharField(
        _("cause"), max_length=20, choices=Cause.choices, default=Cause.UNKNOWN
    )
    posterior_arch_involved = models.BooleanField(_("atteinte de l’arc postérieur"), default=False)
    posterior_wall_involved = models.BooleanField(_("atteinte du mur postérieur"), default=False)
    sacral_pattern = models.CharField(
        _("type de fracture sacrée"), max_length=12, choices=SacralPattern.choices, blank=True
    )
    mri_oedema = models.BooleanField(_("œdème osseux à l’IRM"), null=True, blank=True)
    retropulsion = models.BooleanField(_("recul du mur postérieur"), default=False)
    tender_on_percussion = models.BooleanField(
        _("douleur à la percussion de l’épineuse"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("niveau fracturé")
        verbose_name_plural = _("niveaux fracturés")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "level"], name="level_once_per_referral")
        ]

    def __str__(self) -> str:
        return self.level

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.position = level_position(self.level)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "level" in update_fields:
            kwargs["update_fields"] = {*update_fields, "position"}
        super().save(*args, **kwargs)
