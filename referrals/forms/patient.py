"""The patient's identity as the GP types it (INS traits, contact details)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from referrals.choices import (
    Sex,
)
from referrals.forms.help import PATIENT_HELP
from referrals.models import Patient

if TYPE_CHECKING:
    pass

from referrals.forms.fields import REQUIRED_MARK, StateMixin, date_field
from referrals.validators import (
    check_birth_date,
    clean_insee_code,
    clean_nir,
    clean_phone,
    nir_mismatches,
)


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

    # No format in the help: the browser's date picker shows the order of its own language.
    birth_date = date_field(gettext_lazy("Date de naissance"))
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
