"""The secretary's work on one referral: book, reschedule, cancel, arrived, done, no-show
(imaging appointments: views_imaging.py). Views check access and hand over to services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.errors import DomainError, show
from clinic.models import Role
from clinic.roles import role_required
from notifications.pages import contact_options
from referrals import workflow
from referrals.access import get_referral_for
from referrals.choices import Status
from referrals.models import Referral
from referrals.services.closing import referral_close
from scheduling.errors import NeedsConfirmation, NotBookable, SchedulingError, SessionFull
from scheduling.forms import BookingForm, CancelForm, CloseForm, RescheduleForm
from scheduling.instructions import reader_clock
from scheduling.models import Booking, BookingStatus
from scheduling.pages.missing_imaging import imaging_until, missing_imaging
from scheduling.pages.proposals import proposal_rows, with_room
from scheduling.selectors import (
    active_booking,
    live_imaging,
    proposal_page,
    referral_bookings,
    referral_imaging,
)
from scheduling.services.bookings import (
    booking_cancel,
    booking_create,
    booking_mark_arrived,
    booking_mark_done,
    booking_mark_no_show,
    booking_reschedule,
)
from scheduling.services.imaging import missing_modalities
from scheduling.windows import day_label, plan_for

SCHEDULE = "referrals.schedule_referral"


def _referral(request: HttpRequest, pk: int, what: str = "referral.scheduling") -> Referral:
    return get_referral_for(request, pk, perm=SCHEDULE, what=what)


def _booking(request: HttpRequest, pk: int) -> Booking:
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=pk)
    booking.referral = _referral(request, booking.referral_id, what="booking")
    return booking


def _back(request: HttpRequest, referral_id: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("scheduling:referral", pk=referral_id)


def _booked_message(booking: Booking) -> str:
    return _(
        "Rendez-vous programmé le %(day)s, arrivée à %(arrival)s (%(room)s). Pensez à remettre "
        "la convocation au patient."
    ) % {
        "day": day_label(booking.session.date),
        "arrival": reader_clock(booking.arrival_time),
        "room": booking.session.room,
    }


@role_required(Role.SECRETARY)
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    """One referral from the desk: what to book, the bookings, imaging appointments."""
    referral = _referral(request, pk)
    plan = None
    not_bookable = ""
    try:
        plan = plan_for(referral, rescheduling=referral.status == Status.SCHEDULED)
    except NotBookable as error:
        not_bookable = error.message
    active = active_booking(referral)
    if active is not None:
        active.referral = referral
    return render(
        request,
        "scheduling/referral.html",
        {
            "referral": referral,
            "today": timezone.localdate(),
            "plan": plan,
            "not_bookable": not_bookable,
            "active": active,
            "bookings": list(referral_bookings(referral)),
            "imaging": list(referral_imaging(referral)),
            "missing": missing_modalities(referral),
        },
    )


def _proposal_page(
    request: HttpRequest,
    *,
    referral: Referral,
    form: BookingForm,
    booking: Booking | None = None,
    error: str = "",
    full: int | None = None,
    **extra: Any,
) -> HttpResponse:
    plan = plan_for(referral, rescheduling=booking is not None)
    selected = str(form.data.get("session", "")) if form.is_bound else ""
    contacts, last_channel = contact_options(referral) if booking is None else ([], "")
    channel = str(form.data.get("contact_channel", "")) if form.is_bound else last_channel
    found, page = proposal_page(
        plan,
        exclude_session=booking.session_id if booking else None,
        number=request.GET.get("page"),
    )
    imaging = missing_imaging(
        referral,
        appointments=[(exam.modality, exam.at) for exam in live_imaging(referral)],
        procedure_day=None,
    )
    rows = proposal_rows(found, selected=selected, exams_until=imaging_until(imaging), full=full)
    if full is not None and "session" in form.errors:
        # Say where there is room, so that the desk does not try the next full one.
        room = with_room(rows)
        form.errors["session"] = form.error_class(
            [
                *form.errors["session"],
                _("Séances avec de la place : %(sessions)s.") % {"sessions": room}
                if room
                else _("Aucune séance de cette page n’a de place : voyez les suivantes."),
            ]
        )
    return render(
        request,
        "scheduling/book.html",
        {
            "referral": referral,
            "plan": plan,
            "proposals": found,
            "proposal_rows": rows,
            "missing_imaging": imaging,
            "proposals_page": page,
            "any_outside": any(not p.in_target for p in found),
            "form": form,
            "booking": booking,
            "needs_confirmation": error,
            "contact_options": contacts,
            "contact_channel": channel,
            **extra,
        },
    )


@role_required(Role.SECRETARY)
def book(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    try:
        plan = plan_for(referral)
    except NotBookable as error:
        messages.error(request, error.message)
        return redirect("scheduling:referral", pk=referral.pk)
    form = BookingForm(request.POST or None, plan=plan)
    needs_confirmation = ""
    full = None
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_create(
                referral=referral,
                session=form.cleaned_data["session"],
                by=request.user,  # type: ignore[arg-type]
                confirm_outside_ideal=form.cleaned_data["confirm_outside_ideal"],
                late_cause=form.cleaned_data["late_cause"],
                contact_channel=form.cleaned_data["contact_channel"],
            )
        except NeedsConfirmation as error:
            needs_confirmation = error.message
            form.add_error("confirm_outside_ideal", error.message)
        except NotBookable as error:
            messages.error(request, error.message)
            return redirect("scheduling:referral", pk=referral.pk)
        except SessionFull as error:
            full = form.cleaned_data["session"].pk
            form.add_error("session", error.message)
        except SchedulingError as error:
            form.add_error("session", error.message)
        except DomainError as error:  # the contact channel (notifications.services.consent)
            show(request, error, form)
        else:
            messages.success(request, _booked_message(booking))
            return redirect("scheduling:referral", pk=referral.pk)
    return _proposal_page(
        request, referral=referral, form=form, error=needs_confirmation, full=full
    )


@role_required(Role.SECRETARY)
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    referral = booking.referral
    if booking.status != BookingStatus.BOOKED:
        messages.error(request, _("Seul un rendez-vous programmé peut être déplacé."))
        return redirect("scheduling:referral", pk=referral.pk)
    try:
        plan = plan_for(referral, rescheduling=True)
    except NotBookable as error:
        messages.error(request, error.message)
        return redirect("scheduling:referral", pk=referral.pk)
    form = RescheduleForm(request.POST or None, plan=plan)
    needs_confirmation = ""
    full = None
    if request.method == "POST" and form.is_valid():
        try:
            new = booking_reschedule(
                booking=booking,
                session=form.cleaned_data["session"],
                by=request.user,  # type: ignore[arg-type]
                confirm_outside_ideal=form.cleaned_data["confirm_outside_ideal"],
                late_cause=form.cleaned_data["late_cause"],
                reason_kind=form.cleaned_data["reason_kind"],
                reason=form.cleaned_data["reason"],
            )
        except NeedsConfirmation as error:
            needs_confirmation = error.message
            form.add_error("confirm_outside_ideal", error.message)
        except SessionFull as error:
            full = form.cleaned_data["session"].pk
            form.add_error("session", error.message)
        except SchedulingError as error:
            form.add_error("session", error.message)
        else:
            messages.success(request, _booked_message(new))
            return redirect("scheduling:referral", pk=referral.pk)
    return _proposal_page(
        request,
        referral=referral,
        form=form,
        booking=booking,
        error=needs_confirmation,
        full=full,
    )


@role_required(Role.SECRETARY)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_cancel(
                booking=booking,
                by=request.user,  # type: ignore[arg-type]
                reason_kind=form.cleaned_data["reason_kind"],
                reason=form.cleaned_data["reason"],
            )
        except SchedulingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Rendez-vous du %(day)s annulé : le patient est à reprogrammer.")
                % {"day": day_label(booking.session.date)},
            )
            return redirect("scheduling:referral", pk=booking.referral_id)
    return render(
        request,
        "scheduling/cancel.html",
        {"booking": booking, "referral": booking.referral, "form": form},
    )


def _day_step(request: HttpRequest, pk: int, name: str, service: Any) -> HttpResponse:
    """Arrival, procedure or no-show, from the day view or the referral's page."""
    booking = _booking(request, pk)
    try:
        service(booking=booking, by=request.user, today=timezone.localdate())
    except DomainError as error:
        show(request, error)
    else:
        done = workflow.TRANSITIONS[name].done
        messages.success(request, str(done) % {"patient": booking.referral.patient})
    return _back(request, booking.referral_id)


