"""Forms of the secretary's pages. They validate and normalise; services decide and save."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from clinic.models import Role, User
from notifications.choices import Channel
from referrals.models import Referral
from scheduling.models import (
    ChangeReason,
    DaySession,
    ImagingAppointment,
    LateCause,
    Modality,
    minutes_of,
)
from scheduling.public_holidays import holiday_name
from scheduling.services.sessions import SessionSpec, holiday_refusal, past_session_refusal
from scheduling.windows import BookingPlan, day_label

WEEKDAYS = [
    (0, _("Lundi")),
    (1, _("Mardi")),
    (2, _("Mercredi")),
    (3, _("Jeudi")),
    (4, _("Vendredi")),
    (5, _("Samedi")),
]
MAX_TEMPLATE_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


# How far ahead the desk plans: a session or an exam further away is a typo (2062 for 2026).
PLANNING_HORIZON_DAYS = 2 * 366


class PlanningDateField(forms.DateField):
    """A day of the planning: a readable date no further than PLANNING_HORIZON_DAYS ahead."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Saisissez une date valide, par exemple 08/12/2026."),
    }

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value > timezone.localdate() + dt.timedelta(days=PLANNING_HORIZON_DAYS):
            raise forms.ValidationError(
                _("Cette date est trop lointaine : le planning s’ouvre sur deux ans au plus."),
                code="too_far",
            )


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class RadiologistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class SessionFieldsForm(forms.Form):
    """The fields every session has, whatever its date."""

    room = forms.CharField(
        label=_("Salle"), max_length=60, initial=_("Salle d’intervention 1"), strip=True
    )
    radiologist = RadiologistChoiceField(
        label=_("Radiologue"),
        queryset=User.objects.none(),
        empty_label=_("— choisir —"),
        error_messages={"required": _("Choisissez le radiologue de la séance.")},
    )
    start_time = forms.TimeField(label=_("Début"), widget=TimeInput(), initial="08:00")
    end_time = forms.TimeField(label=_("Fin"), widget=TimeInput(), initial="13:00")
    procedure_minutes = forms.IntegerField(
        label=_("Minutes de geste disponibles"),
        min_value=1,
        initial=240,
        help_text=_(
            "Temps de salle pour les gestes : 30 min pour 1 vertèbre, 60 pour 2, 90 pour 3."
        ),
    )
    day_places = forms.IntegerField(label=_("Places d’hôpital de jour"), min_value=0, initial=4)
    overnight_beds = forms.IntegerField(label=_("Lits pour une nuit"), min_value=0, initial=1)
    notes = forms.CharField(
        label=_("Remarques"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        radiologists = User.objects.filter(role=Role.RADIOLOGIST, is_active=True).order_by(
            "last_name", "first_name"
        )
        field = self.fields["radiologist"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = radiologists
        if not self.is_bound and "radiologist" not in self.initial:
            only = list(radiologists[:2])
            if len(only) == 1:  # a clinic with one radiologist: nothing to choose
                self.initial["radiologist"] = only[0].pk
        for name in ("start_time", "end_time"):
            self.fields[name].error_messages["invalid"] = _(
                "Saisissez une heure au format HH:MM, par exemple 08:30."
            )
        for name in ("procedure_minutes", "day_places", "overnight_beds"):
            self.fields[name].error_messages.update(
                {
                    "min_value": _("Saisissez un nombre positif."),
                    "invalid": _("Saisissez un nombre entier."),
                    "required": _("Ce nombre est obligatoire (0 s’il n’y en a pas)."),
                }
            )
        self.fields["procedure_minutes"].error_messages["min_value"] = _(
            "Prévoyez au moins 1 minute de geste (30 minutes par vertèbre)."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error(
                "end_time",
                _("L’heure de fin (%(end)s) doit être après l’heure de début (%(start)s).")
                % {"end": end.strftime("%H:%M"), "start": start.strftime("%H:%M")},
            )
        elif start and end and data.get("procedure_minutes"):
            length = minutes_of(end) - minutes_of(start)
            if data["procedure_minutes"] > length:
                self.add_error(
                    "procedure_minutes",
                    _(
                        "La séance dure %(length)d minutes : les minutes de geste ne peuvent "
                        "pas dépasser cette durée."
                    )
                    % {"length": length},
                )
        if data.get("day_places") == 0 and data.get("overnight_beds") == 0:
            self.add_error(
                "day_places",
                _("Prévoyez au moins une place d’hôpital de jour ou un lit pour une nuit."),
            )
        return data

    def spec(self) -> SessionSpec:
        data = self.cleaned_data
        return SessionSpec(
            room=data["room"],
            radiologist=data["radiologist"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            procedure_minutes=data["procedure_minutes"],
            day_places=data["day_places"],
            overnight_beds=data["overnight_beds"],
            notes=data.get("notes") or "",
        )


class SessionForm(SessionFieldsForm):
    """One session on one date."""

    date = PlanningDateField(
        label=_("Date"),
        help_text=_(
            "Une date passée (31 jours au plus) enregistre une séance qui a eu lieu : vous y "
            "noterez ensuite les patients venus."
        ),
    )
    field_order = ["date", "room", "radiologist", "start_time", "end_time"]

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        today = timezone.localdate()
        # A past session records what happened (on a holiday too); a session to come is planned.
        refusal = past_session_refusal(day, today=today) if day < today else holiday_refusal(day)
        if refusal:
            raise forms.ValidationError(refusal)
        return day


class SessionEditForm(SessionFieldsForm):
    """Change a session (its date stays: move patients rather than the session)."""

    @classmethod
    def for_session(cls, session: DaySession) -> SessionEditForm:
        return cls(
            initial={
                "room": session.room,
                "radiologist": session.radiologist_id,
                "start_time": session.start_time,
                "end_time": session.end_time,
                "procedure_minutes": session.procedure_minutes,
                "day_places": session.day_places,
                "overnight_beds": session.overnight_beds,
                "notes": session.notes,
            }
        )


class SessionMoveForm(forms.Form):
    """Move a session and its patients to another day (scheduling/services/session_move.py)."""

    day = PlanningDateField(
        label=_("Nouveau jour"),
        error_messages={"required": _("Indiquez le jour où déplacer la séance.")},
    )
    confirm_outside_ideal = forms.BooleanField(
        label=_("Je confirme ce jour même s’il dépasse la date cible de certains patients."),
        required=False,
    )


def referral_choice_label(*, patient: str, birth_date: dt.date | None, number: int) -> str:
    """« DUPONT Jeanne · 12/03/1941 · demande n° 42 »: an accepted referral in a list to choose
    from (the form's field and the day view's options, scheduling/pages/day.py)."""
    born = f" · {birth_date:%d/%m/%Y}" if birth_date else ""
    return _("%(patient)s%(born)s · demande n° %(number)s") % {
        "patient": patient,
        "born": born,
        "number": number,
    }


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return referral_choice_label(
            patient=str(obj.patient), birth_date=obj.patient.birth_date, number=obj.pk
        )


class RecordArrivalForm(forms.Form):
    """A patient who came to a past session (or today's) without being booked beforehand: the
    day view's one form, under its sessions."""

    session = forms.ModelChoiceField(
        label=_("Séance"),
        queryset=DaySession.objects.none(),
        error_messages={
            "required": _("Choisissez la séance à laquelle le patient est venu."),
            "invalid_choice": _(
                "Cette séance n’est pas passée ou n’existe plus : rechargez la journée."
            ),
        },
    )
    referral = ReferralChoiceField(
        label=_("Patient venu"),
        queryset=Referral.objects.none(),
        empty_label=_("— choisir une indication acceptée —"),
        error_messages={
            "required": _("Choisissez le patient venu dans la liste des indications acceptées."),
            "invalid_choice": _(
                "Cette demande n’est plus à programmer : rechargez la page et choisissez-en une "
                "autre."
            ),
        },
    )

    def __init__(self, *args: Any, sessions: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("session", sessions), ("referral", choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class SessionTemplateForm(SessionFieldsForm):
    """The same session on chosen weekdays over a date range."""

    first_day = PlanningDateField(label=_("Du"))
    last_day = PlanningDateField(label=_("Au (inclus)"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Jours de la semaine"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un jour de la semaine.")},
    )
    field_order = ["first_day", "last_day", "weekdays"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("first_day"), data.get("last_day")
        if first and first < timezone.localdate():
            self.add_error(
                "first_day", _("Cette date est passée : commencez aujourd’hui au plus tôt.")
            )
        if first and last:
            if last < first:
                self.add_error("last_day", _("La date de fin doit être après la date de début."))
            elif (last - first).days > MAX_TEMPLATE_DAYS:
                self.add_error(
                    "last_day",
                    _("Créez les séances d’une année au plus à la fois (jusqu’au %(max)s).")
                    % {"max": day_label(first + timedelta(days=MAX_TEMPLATE_DAYS))},
                )
        return data


class BookingForm(forms.Form):
    """Choose a proposed session; confirm when it is after the target date; record how the
    patient agrees to be contacted (the page lists the confirmed details of each channel)."""

    session = forms.ModelChoiceField(
        label=_("Séance"),
        queryset=DaySession.objects.all(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une séance dans la liste."),
            "invalid_choice": _("Cette séance n’existe plus : choisissez-en une autre."),
        },
    )
    confirm_outside_ideal = forms.BooleanField(
        label=_("Je confirme une date après la date cible (délai idéal dépassé)."),
        required=False,
    )
    late_cause = forms.ChoiceField(
        label=_("Pourquoi pas plus tôt"),
        choices=[("", "—"), *LateCause.choices],
        required=False,
    )

    def __init__(self, *args: Any, plan: BookingPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self) -> dict[str, Any]:
        """A date confirmed after the target says why it is not earlier: the quality dashboard
        counts the reason (« why the ideal window was missed »)."""
        super().clean()
        data = self.cleaned_data
        session = data.get("session")
        if (
            self.plan is not None
            and session is not None
            and data.get("confirm_outside_ideal")
            and not data.get("late_cause")
            and not self.plan.in_target(session.date)
        ):
            self.add_error(
                "late_cause",
                _(
                    "Indiquez pourquoi le patient n’est pas programmé plus tôt : pas de place "
                    "dans le délai, demande du patient ou autre raison."
                ),
            )
        return data

    contact_channel = forms.ChoiceField(
        label=_("Le patient accepte d’être prévenu par"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Demandez au patient comment il accepte d’être prévenu (e-mail, SMS ou aucun "
                "message) et cochez sa réponse."
            ),
            "invalid_choice": _("Choisissez l’e-mail, le SMS ou aucun message."),
        },
    )


REASON_KIND_ERRORS = {
    "invalid_choice": _("Choisissez une des trois raisons."),
}


def reason_kind_field(label: StrOrPromise, required_message: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=ChangeReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, **REASON_KIND_ERRORS},
    )


class RescheduleForm(BookingForm):
    # The patient's choice of messages stays as recorded when they were booked.
    contact_channel = None  # type: ignore[assignment]
    reason_kind = reason_kind_field(
        _("Raison du déplacement"),
        _("Indiquez la raison du déplacement : demande du patient, de la clinique ou médicale."),
    )
    reason = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason_kind = reason_kind_field(
        _("Raison de l’annulation"),
        _("Indiquez la raison de l’annulation : demande du patient, de la clinique ou médicale."),
    )
    reason = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ImagingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l’annulation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Indiquez le motif de l’annulation (par exemple : demande du patient).")
        },
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la clôture"),
        max_length=1000,
        help_text=_("Le radiologue et le médecin adresseur le liront dans l’historique."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _(
                "Indiquez le motif de la clôture (par exemple : le patient a renoncé au geste)."
            )
        },
    )


class ImagingAppointmentForm(forms.Form):
    modality = forms.ChoiceField(label=_("Examen"), choices=Modality.choices)
    day = PlanningDateField(label=_("Date"))
    time = forms.TimeField(
        label=_("Heure"),
        widget=TimeInput(),
        error_messages={"invalid": _("Saisissez une heure au format HH:MM, par exemple 14:30.")},
    )
    place = forms.CharField(label=_("Lieu"), max_length=200)
    notes = forms.CharField(
        label=_("Remarques pour le patient et le médecin"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modality = self.fields["modality"]
        assert isinstance(modality, forms.ChoiceField)
        modality.choices = [(value, label) for value, label in Modality.choices if value in missing]
        self.fields["modality"].error_messages["invalid_choice"] = _(
            "Choisissez un examen qui manque au dossier."
        )
        if not self.is_bound:
            self.initial.setdefault("place", f"{settings.CLINIC_NAME}, {settings.CLINIC_ADDRESS}")
            if missing:
                self.initial.setdefault("modality", missing[0])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, at = data.get("day"), data.get("time")
        if day and at:
            when = timezone.make_aware(datetime.combine(day, at))
            if when <= timezone.now():
                self.add_error("day", _("Cette date est passée : choisissez une date à venir."))
            elif holiday_name(day):
                self.add_error(
                    "day",
                    _("Le %(day)s est un jour férié (%(holiday)s) : choisissez un autre jour.")
                    % {"day": day_label(day), "holiday": holiday_name(day)},
                )
            data["at"] = when
        return data


class ImagingChangeForm(ImagingAppointmentForm):
    """The creation form without the examination (it stays): the same date checks apply."""

    def __init__(self, *args: Any, appointment: ImagingAppointment, **kwargs: Any) -> None:
        local = timezone.localtime(appointment.at)
        kwargs.setdefault(
            "initial",
            {
                "day": local.date(),
                "time": local.time(),
                "place": appointment.place,
                "notes": appointment.notes,
            },
        )
        super().__init__(*args, missing=[appointment.modality], **kwargs)
        del self.fields["modality"]
