"""What the referral's forms share: date inputs, the yes/no/unknown select, the state a form
keeps (draft or submission) and the limits of free text."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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


class NullBooleanChoice(forms.NullBooleanSelect):
    """Yes / No / Not stated, with words a GP would use."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", gettext_lazy("Non précisé")),
            ("true", gettext_lazy("Oui")),
            ("false", gettext_lazy("Non")),
        ]


def field_anchor(form: forms.BaseForm, name: str) -> str:
    """The id of the element an error summary's link should focus: the first choice of a radio
    group or checkbox list, else the field itself."""
    bound = form[name]
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return str(bound.auto_id)


def error_summary(form: forms.BaseForm, *, form_id: str) -> list[dict[str, str]]:
    """Every error of `form` with the label and id of its field (`form_id` for the others), for
    the summary shown above a refused form."""
    summary = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label).rstrip("*") if field is not None and field.label else ""
        anchor = field_anchor(form, name) if field is not None else form_id
        for message in errors:
            summary.append({"id": anchor, "label": label, "message": str(message)})
    return summary
