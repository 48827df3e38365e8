"""Convocation downloads: the secretary, and the referring GP for their own patient.

Both are patient documents: attachment, never cached, and a file name without identity."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from clinic.audit import log_access
from clinic.models import Role
from clinic.roles import role_required
from referrals.access import get_referral_for
from reports.pdf import pdf_response
from scheduling.documents import convocation_ics, convocation_pdf
from scheduling.models import ACTIVE_BOOKING_STATUSES, Booking


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
    return pdf_response(
        convocation_pdf(booking), filename=f"convocation-{booking.session.date:%Y-%m-%d}"
    )


@role_required(Role.SECRETARY, Role.GP)
def convocation_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _active_booking(request, pk, "ics.convocation")
    response = HttpResponse(convocation_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="rendez-vous-{booking.session.date:%Y-%m-%d}.ics"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
