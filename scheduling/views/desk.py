"""The secretary's pages: home, sessions (one by one or from a template), the day view."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clinic.errors import DomainError, show
from clinic.models import Role, User
from clinic.roles import role_required
from notifications.pages import failed_messages
from scheduling.errors import NeedsConfirmation, SessionRefused
from scheduling.forms import (
    RecordArrivalForm,
    SessionEditForm,
    SessionForm,
    SessionMoveForm,
    SessionTemplateForm,
)
from scheduling.models import ACTIVE_BOOKING_STATUSES, DaySession
from scheduling.pages.day import day_rows, record_choices
from scheduling.pages.desk_home import to_book_card
from scheduling.pages.missing_imaging import missing_imaging_card
from scheduling.pages.resend import resend_rows
from scheduling.pages.sessions import sessions_between_rows
from scheduling.selectors import (
    convocations_to_resend,
    referrals_to_book,
    with_occupancy,
)
from scheduling.services.past import booking_record_past
from scheduling.services.session_move import session_move as move_session
from scheduling.services.sessions import (
    session_create,
    session_update,
    sessions_create_from_template,
)
from scheduling.windows import day_label

UPCOMING_DAYS = 28


def _user(request: HttpRequest) -> User:
    # role_required let only a logged-in user with a role through.
    return request.user  # type: ignore[return-value]


# Each list of the home page shows this many rows, most urgent (or soonest) first; "?tous=1"
# shows them all. Unbounded, a network's backlog made the page take seconds (docs/performance.md).
HOME_ROWS = 50


def _first(queryset: QuerySet[Any], everything: bool) -> tuple[list[Any], int]:
    """(the rows to show, how many there are in all) in one query, or two past HOME_ROWS."""
    rows = list(queryset if everything else queryset[: HOME_ROWS + 1])
    if everything or len(rows) <= HOME_ROWS:
        return rows, len(rows)
    return rows[:HOME_ROWS], queryset.count()


@role_required(Role.SECRETARY)
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    everything = request.GET.get("tous") == "1"
    limit = None if everything else HOME_ROWS
    missing, missing_total = missing_imaging_card(limit=limit)
    to_book, to_book_total = to_book_card(limit=limit, today=today)
    resend, resend_total = _first(convocations_to_resend(), everything)
    sessions, sessions_total = sessions_between_rows(
        today, today + timedelta(days=UPCOMING_DAYS), limit=limit
    )
    failed, failed_total = failed_messages()
    return render(
        request,
        "scheduling/home.html",
        {
            "today": today,
            "resend": resend_rows(resend),
            "resend_total": resend_total,
            "to_book": to_book,
            "to_book_total": to_book_total,
            "sessions": sessions,
            "sessions_total": sessions_total,
            "missing_imaging": missing,
            "missing_imaging_total": missing_total,
            "failed_messages": failed,
            "failed_messages_total": failed_total,
        },
    )


@role_required(Role.SECRETARY)
def sessions(request: HttpRequest) -> HttpResponse:
    """Sessions from today over the next weeks (?semaines=N, at most a year)."""
    today = timezone.localdate()
    try:
        weeks = min(max(int(request.GET.get("semaines", "8")), 1), 52)
    except ValueError:
        weeks = 8
    return render(
        request,
        "scheduling/sessions.html",
        {
            "sessions": sessions_between_rows(today, today + timedelta(weeks=weeks))[0],
            "weeks": weeks,
            "more_weeks": min(weeks + 8, 52),
        },
    )


@role_required(Role.SECRETARY)
def session_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, initial={"date": request.GET.get("date")})
    if request.method == "POST" and form.is_valid():
        try:
            session = session_create(
                day=form.cleaned_data["date"], spec=form.spec(), by=_user(request)
            )
        except SessionRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                (
                    _("Séance passée du %(day)s enregistrée : notez-y les patients venus.")
                    if session.date < timezone.localdate()
                    else _("Séance du %(day)s créée.")
                )
                % {"day": day_label(session.date)},
            )
            return redirect(f"{reverse('scheduling:day')}?date={session.date.isoformat()}")
    return render(request, "scheduling/session_form.html", {"form": form, "session": None})


@role_required(Role.SECRETARY)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(DaySession, pk=pk)
    form = (
        SessionEditForm(request.POST)
        if request.method == "POST"
        else SessionEditForm.for_session(session)
    )
    if request.method == "POST" and form.is_valid():
        try:
            session_update(session=session, spec=form.spec(), by=_user(request))
        except SessionRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Séance modifiée."))
            return redirect(f"{reverse('scheduling:day')}?date={session.date.isoformat()}")
    return render(request, "scheduling/session_form.html", {"form": form, "session": session})


@role_required(Role.SECRETARY)
def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a session with its patients to another day; they are told."""
    session = get_object_or_404(with_occupancy(DaySession.objects.all()), pk=pk)
    form = SessionMoveForm(request.POST or None)
    needs_confirmation = ""
    if request.method == "POST" and form.is_valid():
        try:
            outcome = move_session(
                session=session,
                day=form.cleaned_data["day"],
                by=_user(request),
                confirm_outside_ideal=form.cleaned_data["confirm_outside_ideal"],
            )
        except NeedsConfirmation as error:
            needs_confirmation = error.message
            show(request, error, form)
        except DomainError as error:
            show(request, error, form)
        else:
            count = len(outcome.moved)
            messages.success(
                request,
                ngettext(
                    "Séance déplacée au %(day)s avec son patient, prévenu de la nouvelle date.",
                    "Séance déplacée au %(day)s avec ses %(count)d patients, prévenus de la "
                    "nouvelle date.",
                    count,
                )
                % {"day": day_label(outcome.session.date), "count": count}
                if count
                else _("Séance déplacée au %(day)s.") % {"day": day_label(outcome.session.date)},
            )
            if outcome.past_target:
                messages.warning(
                    request,
                    _("Après la date cible (signalé) : %(patients)s.")
                    % {"patients": ", ".join(str(b.referral.patient) for b in outcome.past_target)},
                )
            return redirect(f"{reverse('scheduling:day')}?date={outcome.session.date.isoformat()}")
    booked = list(
        session.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES)
        .select_related("referral__patient")
        .order_by("start_time", "id")
    )
    return render(
        request,
        "scheduling/session_move.html",
        {
            "session": session,
            "form": form,
            "booked": booked,
            "needs_confirmation": needs_confirmation,
            "past": session.date < timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.SECRETARY)
def day_record(request: HttpRequest) -> HttpResponse:
    """Note a patient who came to a past session (or today's) without a booking: the day view's
    one form, with the session chosen among the day's."""
    today = timezone.localdate()
    form = RecordArrivalForm(
        request.POST,
        sessions=DaySession.objects.filter(date__lte=today),
        choices=referrals_to_book(),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect(_day_url(request.POST.get("date", "")))
    session, referral = form.cleaned_data["session"], form.cleaned_data["referral"]
    try:
        booking_record_past(referral=referral, session=session, by=_user(request))
    except DomainError as error:
        show(request, error)
    else:
        messages.success(
            request,
            _(
                "%(patient)s : venue notée le %(day)s. Le geste se note ensuite comme d’habitude "
                "(check-list, compte rendu signé)."
            )
            % {"patient": referral.patient, "day": day_label(session.date)},
        )
    return redirect(_day_url(session.date.isoformat()))


def _day_url(day: str) -> str:
    """The day view of `day` (ISO; the view says so when it cannot read it)."""
    return f"{reverse('scheduling:day')}?{urlencode({'date': day[:20]})}"


@role_required(Role.SECRETARY)
def session_template(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = SessionTemplateForm(
        request.POST or None,
        initial={
            "weekdays": [1, 3],
            "first_day": today + timedelta(days=1),
            "last_day": today + timedelta(weeks=4),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = sessions_create_from_template(
                first_day=data["first_day"],
                last_day=data["last_day"],
                weekdays=set(data["weekdays"]),
                spec=form.spec(),
                by=_user(request),
            )
        except SessionRefused as error:
            form.add_error(None, error.message)
        else:
            count = len(result.created)
            messages.success(
                request,
                ngettext("%(count)d séance créée.", "%(count)d séances créées.", count)
                % {"count": count},
            )
            if result.skipped_holidays:
                messages.warning(
                    request,
                    _("Jours fériés sautés : %(days)s.")
                    % {
                        "days": ", ".join(
                            f"{day_label(day)} ({name})" for day, name in result.skipped_holidays
                        )
                    },
                )
            if result.skipped_existing:
                messages.info(
                    request,
                    _("Salle déjà occupée, aucune séance ajoutée : %(days)s.")
                    % {"days": ", ".join(day_label(day) for day in result.skipped_existing)},
                )
            return redirect("scheduling:sessions")
    return render(request, "scheduling/session_template_form.html", {"form": form})


# The day view opens any day within these years around today: a planning has nothing older or
# further to show, and a date such as 9999-12-31 has no next day to link to.
DAY_VIEW_YEARS = 50
# The accepted referrals offered when noting who came to a past session, most urgent first.
RECORD_CHOICES = 200


def _requested_day(request: HttpRequest) -> date:
    """The day asked in `?date=` (ISO), or today, with a message, when it is unreadable or out
    of the planning's range."""
    today = timezone.localdate()
    raw = request.GET.get("date", "")
    if not raw:
        return today
    try:
        asked = date.fromisoformat(raw)
    except ValueError:
        messages.warning(
            request, _("Date illisible (%(raw)s) : voici aujourd’hui.") % {"raw": raw[:20]}
        )
        return today
    if abs(asked.year - today.year) > DAY_VIEW_YEARS:
        messages.warning(
            request,
            _("Date hors du planning (%(raw)s) : voici aujourd’hui.") % {"raw": raw[:20]},
        )
        return today
    return asked


@role_required(Role.SECRETARY)
def day(request: HttpRequest) -> HttpResponse:
    """Each session of one day with its patients, times and occupancy; printable."""
    day = _requested_day(request)
    today = timezone.localdate()
    return render(
        request,
        "scheduling/day.html",
        {
            "day": day,
            "today": today,
            "sessions": day_rows(day, user=_user(request), today=today),
            # A past day (or today) records who came: the accepted referrals to choose from.
            "record_choices": record_choices(limit=RECORD_CHOICES) if day <= today else None,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
        },
    )
