"""Imaging appointments at the centre (B-IMAGING): book the CT or MRI a referral lacks."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Role
from clinic.roles import role_required
from scheduling.errors import SchedulingError
from scheduling.forms import ImagingAppointmentForm
from scheduling.imaging import imaging_appointment_create, missing_modalities
from scheduling.instructions import reader_clock
from scheduling.views_booking import _referral
from scheduling.windows import day_label


@role_required(Role.SECRETARY)
def imaging(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    missing = missing_modalities(referral)
    if not missing:
        messages.info(request, _("Le scanner et l'IRM sont déjà indiqués comme réalisés."))
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
            messages.success(
                request,
                _("%(exam)s programmé le %(day)s à %(time)s.")
                % {
                    "exam": appointment.get_modality_display(),
                    "day": day_label(timezone.localtime(appointment.at).date()),
                    "time": reader_clock(timezone.localtime(appointment.at).time()),
                },
            )
            return redirect("scheduling:referral", pk=referral.pk)
    return render(
        request,
        "scheduling/imaging_form.html",
        {"referral": referral, "form": form, "missing": missing},
    )
