"""What a draft keeps of a form that has errors (« Enregistrez un brouillon à tout moment »).

A value our checks refuse but its field can read (a NIR whose key is wrong, a date in the future,
a fracture before the birth date) is kept exactly as typed in `Referral.draft_values`, its column
left blank: the engine's facts and the shared patient record only ever hold checked values, and
sending the referral refuses it until it is corrected. A value its field cannot read at all (a pain
score of 14, a date that is no date, a platelet count of 90 000) fits no column: it is not kept, and
the page says so. The form comes back from the stored values with the kept ones on top, bound, so
that their errors show again when the GP reopens the draft.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from referrals.forms.levels import is_removed
from referrals.services.drafts import ReferralInput

if TYPE_CHECKING:
    from referrals.forms.bundle import ReferralFormBundle


def _readable(form: forms.BaseForm, name: str) -> bool:
    """Whether the field alone accepts what was typed (only our checks refused it)."""
    field = form.fields[name]
    if isinstance(field, forms.FileField):
        return False
    try:
        field.clean(form[name].data)
    except ValidationError:
        return False
    return True


def _typed(form: forms.BaseForm, name: str) -> Any:
    """The raw value as posted: a string, or a list for a multiple choice."""
    value = form[name].data
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    return "" if value is None else str(value)


def _empty(field: forms.Field) -> Any:
    try:
        return field.to_python("")
    except ValidationError:
        return None


def draft_input(bundle: ReferralFormBundle) -> tuple[ReferralInput, set[str]]:
    """The service input of a draft from a bundle validated in draft mode, and the ids of the
    fields whose value is not kept (for the page to say so)."""
    kept: dict[str, Any] = {}
    lost: set[str] = set()

    def split(form: forms.BaseForm, values: dict[str, Any], key: str) -> None:
        for name in form.errors:
            if name not in form.fields:
                continue
            if name != "level" and _readable(form, name):
                kept[key.format(name=name, prefix=form.prefix)] = _typed(form, name)
                values[name] = _empty(form.fields[name])
            else:
                lost.add(str(form[name].auto_id))

    patient = dict(getattr(bundle.patient, "cleaned_data", {}))
    split(bundle.patient, patient, "{prefix}-{name}")
    facts = dict(getattr(bundle.facts, "cleaned_data", {}))
    split(bundle.facts, facts, "{prefix}-{name}")
    levels = []
    for form in bundle.levels.forms:
        if is_removed(form):
            continue
        row = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        if not row.get("level"):
            if form.has_changed():
                lost.update(str(form[name].auto_id) for name in form.errors if name in form.fields)
            continue
        split(form, row, "levels:" + row["level"] + ":{name}")
        levels.append(row)
    data = ReferralInput(
        patient=patient, facts=facts, levels=levels, uploads=bundle.uploads(), draft_values=kept
    )
    return data, lost


def stored_form_data(bundle: ReferralFormBundle, draft_values: dict[str, Any]) -> QueryDict:
    """What the unbound `bundle` (built from a stored draft) would post, with the values kept as
    typed put back in their fields."""
    data = QueryDict(mutable=True)
    level_index: dict[str, int] = {}
    for form in [bundle.patient, bundle.facts, *bundle.levels.forms]:
        for bound in form:
            if isinstance(bound.field, forms.FileField):
                continue
            _post(data, bound)
        level = form.initial.get("level") if form.prefix.startswith("levels-") else None
        if level:
            level_index[level] = int(form.prefix.split("-")[1])
    for bound in bundle.levels.management_form:
        _post(data, bound)
    for key, value in draft_values.items():
        if key.startswith("levels:"):
            _, level, name = key.split(":", 2)
            if level not in level_index:
                continue
            key = f"levels-{level_index[level]}-{name}"
        if isinstance(value, list):
            data.setlist(key, value)
        elif value == "" and key in data:
            del data[key]
        else:
            data[key] = value
    return data


def _post(data: QueryDict, bound: forms.BoundField) -> None:
    widget, value = bound.field.widget, bound.value()
    name = bound.html_name
    if isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
    elif isinstance(widget, forms.NullBooleanSelect):
        data[name] = {True: "true", False: "false"}.get(value, "unknown")
    elif getattr(widget, "allow_multiple_selected", False):
        data.setlist(name, [str(v) for v in value or []])
    else:
        formatted = widget.format_value(value)
        if isinstance(formatted, list):  # a select or radio group: the chosen value, in a list
            data.setlist(name, [str(v) for v in formatted][:1])
        else:
            data[name] = "" if formatted is None else str(formatted)
