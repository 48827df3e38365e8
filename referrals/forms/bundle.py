"""The referral page as one unit: patient, facts, levels, attachments and, after a request for
information, the GP's reply. Binds every form, checks across them and yields the service input."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.errors import DomainError
from referrals.choices import IMAGING_REPORT_FACT, AttachmentKind, Sex, Status
from referrals.forms.draft_values import draft_input, stored_form_data
from referrals.forms.fields import field_anchor
from referrals.forms.levels import BaseLevelFormSet, LevelFormSet, is_removed
from referrals.forms.patient import PatientForm
from referrals.forms.referral import ReferralForm
from referrals.models import FACT_FIELDS, LEVEL_FIELDS, FractureLevel, Patient, Referral
from referrals.services.drafts import ReferralInput, Upload
from referrals.services.patients import identity_for_gp
from referrals.validators import attachment_content_type

MAX_FILES_PER_KIND = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsForm(forms.Form):
    """One file field per kind of document; each file is checked on its own so that a refused
    file does not take the good ones down with it (`uploads` holds those)."""

    KIND_FIELDS = {
        "ct_report": AttachmentKind.CT_REPORT,
        "mri_report": AttachmentKind.MRI_REPORT,
        "letter": AttachmentKind.LETTER,
        "other": AttachmentKind.OTHER,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in self.KIND_FIELDS.items():
            self.fields[name] = forms.FileField(
                label=kind.label,
                required=False,
                widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
                help_text=gettext_lazy("PDF, JPEG ou PNG, 20 Mo au plus par fichier."),
            )
        self.uploads: list[tuple[str, Any]] = []

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        for name, kind in self.KIND_FIELDS.items():
            self.errors.pop(name, None)
            files = self.files.getlist(f"{self.add_prefix(name)}") if self.files else []
            if len(files) > MAX_FILES_PER_KIND:
                self.add_error(
                    name,
                    _("Envoyez au plus %(max)d fichiers à la fois.") % {"max": MAX_FILES_PER_KIND},
                )
                continue
            for upload in files:
                try:
                    attachment_content_type(upload)
                except ValidationError as error:
                    self.add_error(name, error)
                else:
                    self.uploads.append((str(kind), upload))

    @property
    def file_field_names(self) -> list[str]:
        return [self.add_prefix(name) for name in self.KIND_FIELDS]


class ReplyForm(forms.Form):
    """The GP's answer to the radiologist's question, sent with the resubmission."""

    reply = forms.CharField(
        label=gettext_lazy("Votre réponse au radiologue"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Répondez à la question ci-dessus, ou modifiez les champs concernés (ou les deux) : "
            "la demande ne peut pas être renvoyée telle quelle."
        ),
    )


class ReferralFormBundle:
    """The whole referral page: patient, facts, levels, attachments (and the reply to a request
    for information). Binds, validates across forms and yields the service input."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        referral: Referral | None,
        today: date,
        submitting: bool = False,
    ) -> None:
        # What this GP typed, never a record shared with other GPs' referrals (security row 5).
        identity = identity_for_gp(referral) if referral is not None else {}
        self.referral = referral
        self.today = today
        self.submitting = submitting
        self.patient = PatientForm(
            data,
            prefix="patient",
            initial=identity or None,
            today=today,
            submitting=submitting,
        )
        self.facts = ReferralForm(
            data,
            prefix="facts",
            initial=model_to_dict(referral, FACT_FIELDS) if referral else None,
            today=today,
            submitting=submitting,
        )
        levels = (
            [model_to_dict(lv, LEVEL_FIELDS) for lv in referral.levels_in_order()]
            if referral is not None and referral.pk
            else []
        )
        self.levels: BaseLevelFormSet = LevelFormSet(  # type: ignore[call-arg,assignment]
            data,
            prefix="levels",
            # Bound, every posted row counts (levels are replaced as a whole): comparing with
            # stored rows would let a stale page's unchanged rows be skipped.
            initial=(levels or None) if data is None else None,
            submitting=submitting,
            form_kwargs={"today": today, "submitting": submitting},
        )
        self.attachments = AttachmentsForm(data, files, prefix="files")
        self.needs_reply = referral is not None and referral.status == Status.INFO_REQUESTED
        self.reply = ReplyForm(data, prefix="reply")
        self._valid: bool | None = None

    @classmethod
    def for_referral(cls, referral: Referral | None, *, today: date) -> ReferralFormBundle:
        """The form as first shown: blank, or a stored referral's values. A draft that keeps
        values to correct comes back bound to them, so that their errors show again."""
        bundle = cls(referral=referral, today=today)
        if referral is None or not referral.draft_values:
            return bundle
        data = stored_form_data(bundle, referral.draft_values)
        return cls(data, referral=referral, today=today)

    def draft_input(self) -> tuple[ReferralInput, set[str]]:
        """What a draft keeps of the form as typed (validated in draft mode), and the ids of the
        fields whose value it cannot keep (forms/draft_values.py)."""
        self.is_valid()
        return draft_input(self)

    @property
    def forms(self) -> list[forms.BaseForm]:
        return [self.patient, self.facts, *self.levels.forms, self.attachments, self.reply]

    def is_valid(self) -> bool:
        if self._valid is None:
            valid = all(
                [
                    self.patient.is_valid(),
                    self.facts.is_valid(),
                    self.levels.is_valid(),
                    self.attachments.is_valid(),
                    self.reply.is_valid(),
                ]
            )
            self._cross_check()
            self._valid = valid and not self.patient.errors and not self.facts.errors
            self._valid = self._valid and not any(f.errors for f in self.levels.live_forms())
        return self._valid

    def _cross_check(self) -> None:
        """Checks that span forms: pregnancy and sex, fracture dates and birth date; an attached
        CT or MRI report ticks its exam's box, as an exam date does."""
        patient = getattr(self.patient, "cleaned_data", {})
        facts = getattr(self.facts, "cleaned_data", {})
        if facts:
            for kind in self._attached_kinds() & IMAGING_REPORT_FACT.keys():
                facts[IMAGING_REPORT_FACT[kind][0]] = True
        if facts.get("pregnant") and patient.get("sex") == Sex.M:
            self.facts.add_error(
                "pregnant",
                _(
                    "Grossesse cochée pour un patient de sexe masculin : corrigez le sexe ou "
                    "décochez la grossesse."
                ),
            )
        birth_date = patient.get("birth_date")
        for form in self.levels.live_forms():
            fracture_date = form.cleaned_data.get("fracture_date")
            if birth_date and fracture_date and fracture_date < birth_date:
                form.add_error(
                    "fracture_date",
                    _("La date de la fracture précède la date de naissance : vérifiez l’année."),
                )

    def _attached_kinds(self) -> set[str]:
        """The kinds of document this post adds and the referral already holds."""
        kinds = {kind for kind, _file in self.attachments.uploads}
        if self.referral is not None and self.referral.pk:
            kinds.update(self.referral.attachments.values_list("kind", flat=True))
        return kinds

    def add_domain_error(self, error: DomainError) -> None:
        """A refusal found while saving (the referral is incomplete, or a duplicate to confirm):
        on the form that holds its field, else at the top of the page."""
        for form in (self.patient, self.facts, self.reply):
            if error.field in form.fields:
                form.add_error(error.field, error.message)
                break
        else:
            self.patient.add_error(None, error.message)
        self._valid = False

    def service_input(self) -> ReferralInput:
        return ReferralInput(
            patient=dict(self.patient.cleaned_data),
            facts=dict(self.facts.cleaned_data),
            levels=[
                {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
                for form in self.levels.live_forms()
            ],
            uploads=self.uploads(),
        )

    def uploads(self) -> list[Upload]:
        return [Upload(kind=kind, file=file) for kind, file in self.attachments.uploads]

    @property
    def confirms_new_referral(self) -> bool:
        return bool(getattr(self.facts, "cleaned_data", {}).get("confirm_new_referral"))

    @property
    def asks_new_referral_confirmation(self) -> bool:
        return "confirm_new_referral" in self.facts.errors or self.confirms_new_referral

    @property
    def reply_text(self) -> str:
        return str(getattr(self.reply, "cleaned_data", {}).get("reply", "")).strip()

    def preview_objects(self) -> tuple[Referral, list[FractureLevel], Patient]:
        """Unsaved objects built from the valid values typed so far, for the live panel."""
        self.is_valid()
        levels = [form.instance for form in self.levels.live_forms() if form.instance.level]
        return self.facts.instance, levels, self.patient.instance

    def refused_fracture_dates(self) -> dict[str, str]:
        """Level → why the fracture date typed for it was refused (a date in the future…)."""
        self.is_valid()
        refused = {}
        for form in self.levels.live_forms():
            level = form.cleaned_data.get("level")
            if level and "fracture_date" in form.errors:
                refused[level] = str(form.errors["fracture_date"][0])
        return refused

    def has_invalid_values(self) -> bool:
        return self.is_bound and not self.is_valid()

    @property
    def is_bound(self) -> bool:
        return self.patient.is_bound

    def error_summary(self) -> list[dict[str, str]]:
        """Every error with the id of its field, for the summary at the top of the page."""
        summary: list[dict[str, str]] = []
        level_forms = {id(f): n for n, f in enumerate(self.levels.forms, start=1)}
        for form in [self.patient, self.facts, *self.levels.forms, self.attachments, self.reply]:
            if id(form) in level_forms and is_removed(form):
                continue
            prefix = ""
            if id(form) in level_forms:
                prefix = _("Niveau n° %(n)d") % {"n": level_forms[id(form)]} + " — "
            for name, errors in form.errors.items():
                field = form.fields.get(name)
                label = str(field.label).rstrip("*") if field is not None else _("Formulaire")
                anchor = field_anchor(form, name) if field is not None else "referral-form"
                for message in errors:
                    summary.append({"id": anchor, "label": prefix + label, "message": str(message)})
        for message in self.levels.non_form_errors():
            summary.append(
                {"id": "levels", "label": _("Niveaux fracturés"), "message": str(message)}
            )
        return summary
