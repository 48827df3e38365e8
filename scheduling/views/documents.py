"""Convocation and imaging-letter downloads: the secretary, and the referring GP for their own
patient; and the desk marking a convocation sent again after its dates changed.

All are patient documents: attachment, never cached, and a file name without identity."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.audit import log_access
from clinic.errors import DomainError, show
from clinic.models import Role, User
from clinic.roles import role_required
from referrals.access import get_referral_for
from reports.pdf import pdf_response
from scheduling.documents import convocation_ics, convocation_pdf, imaging_ics, imaging_pdf
from scheduling.models import (
    ACTIVE_BOOKING_STATUSES,
    Booking,
    ConvocationChange,
    ImagingAppointment,
)
from scheduling.services.convocations import convocation_issued, convocation_resent


def _active_booking(request: HttpRequest, pk: int, what: str) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("session", "referral__current_decision"), pk=pk
    )
    if booking.status not in ACTIVE_BOOKING_STATUSES:
        # A cancelled or past appointment has no convocation to hand out: a refused read, logged
        # as such (before anything is granted).
        log_access(request, what=what, referral=booking.referral, object_id=pk, granted=False)
        raise Http404
    # 404 for a GP who did not refer this patient (the booking does not exist for them).
    referral = get_referral_for(request, booking.referral_id, what=what)
    referral.current_decision = booking.referral.current_decision
    booking.referral = referral
    return booking


@role_required(Role.SECRETARY, Role.GP)
def convocation(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _active_booking(request, pk, "pdf.convocation")
    content = convocation_pdf(booking)
    # What it printed, to tell the desk when the plan's dates change (« Convocations à renvoyer »).
    convocation_issued(booking=booking, by=request.user, today=timezone.localdate())  # type: ignore[arg-type]
    return pdf_response(content, filename=f"convocation-{booking.session.date:%Y-%m-%d}")


def _ics_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.SECRETARY, Role.GP)
def convocation_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _active_booking(request, pk, "ics.convocation")
    return _ics_response(
        convocation_ics(booking), filename=f"rendez-vous-{booking.session.date:%Y-%m-%d}"
    )


def _live_imaging(request: HttpRequest, pk: int, what: str) -> ImagingAppointment:
    appointment = get_object_or_404(ImagingAppointment.objects.select_related("referral"), pk=pk)
    if appointment.is_cancelled:
        # A cancelled examination has no letter to hand out (refused, logged as such).
        log_access(request, what=what, referral=appointment.referral, object_id=pk, granted=False)
        raise Http404
    # 404 for a GP who did not refer this patient.
    appointment.referral = get_referral_for(request, appointment.referral_id, what=what)
    return appointment


@role_required(Role.SECRETARY, Role.GP)
def imaging_letter(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _live_imaging(request, pk, "pdf.imaging_letter")
    return pdf_response(
        imaging_pdf(appointment),
        filename=f"rendez-vous-imagerie-{timezone.localtime(appointment.at):%Y-%m-%d}",
    )


@role_required(Role.SECRETARY, Role.GP)
def imaging_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _live_imaging(request, pk, "ics.imaging")
    return _ics_response(
        imaging_ics(appointment),
        filename=f"rendez-vous-imagerie-{timezone.localtime(appointment.at):%Y-%m-%d}",
    )


@require_POST
@role_required(Role.SECRETARY)
def convocation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk sent the patient the convocation with its new dates (« Convocations à
    renvoyer »)."""
    change = get_object_or_404(ConvocationChange.objects.select_related("booking"), pk=pk)
    referral = get_referral_for(request, change.booking.referral_id, what="booking")
    user: User = request.user  # type: ignore[assignment]
    try:
        convocation_resent(change=change, by=user, today=timezone.localdate())
    except DomainError as error:
        show(request, error)
    else:
        messages.success(
            request,
            _("Convocation de %(patient)s marquée comme renvoyée avec ses nouvelles dates.")
            % {"patient": referral.patient},
        )
    return redirect("home_secretary")
