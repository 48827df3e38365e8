"""One form per decision. Forms validate and normalise what the radiologist typed; the services in
referrals/services/decisions.py decide and save. Error messages say what is wrong and how to
fix it."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Layout
from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from eligibility.engine import OPTION_LABELS
from referrals.choices import Anaesthesia, DecisionKind, Stay
from referrals.forms.fields import error_summary
from referrals.forms.medication_plan import MedicationPlanFields
from referrals.models import Referral
from referrals.pages.presentation import verdict_label
from referrals.services.decisions import EngineBasis, is_against_engine

JUSTIFICATION_HELP = gettext_lazy(
    "Conservée avec la décision ; elle figure dans le rapport d’indication."
)


class DecisionForm(forms.Form):
    """What every decision form shares: the decision it was based on and the justification."""

    kind: str = ""
    # The decision in force when the page was shown; a newer one means someone else decided.
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    justification = forms.CharField(
        label=gettext_lazy("Justification de l’écart avec l’avis du moteur"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=JUSTIFICATION_HELP,
    )
    layout_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, referral: Referral, basis: EngineBasis, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("based_on", referral.current_decision_id)
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.basis = basis

    @property
    def helper(self) -> FormHelper:
        """Laid out when rendered, from the fields a subclass kept (an option the engine does not
        list is removed after this class's __init__)."""
        helper = FormHelper()
        helper.form_tag = False
        helper.layout = Layout(
            *(
                HTML(self.templates[name]) if name in self.templates else Field(name)
                for name in self.layout_fields
                if (name in self.fields or name in self.templates)
                and (name != "justification" or self.shows_justification)
            ),
            "based_on",
        )
        return helper

    # Parts of the layout rendered by a template of their own, by name.
    templates: dict[str, str] = {}

    def service_input(self) -> dict[str, Any]:
        """What the decision's service takes (keyword arguments), from the cleaned data."""
        return {k: v for k, v in self.cleaned_data.items() if k != "based_on"}

    def against_engine(self, data: dict[str, Any] | None = None) -> bool:
        data = self.cleaned_data if data is None else data
        return is_against_engine(
            kind=self.kind,
            verdict=self.basis.verdict,
            levels_to_treat=data.get("levels_to_treat") or (),
            engine_levels=self.basis.levels_to_treat,
        )

    @property
    def override_expected(self) -> bool:
        """Whether, as first shown, the decision would go against the engine."""
        return "justification" in self.fields and self.against_engine(
            {"levels_to_treat": self.initial.get("levels_to_treat") or ()}
        )

    @property
    def shows_justification(self) -> bool:
        """The justification box (and its warning) shows only when the decision goes against
        the engine: as first shown, or as posted, or when something was typed in it."""
        if "justification" not in self.fields:
            return False
        if not self.is_bound:
            return self.override_expected
        if "justification" in self.errors:
            return True
        if str(self.data.get(self.add_prefix("justification")) or "").strip():
            return True
        cleaned = getattr(self, "cleaned_data", None)
        return self.against_engine(cleaned) if cleaned is not None else self.override_expected

    def error_summary(self) -> list[dict[str, str]]:
        return error_summary(self, form_id="decision-form")

    @property
    def engine_verdict_label(self) -> str:
        return verdict_label(self.basis.verdict)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing = not (cleaned.get("justification") or "").strip()
        if "justification" in self.fields and missing and self.against_engine(cleaned):
            self.add_error(
                "justification",
                _(
                    "Le moteur conclut « %(verdict)s » : votre décision s’en écarte. "
                    "Expliquez ici pourquoi ; cette justification est conservée avec la décision."
                )
                % {"verdict": self.engine_verdict_label},
            )
        return cleaned


class AcceptForm(DecisionForm, MedicationPlanFields):
    kind = DecisionKind.ACCEPT
    levels_to_treat = forms.MultipleChoiceField(
        label=gettext_lazy("Niveaux à traiter"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Cochez au moins un niveau à traiter."),
            "invalid_choice": gettext_lazy(
                "Le niveau %(value)s ne fait pas partie de cette demande."
            ),
        },
    )
    stay = forms.ChoiceField(
        label=gettext_lazy("Séjour"),
        choices=Stay.choices,
        widget=forms.RadioSelect,
        initial=Stay.DAY_HOSPITAL,
        error_messages={"required": gettext_lazy("Choisissez hôpital de jour ou une nuit.")},
    )
    anaesthesia = forms.ChoiceField(
        label=gettext_lazy("Anesthésie"),
        choices=Anaesthesia.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez le type d’anesthésie.")},
    )
    message_to_gp = forms.CharField(
        label=gettext_lazy("Message au médecin (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=gettext_lazy("Figure dans le courrier de décision adressé au médecin."),
    )
    option = forms.ChoiceField(
        label=gettext_lazy("Traitements antithrombotiques"),
        widget=forms.RadioSelect,
        required=False,
        help_text=gettext_lazy(
            "Le moteur propose une autre façon de faire : la réservation et la convocation "
            "suivront le plan choisi."
        ),
    )
    layout_fields = (
        "levels_to_treat",
        "stay",
        "anaesthesia",
        "option",
        "medication_plan",
        "message_to_gp",
        "justification",
    )
    templates = {"medication_plan": '{% include "referrals/includes/plan_editor.html" %}'}

    def __init__(self, *args: Any, referral: Referral, basis: EngineBasis, **kwargs: Any) -> None:
        levels = [lv.level for lv in referral.levels_in_order()]
        initial = kwargs.setdefault("initial", {})
        engine_levels = [lv for lv in basis.levels_to_treat if lv in levels]
        initial.setdefault("levels_to_treat", engine_levels)
        initial.setdefault("anaesthesia", referral.anaesthesia)
        super().__init__(*args, referral=referral, basis=basis, **kwargs)
        retained = set(basis.levels_to_treat)
        not_retained = _("%(level)s (non retenu par le moteur)")
        field = cast(forms.MultipleChoiceField, self.fields["levels_to_treat"])
        field.choices = [
            (lv, lv if lv in retained else not_retained % {"level": lv}) for lv in levels
        ]
        options = option_choices(basis.output)
        if options:
            cast(forms.ChoiceField, self.fields["option"]).choices = options
            self.fields["option"].initial = ""
        else:
            del self.fields["option"]
        self.add_plan_fields(basis.output.get("medication_plan") or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_plan(cleaned)
        return cleaned

    def service_input(self) -> dict[str, Any]:
        plan_fields = set(self.plan_field_names) - {"plan_reason"}
        return {k: v for k, v in super().service_input().items() if k not in plan_fields}


def option_choices(output: dict[str, Any]) -> list[tuple[str, str]]:
    """The engine's plan, then each option it lists (« poursuivre le clopidogrel »), with the
    verdict and dates each would give; empty when the engine lists none."""
    lang = "en" if (get_language() or "fr").startswith("en") else "fr"
    found = []
    for option in output.get("options") or []:
        label = OPTION_LABELS.get(option.get("id"), {}).get(lang, option.get("id"))
        found.append(
            (
                str(option["id"]),
                _("%(label)s : %(verdict)s, geste possible dès le %(earliest)s")
                % {
                    "label": label,
                    "verdict": verdict_label(option.get("verdict", "")),
                    "earliest": _short_date(option.get("earliest_procedure_date")),
                },
            )
        )
    if not found:
        return []
    default = _("Plan du moteur (arrêts prévus) : geste possible dès le %(earliest)s") % {
        "earliest": _short_date(output.get("earliest_procedure_date"))
    }
    return [("", default), *found]


def _short_date(value: Any) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if isinstance(value, str) else "—"


class DeclineForm(DecisionForm):
    kind = DecisionKind.DECLINE
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=gettext_lazy("Figure dans le courrier adressé au médecin."),
        error_messages={
            "required": gettext_lazy("Indiquez le motif du refus : il est expliqué au médecin.")
        },
    )
    message_to_gp = AcceptForm.base_fields["message_to_gp"]
    layout_fields = ("reason", "message_to_gp", "justification")


class RequestInformationForm(DecisionForm):
    kind = DecisionKind.REQUEST_INFORMATION
    message_to_gp = forms.CharField(
        label=gettext_lazy("Informations demandées au médecin"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=gettext_lazy(
            "Le médecin reçoit un e-mail l’invitant à compléter la demande puis à la renvoyer."
        ),
        error_messages={
            "required": gettext_lazy("Écrivez au médecin ce qu’il doit préciser ou joindre.")
        },
    )
    layout_fields = ("message_to_gp",)

    def __init__(self, *args: Any, referral: Referral, basis: EngineBasis, **kwargs: Any) -> None:
        super().__init__(*args, referral=referral, basis=basis, **kwargs)
        del self.fields["justification"]  # asking never goes against the engine


class RedirectSurgeryForm(DecisionForm):
    kind = DecisionKind.REDIRECT_SURGERY
    reason = forms.CharField(
        label=gettext_lazy("Motif de l’orientation chirurgicale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=gettext_lazy(
            "Figure dans le courrier d’orientation (atteinte de l’arc postérieur, déficit "
            "neurologique…)."
        ),
        error_messages={
            "required": gettext_lazy(
                "Indiquez le motif de l’orientation : il figure dans le courrier au chirurgien."
            )
        },
    )
    message_to_gp = AcceptForm.base_fields["message_to_gp"]
    layout_fields = ("reason", "message_to_gp", "justification")

    def __init__(self, *args: Any, referral: Referral, basis: EngineBasis, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        if basis.surgical_findings:
            initial.setdefault(
                "reason", "\n".join(surgical_reason(f) for f in basis.surgical_findings)
            )
        super().__init__(*args, referral=referral, basis=basis, **kwargs)


def surgical_reason(finding: dict[str, Any]) -> str:
    """A first draft of the letter's reason from an engine finding (the radiologist edits it)."""
    if finding.get("level"):
        return f"{finding['level']} : {finding['message']}"
    return str(finding["message"])


FORMS: dict[str, type[DecisionForm]] = {
    DecisionKind.ACCEPT: AcceptForm,
    DecisionKind.DECLINE: DeclineForm,
    DecisionKind.REQUEST_INFORMATION: RequestInformationForm,
    DecisionKind.REDIRECT_SURGERY: RedirectSurgeryForm,
}

__all__ = ["FORMS", "AcceptForm", "DeclineForm", "RedirectSurgeryForm", "RequestInformationForm"]
