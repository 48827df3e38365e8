"""The GP's referral form: the clinical facts (imaging, pain, treatments, labs, allergies). The
patient (forms/patient.py) and the levels (forms/levels.py) are its other parts; forms/bundle.py
binds them. Forms validate and normalise; services save. A draft may be incomplete; submitting
asks for the identity and at least one level. Every message says what to fix.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referrals.choices import (
    Allergy,
    Anaesthesia,
    Antithrombotic,
    MriAlternative,
)
from referrals.forms.help import REFERRAL_HELP
from referrals.forms.labs import lab_field
from referrals.models import FACT_FIELDS, Referral

if TYPE_CHECKING:
    pass

from referrals.forms.fields import CLINICAL_NOTE_MAX, NullBooleanChoice, StateMixin, date_field
from referrals.validators import (
    check_past_date,
)


def pain_choices() -> list[tuple[str, Any]]:
    labels = {
        0: gettext_lazy("0 — aucune douleur"),
        10: gettext_lazy("10 — douleur maximale imaginable"),
    }
    return [
        ("", gettext_lazy("Non évaluée")),
        *((str(n), labels.get(n, str(n))) for n in range(11)),
    ]


class ReferralForm(StateMixin, forms.ModelForm):
    # Shown only when the patient already has a referral in progress (see referral_submit).
    confirm_new_referral = forms.BooleanField(
        label=gettext_lazy("Il s’agit bien d’une nouvelle demande pour ce patient"),
        required=False,
    )
    ct_date = date_field(gettext_lazy("Date du scanner"), REFERRAL_HELP["ct_date"])
    mri_date = date_field(gettext_lazy("Date de l’IRM"), REFERRAL_HELP["mri_date"])
    pain_nrs = forms.TypedChoiceField(
        label=gettext_lazy("Douleur (échelle numérique 0 à 10)"),
        choices=pain_choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=REFERRAL_HELP["pain_nrs"],
    )
    antithrombotics = forms.MultipleChoiceField(
        label=gettext_lazy("Traitements en cours"),
        choices=Antithrombotic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=REFERRAL_HELP["antithrombotics"],
    )
    mri_alternative = forms.ChoiceField(
        label=gettext_lazy("Examen fait à la place de l’IRM"),
        choices=[("", gettext_lazy("Aucun")), *MriAlternative.choices],
        required=False,
        help_text=REFERRAL_HELP["mri_alternative"],
    )
    osteoporosis_treatment = forms.NullBooleanField(
        label=gettext_lazy("Traitement de l’ostéoporose déjà en cours"),
        required=False,
        widget=NullBooleanChoice,
        help_text=REFERRAL_HELP["osteoporosis_treatment"],
    )
    allergies = forms.MultipleChoiceField(
        label=gettext_lazy("Autres allergies"),
        choices=Allergy.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=REFERRAL_HELP["allergies"],
    )
    platelets = lab_field(gettext_lazy("Plaquettes (G/L)"), "platelets", 0, 2000, 1)
    inr = lab_field(gettext_lazy("INR"), "inr", 0.5, 15, 2)
    creatinine_clearance = lab_field(
        gettext_lazy("Clairance de la créatinine (mL/min)"), "creatinine_clearance", 0, 250, 1
    )
    vka_bridging = forms.NullBooleanField(
        label=gettext_lazy("Relais héparine prévu (patient sous AVK)"),
        required=False,
        widget=NullBooleanChoice,
        help_text=REFERRAL_HELP["vka_bridging"],
    )
    anaesthesia = forms.ChoiceField(
        label=gettext_lazy("Anesthésie souhaitée"),
        choices=Anaesthesia.choices,
        initial=Anaesthesia.LOCAL,
        required=False,
        widget=forms.RadioSelect,
        help_text=REFERRAL_HELP["anaesthesia"],
    )

    class Meta:
        model = Referral
        fields = list(FACT_FIELDS)
        help_texts = REFERRAL_HELP
        labels = {
            "ct_available": gettext_lazy("Scanner du rachis réalisé"),
            "mri_available": gettext_lazy("IRM du rachis réalisée"),
            "analgesics_failed": gettext_lazy("Échec des antalgiques"),
            "opioids_failed": gettext_lazy("Échec des morphiniques"),
            "pregnant": gettext_lazy("Grossesse en cours ou possible"),
            "active_infection": gettext_lazy("Infection évolutive"),
            "uncorrectable_coagulopathy": gettext_lazy("Trouble de la coagulation non corrigeable"),
            "cement_allergy": gettext_lazy("Allergie au ciment (PMMA)"),
            "neurological_deficit": gettext_lazy("Déficit neurologique"),
            "high_energy_trauma": gettext_lazy("Traumatisme à haute énergie"),
            "mri_contraindicated": gettext_lazy("IRM contre-indiquée"),
            "cannot_lie_prone": gettext_lazy("Ne peut pas rester allongé sur le ventre"),
            "clinical_note": gettext_lazy("Note clinique"),
        }
        widgets = {
            "clinical_note": forms.Textarea(attrs={"rows": 4, "maxlength": CLINICAL_NOTE_MAX})
        }

    def __init__(self, *args: Any, today: date, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup(today=today, submitting=submitting)

    def clean_ct_date(self) -> date | None:
        value = self.cleaned_data["ct_date"]
        check_past_date(value, today=self.today, what=_("du scanner"))
        return value

    def clean_mri_date(self) -> date | None:
        value = self.cleaned_data["mri_date"]
        check_past_date(value, today=self.today, what=_("de l’IRM"))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # An exam with a date was done: the GP need not also tick the box.
        if data.get("ct_date"):
            data["ct_available"] = True
        if data.get("mri_date"):
            data["mri_available"] = True
        data["anaesthesia"] = data.get("anaesthesia") or Anaesthesia.LOCAL
        if not data.get("mri_contraindicated"):
            data["mri_alternative"] = ""  # an alternative stands only for an impossible MRI
        if "vka" not in (data.get("antithrombotics") or []):
            data["vka_bridging"] = None  # bridging is asked only for a VKA
        data["clinical_note"] = (data.get("clinical_note") or "").strip()
        if len(data["clinical_note"]) > CLINICAL_NOTE_MAX:
            self.add_error(
                "clinical_note",
                _(
                    "La note clinique est limitée à %(max)s caractères (vous en avez saisi "
                    "%(n)s) : résumez-la et joignez les comptes rendus en pièces jointes."
                )
                % {
                    "max": number_format(CLINICAL_NOTE_MAX, force_grouping=True),
                    "n": number_format(len(data["clinical_note"]), force_grouping=True),
                },
            )
        return data
