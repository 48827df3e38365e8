"""The fractured levels of a referral: one form per level, in a formset."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referrals.choices import (
    SPINE_LEVELS,
    Cause,
    Level,
    SacralPattern,
)
from referrals.forms.help import LEVEL_HELP
from referrals.models import FractureLevel

if TYPE_CHECKING:
    pass

from referrals.forms.fields import NullBooleanChoice, StateMixin, date_field
from referrals.validators import (
    check_past_date,
)


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
        label=gettext_lazy("Œdème osseux à l’IRM"),
        required=False,
        widget=NullBooleanChoice,
        help_text=LEVEL_HELP["mri_oedema"],
    )
    tender_on_percussion = forms.NullBooleanField(
        label=gettext_lazy("Douleur à la percussion de l’épineuse"),
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