@require_POST
@role_required(Role.SECRETARY)
def arrived(request: HttpRequest, pk: int) -> HttpResponse:
    return _day_step(request, pk, "arrive", booking_mark_arrived)


@require_POST
@role_required(Role.SECRETARY)
def done(request: HttpRequest, pk: int) -> HttpResponse:
    return _day_step(request, pk, "done", booking_mark_done)


@require_POST
@role_required(Role.SECRETARY)
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    """The place is freed; the desk lands on the referral's page, which asks what next: book
    again or close the referral."""
    booking = _booking(request, pk)
    try:
        booking_mark_no_show(
            booking=booking,
            by=request.user,  # type: ignore[arg-type]
            today=timezone.localdate(),
        )
    except DomainError as error:
        show(request, error)
        return _back(request, booking.referral_id)
    done = workflow.TRANSITIONS["no_show"].done
    messages.warning(request, str(done) % {"patient": booking.referral.patient})
    return redirect("scheduling:referral", pk=booking.referral_id)


@role_required(Role.SECRETARY)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """An accepted referral the patient gave up: closed with a reason, never booked."""
    referral = _referral(request, pk, what="referral.close")
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral_close(
                referral=referral,
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            show(request, error, form)
        else:
            messages.success(request, str(workflow.TRANSITIONS["close"].done))
            return redirect("scheduling:referral", pk=referral.pk)
    return render(
        request,
        "scheduling/close.html",
        {
            "referral": referral,
            "form": form,
            "refusal": workflow.refusal(referral, "close"),
        },
    )
