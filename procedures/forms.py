"""Forms of the day of the procedure: the checklist, the override, the report and its addendum.
They validate and normalise; procedures/services/ decide and save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from procedures.choices import Approach, ChecklistItem, CirseGrade, LeakSite
from procedures.services.checklist import ChecklistState
from procedures.services.report import LevelInput, ReportInput
from referrals.choices import Anaesthesia, Level
from scheduling.plan import drug_label

TEXT_MAX = 4000


def _text(label: Any, *, rows: int = 2, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ChecklistForm(forms.Form):
    """The items still to check (those checked are shown with who and when, not here)."""

    items = forms.MultipleChoiceField(
        label=_("À vérifier"),
        choices=ChecklistItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    inr = forms.DecimalField(
        label=_("INR du jour"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("15"),
        decimal_places=2,
        localize=True,
    )

    def __init__(self, *args: Any, state: ChecklistState, vka: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [  # type: ignore[attr-defined]
            (line.item, line.label) for line in state.lines if line.check is None
        ]
        if not vka or ChecklistItem.INR not in state.missing:
            del self.fields["inr"]


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la dérogation"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Indiquez pourquoi le geste a lieu malgré la check-list incomplète.")
        },
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez le texte de l’addendum.")},
    )


class LevelForm(forms.Form):
    """One treated vertebra; a row left without a level is not a level."""

    level = forms.ChoiceField(
        label=_("Niveau"), choices=[("", "—"), *Level.choices], required=False
    )
    approach = forms.ChoiceField(
        label=_("Abord"), choices=Approach.choices, initial=Approach.BIPEDICULAR
    )
    cement = forms.CharField(label=_("Ciment"), max_length=100, initial="PMMA", required=False)
    volume_ml = forms.DecimalField(
        label=_("Volume (mL)"),
        min_value=Decimal("0.1"),
        max_value=Decimal("20"),
        decimal_places=1,
        required=False,
        localize=True,
    )
    leaks = forms.MultipleChoiceField(
        label=_("Fuites de ciment"),
        choices=LeakSite.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leak_symptomatic = forms.BooleanField(label=_("Fuite symptomatique"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("level"):
            if data.get("volume_ml") is None:
                self.add_error("volume_ml", _("Indiquez le volume de ciment injecté."))
            if not (data.get("cement") or "").strip():
                self.add_error("cement", _("Indiquez le ciment utilisé."))
            if data.get("leak_symptomatic") and not data.get("leaks"):
                self.add_error("leaks", _("Une fuite symptomatique : indiquez où."))
        return data


LevelFormSet = forms.formset_factory(LevelForm, extra=0, max_num=8, absolute_max=8)


class ReportForm(forms.Form):
    levels_reason = _text(
        _("Motif de l’écart avec les niveaux prévus"),
        help_text=_("Obligatoire si les niveaux traités ne sont pas ceux prévus."),
    )
    anaesthesia = forms.ChoiceField(label=_("Anesthésie"), choices=Anaesthesia.choices)
    biopsy = forms.BooleanField(label=_("Biopsie réalisée"), required=False)
    biopsy_note = forms.CharField(
        label=_("Biopsie : niveau(x), envoi au laboratoire"), max_length=200, required=False
    )
    complication = forms.ChoiceField(
        label=_("Complication (classification CIRSE)"),
        choices=CirseGrade.choices,
        initial=CirseGrade.NONE,
    )
    complication_note = _text(_("Complication : description et prise en charge"))
    dose_area_product = forms.DecimalField(
        label=_("Produit dose × surface (Gy·cm²)"),
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        decimal_places=2,
        localize=True,
    )
    fluoroscopy_minutes = forms.IntegerField(
        label=_("Temps de scopie : minutes"), min_value=0, max_value=600
    )
    fluoroscopy_seconds = forms.IntegerField(
        label=_("secondes"), min_value=0, max_value=59, initial=0
    )
    equipment = forms.CharField(label=_("Appareil (dose)"), max_length=200)
    conclusion = _text(_("Conclusion"), rows=3)
    discharge_treatments = _text(
        _("Traitements de sortie"),
        rows=3,
        help_text=_("Antalgiques, reprise des traitements habituels…"),
    )
    resume_reason = _text(_("Motif du changement de reprise des antithrombotiques"))
    home_nursing = _text(
        _("Ordonnance de soins infirmiers à domicile"),
        help_text=_("Laisser vide si aucune. Imprimée sur une page à part."),
    )
    physiotherapy = _text(
        _("Ordonnance de kinésithérapie"),
        help_text=_("Laisser vide si aucune. Imprimée sur une page à part."),
    )

    def __init__(self, *args: Any, resume_plan: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resume_plan = resume_plan
        self.fields["equipment"].initial = settings.PROCEDURE_EQUIPMENT
        for drug, day in resume_plan.items():
            self.fields[f"resume_{drug}"] = forms.IntegerField(
                label=_("Reprise de %(drug)s : J+") % {"drug": drug_label(drug)},
                min_value=0,
                max_value=60,
                initial=day,
            )

    def resume_fields(self) -> list[forms.BoundField]:
        return [self[f"resume_{drug}"] for drug in self.resume_plan]

    def to_input(self, levels: list[dict[str, Any]]) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            levels=tuple(
                LevelInput(
                    level=row["level"],
                    approach=row["approach"],
                    cement=row.get("cement") or "",
                    volume_ml=row["volume_ml"],
                    leaks=tuple(row.get("leaks") or ()),
                    leak_symptomatic=bool(row.get("leak_symptomatic")),
                )
                for row in levels
                if row.get("level")
            ),
            levels_reason=data["levels_reason"],
            anaesthesia=data["anaesthesia"],
            biopsy=data["biopsy"],
            biopsy_note=data["biopsy_note"],
            complication=data["complication"],
            complication_note=data["complication_note"],
            dose_area_product=data["dose_area_product"],
            fluoroscopy_seconds=data["fluoroscopy_minutes"] * 60 + data["fluoroscopy_seconds"],
            equipment=data["equipment"],
            conclusion=data["conclusion"],
            discharge_treatments=data["discharge_treatments"],
            resume_days={drug: data[f"resume_{drug}"] for drug in self.resume_plan},
            resume_reason=data["resume_reason"],
            home_nursing=data["home_nursing"],
            physiotherapy=data["physiotherapy"],
        )
