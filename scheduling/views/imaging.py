"""Imaging appointments at the centre (B-IMAGING): book the CT or MRI a referral lacks, change
its date, place or notes, cancel it with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Role
from clinic.roles import role_required
from scheduling.errors import SchedulingError
from scheduling.forms import ImagingAppointmentForm, ImagingCancelForm, ImagingChangeForm
from scheduling.instructions import reader_clock
from scheduling.models import ImagingAppointment
from scheduling.services.imaging import (
    imaging_appointment_cancel,
    imaging_appointment_change,
    imaging_appointment_create,
    imaging_change_refusal,
    missing_modalities,
)
from scheduling.views.booking import _referral
from scheduling.windows import day_label


def _appointment(request: HttpRequest, pk: int) -> ImagingAppointment:
    """The appointment `pk` if the secretary may work on its referral (logged like a booking)."""
    appointment = get_object_or_404(ImagingAppointment, pk=pk)
    appointment.referral = _referral(request, appointment.referral_id, what="imaging")
    return appointment


def _when(appointment: ImagingAppointment) -> dict[str, str]:
    local = timezone.localtime(appointment.at)
    return {
        "exam": appointment.get_modality_display(),
        "day": day_label(local.date()),
        "time": reader_clock(local.time()),
    }


def _booked_message(appointment: ImagingAppointment) -> str:
    return _("Rendez-vous programmé : %(exam)s le %(day)s à %(time)s.") % _when(appointment)


@role_required(Role.SECRETARY)
def imaging(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    missing = missing_modalities(referral)
    if not missing:
        messages.info(request, _("Le scanner et l’IRM sont déjà indiqués comme réalisés."))
        return redirect("scheduling:referral", pk=referral.pk)
    form = ImagingAppointmentForm(request.POST or None, missing=missing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = imaging_appointment_create(
                referral=referral,
                modality=data["modality"],
                at=data["at"],
                place=data["place"],
                notes=data["notes"],
                by=request.user,  # type: ignore[arg-type]
            )
        except SchedulingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _booked_message(appointment))
            return redirect("scheduling:referral", pk=referral.pk)
    return render(
        request,
        "scheduling/imaging_form.html",
        {"referral": referral, "form": form, "missing": missing},
    )


@role_required(Role.SECRETARY)
def imaging_change(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    referral = appointment.referral
    refusal = imaging_change_refusal(appointment)
    if refusal:
        messages.error(request, refusal)
        return redirect("scheduling:referral", pk=referral.pk)
    form = ImagingChangeForm(request.POST or None, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = imaging_appointment_change(
                appointment=appointment,
                at=data["at"],
                place=data["place"],
                notes=data["notes"],
                by=request.user,  # type: ignore[arg-type]
            )
        except SchedulingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Rendez-vous modifié : %(exam)s le %(day)s à %(time)s.") % _when(changed)
            )
            return redirect("scheduling:referral", pk=referral.pk)
    return render(
        request,
        "scheduling/imaging_form.html",
        {"referral": referral, "form": form, "appointment": appointment},
    )


@role_required(Role.SECRETARY)
def imaging_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    referral = appointment.referral
    refusal = imaging_change_refusal(appointment)
    if refusal:
        messages.error(request, refusal)
        return redirect("scheduling:referral", pk=referral.pk)
    form = ImagingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            imaging_appointment_cancel(
                appointment=appointment,
                reason=form.cleaned_data["reason"],
                by=request.user,  # type: ignore[arg-type]
            )
        except SchedulingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Rendez-vous annulé : %(exam)s du %(day)s. "
                    "L’examen peut être programmé à nouveau."
                )
                % _when(appointment),
            )
            return redirect("scheduling:referral", pk=referral.pk)
    return render(
        request,
        "scheduling/imaging_cancel.html",
        {"referral": referral, "form": form, "appointment": appointment},
    )
