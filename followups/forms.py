"""The follow-up questionnaire: the staff's form after a call, and the patient's through their
link (the same questions, in plain words). They validate; followups/services/ save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from followups.models import Channel, Satisfaction, Walking
from followups.services.answers import AnswerInput
from procedures.choices import CirseGrade

YES_NO = [("yes", _("Oui")), ("no", _("Non"))]
PAIN = [(str(n), str(n)) for n in range(11)]


def _yes_no(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Répondez par oui ou par non.")},
    )


class QuestionnaireForm(forms.Form):
    pain_nrs = forms.TypedChoiceField(
        label=_("Votre douleur du dos aujourd’hui, de 0 (aucune) à 10 (la pire imaginable)"),
        choices=PAIN,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "pain-scale"}),
        error_messages={"required": _("Choisissez un chiffre de 0 à 10.")},
    )
    opioids = _yes_no(_("Prenez-vous de la morphine ou un antalgique fort (tramadol, codéine…) ?"))
    walking = forms.ChoiceField(
        label=_("Comment marchez-vous ?"),
        choices=Walking.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la réponse la plus proche.")},
    )
    new_back_pain = _yes_no(_("Avez-vous une nouvelle douleur du dos, à un autre endroit ?"))
    new_fracture = _yes_no(_("Un médecin vous a-t-il parlé d’une nouvelle fracture ?"))
    satisfaction = forms.ChoiceField(
        label=_("Êtes-vous satisfait du geste ?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la réponse la plus proche.")},
    )
    note = forms.CharField(
        label=_("Autre chose à nous dire ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def to_input(self) -> AnswerInput:
        data = self.cleaned_data
        return AnswerInput(
            pain_nrs=data["pain_nrs"],
            opioids=data["opioids"] == "yes",
            walking=data["walking"],
            new_back_pain=data["new_back_pain"] == "yes",
            new_fracture=data["new_fracture"] == "yes",
            satisfaction=data["satisfaction"],
            complication=data.get("complication", ""),
            note=data.get("note", ""),
        )


class StaffFollowUpForm(QuestionnaireForm):
    """The staff's form adds how the answer was collected and the complication grade."""

    channel = forms.ChoiceField(
        label=_("Recueilli par"),
        choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.VISIT, Channel.VISIT.label)],
        initial=Channel.PHONE,
    )
    complication = forms.ChoiceField(
        label=_("Complication (classification CIRSE)"),
        choices=CirseGrade.choices,
        initial=CirseGrade.NONE,
    )

    field_order = [
        "channel",
        "pain_nrs",
        "opioids",
        "walking",
        "new_back_pain",
        "new_fracture",
        "complication",
        "satisfaction",
        "note",
    ]
