"""The GP's referral form: patient identity, clinical facts, fractured levels, attachments.

Forms validate and normalise; `referrals.services` saves. A draft may be incomplete; submitting
asks for the identity and at least one level. Every message says what to fix.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referrals.choices import (
    SPINE_LEVELS,
    Allergy,
    Anaesthesia,
    Antithrombotic,
    Cause,
    Level,
    MriAlternative,
    SacralPattern,
    Sex,
)
from referrals.forms.help import LEVEL_HELP, PATIENT_HELP, REFERRAL_HELP
from referrals.forms.labs import lab_field
from referrals.models import FACT_FIELDS, FractureLevel, Patient, Referral

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from referrals.validators import (
    check_birth_date,
    check_past_date,
    clean_insee_code,
    clean_nir,
    clean_phone,
    nir_mismatches,
)

INVALID_DATE = gettext_lazy(
    "Date non reconnue : saisissez-la sous la forme jj/mm/aaaa (ex. 02/03/1941)."
)
# Long enough for a clinical summary; reports and letters belong in the attachments.
CLINICAL_NOTE_MAX = 5000
REQUIRED_MARK = "*"  # the same mark crispy puts on required fields


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO (yyyy-mm-dd)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=DateInput(),
        error_messages={"invalid": INVALID_DATE},
    )


class StateMixin:
    """Forms that know today's date and whether the GP is submitting (stricter) or saving."""

    def setup(self, *, today: date, submitting: bool) -> None:
        self.today = today
        self.submitting = submitting


class PatientForm(StateMixin, forms.ModelForm):
    REQUIRED_TO_SUBMIT = {
        "birth_name": gettext_lazy(
            "Indiquez le nom de naissance du patient pour adresser la demande."
        ),
        "first_names": gettext_lazy(
            "Indiquez le ou les prénoms du patient pour adresser la demande."
        ),
        "birth_date": gettext_lazy(
            "Indiquez la date de naissance du patient pour adresser la demande."
        ),
        "sex": gettext_lazy("Indiquez le sexe du patient pour adresser la demande."),
    }

    birth_date = date_field(gettext_lazy("Date de naissance"), PATIENT_HELP["birth_date"])
    sex = forms.ChoiceField(
        label=gettext_lazy("Sexe"),
        choices=Sex.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=PATIENT_HELP["sex"],
    )
    nir = forms.CharField(
        label=gettext_lazy("NIR (n° de sécurité sociale)"),
        required=False,
        max_length=30,  # typed with spaces; clean_nir compacts it to 15 characters
        help_text=PATIENT_HELP["nir"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        error_messages={
            "invalid": gettext_lazy("Adresse e-mail non reconnue (ex. nom@exemple.fr).")
        },
    )

    class Meta:
        model = Patient
        fields = [
            "birth_name",
            "used_name",
            "first_names",
            "birth_date",
            "sex",
            "birth_place_insee",
            "nir",
            "phone",
            "email",
            "address",
        ]
        help_texts = PATIENT_HELP
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, today: date, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup(today=today, submitting=submitting)
        for name in self.REQUIRED_TO_SUBMIT:
            self.fields[name].label = f"{self.fields[name].label}{REQUIRED_MARK}"

    def clean_birth_name(self) -> str:
        return " ".join(self.cleaned_data["birth_name"].split())

    def clean_used_name(self) -> str:
        return " ".join(self.cleaned_data["used_name"].split())

    def clean_first_names(self) -> str:
        return " ".join(self.cleaned_data["first_names"].split())

    def clean_birth_date(self) -> date | None:
        value = self.cleaned_data["birth_date"]
        check_birth_date(value, today=self.today)
        return value

    def clean_nir(self) -> str:
        return clean_nir(self.cleaned_data["nir"])

    def clean_birth_place_insee(self) -> str:
        return clean_insee_code(self.cleaned_data["birth_place_insee"])

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.submitting:
            for name, message in self.REQUIRED_TO_SUBMIT.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, ValidationError(message, code="required"))
        if data.get("nir"):
            for problem in nir_mismatches(
                data["nir"], sex=data.get("sex", ""), birth_date=data.get("birth_date")
            ):
                self.add_error("nir", problem)
        return data

    def _get_validation_exclusions(self) -> set[str]:  # type: ignore[misc]
        # A known NIR is not an error: the service reuses the patient (or reports a conflict),
        # so the model's unique constraint on the NIR is not checked here.
        return {*super()._get_validation_exclusions(), "nir"}  # type: ignore[misc]

    def validate_unique(self) -> None:
        """See _get_validation_exclusions: patients are matched by the service."""


class NullBooleanChoice(forms.NullBooleanSelect):
    """Yes / No / Not stated, with words a GP would use."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", gettext_lazy("Non précisé")),
            ("true", gettext_lazy("Oui")),
            ("false", gettext_lazy("Non")),
        ]


class LevelForm(StateMixin, forms.ModelForm):
    level = forms.ChoiceField(
        label=gettext_lazy("Niveau"),
        choices=[("", gettext_lazy("Choisir…")), *Level.choices],
        help_text=LEVEL_HELP["level"],
        error_messages={
            "required": gettext_lazy("Choisissez le niveau fracturé, ou retirez cette ligne."),
            "invalid_choice": gettext_lazy("Niveau inconnu : choisissez un niveau de C1 à S."),
        },
    )
    sacral_pattern = forms.ChoiceField(
        label=gettext_lazy("Type de fracture du sacrum"),
        choices=[("", gettext_lazy("Non précisé")), *SacralPattern.choices],
        required=False,
        help_text=LEVEL_HELP["sacral_pattern"],
    )
    fracture_date = date_field(gettext_lazy("Date de la fracture"), LEVEL_HELP["fracture_date"])
    cause = forms.ChoiceField(
        label=gettext_lazy("Cause"),
        choices=Cause.choices,
        initial=Cause.UNKNOWN,
        required=False,
        help_text=LEVEL_HELP["cause"],
    )
    mri_oedema = forms.NullBooleanField(
        label=gettext_lazy("Œdème osseux à l'IRM"),
        required=False,
        widget=NullBooleanChoice,
        help_text=LEVEL_HELP["mri_oedema"],
    )
    tender_on_percussion = forms.NullBooleanField(
        label=gettext_lazy("Douleur à la percussion de l'épineuse"),
        required=False,
        widget=NullBooleanChoice,
        help_text=LEVEL_HELP["tender_on_percussion"],
    )

    class Meta:
        model = FractureLevel
        fields = [
            "level",
            "sacral_pattern",
            "fracture_date",
            "cause",
            "mri_oedema",
            "tender_on_percussion",
            "posterior_arch_involved",
            "posterior_wall_involved",
            "retropulsion",
        ]
        help_texts = LEVEL_HELP
        labels = {
            "posterior_arch_involved": gettext_lazy("Arc postérieur atteint"),
            "posterior_wall_involved": gettext_lazy("Mur postérieur atteint"),
            "retropulsion": gettext_lazy("Recul du mur postérieur (rétropulsion)"),
        }

    def __init__(self, *args: Any, today: date, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup(today=today, submitting=submitting)
        self.fields["level"].widget.attrs["class"] = "level-select"

    def clean_fracture_date(self) -> date | None:
        value = self.cleaned_data["fracture_date"]
        check_past_date(value, today=self.today, what=_("de la fracture"))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("level") != "S":
            data["sacral_pattern"] = ""  # only the sacrum has a pattern
        data["cause"] = data.get("cause") or Cause.UNKNOWN
        return data

    def validate_unique(self) -> None:
        """Duplicates are checked across rows by the formset, with a clearer message."""


def is_removed(form: forms.BaseForm) -> bool:
    """Not validated, or the GP ticked "Retirer ce niveau" (what BaseFormSet._should_delete_form
    says, without its private name)."""
    return not hasattr(form, "cleaned_data") or bool(form.cleaned_data.get("DELETE"))


class BaseLevelFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.extra = 0 if self.initial else 1

    def live_forms(self) -> list[LevelForm]:
        """Rows the GP kept and filled (after validation)."""
        rows = []
        for form in self.forms:
            if is_removed(form):
                continue
            if form.has_changed() or form.cleaned_data.get("level"):
                rows.append(form)
        return rows

    def clean(self) -> None:
        seen: dict[str, int] = {}
        for index, form in enumerate(self.forms, start=1):
            if is_removed(form):
                continue
            level = form.cleaned_data.get("level")
            if not level:
                continue
            if level in seen:
                form.add_error(
                    "level",
                    _(
                        "Le niveau %(level)s est déjà indiqué (ligne %(first)d) : regroupez les "
                        "informations sur une seule ligne et retirez celle-ci."
                    )
                    % {"level": Level(level).label, "first": seen[level]},
                )
            else:
                seen[level] = index
        if self.submitting and not seen:
            raise ValidationError(
                _("Indiquez au moins un niveau fracturé pour adresser la demande."),
                code="no_level",
            )


LevelFormSet = forms.formset_factory(
    LevelForm,
    formset=BaseLevelFormSet,
    extra=1,
    can_delete=True,
    max_num=len(SPINE_LEVELS),
    validate_max=True,
    absolute_max=len(SPINE_LEVELS),  # a forged TOTAL_FORMS never builds a thousand rows
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
        label=gettext_lazy("Il s'agit bien d'une nouvelle demande pour ce patient"),
        required=False,
    )
    ct_date = date_field(gettext_lazy("Date du scanner"), REFERRAL_HELP["ct_date"])
    mri_date = date_field(gettext_lazy("Date de l'IRM"), REFERRAL_HELP["mri_date"])
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
        label=gettext_lazy("Examen fait à la place de l'IRM"),
        choices=[("", gettext_lazy("Aucun")), *MriAlternative.choices],
        required=False,
        help_text=REFERRAL_HELP["mri_alternative"],
    )
    osteoporosis_treatment = forms.NullBooleanField(
        label=gettext_lazy("Traitement de l'ostéoporose déjà en cours"),
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
        check_past_date(value, today=self.today, what=_("de l'IRM"))
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
